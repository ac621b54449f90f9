// Package telegram is the Telegram channel (DESIGN 3.5): the webhook that receives updates (or long
// polling, for a clinic without a public address), their translation into the inbox's messages, the
// delivery of replies as Telegram messages with inline keyboards and a contact button, and the channel's
// health for the console.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/channels"
	"clinic/inbox"
)

// Modes in which the bot receives updates.
const (
	ModeWebhook = "webhook"
	ModePolling = "polling"
)

// DefaultEndpoint is Telegram's Bot API address as a pattern of token and method.
const DefaultEndpoint = "https://api.telegram.org/bot%s/%s"

// WebhookPath is where Telegram posts updates in webhook mode.
const WebhookPath = "/webhooks/telegram"

// Config is the Telegram channel's configuration (API.md: Conventions).
type Config struct {
	// Token is the bot's token from BotFather.
	Token string
	// WebhookSecret is the secret registered with the webhook; Telegram sends it back in the
	// X-Telegram-Bot-Api-Secret-Token header of every update. Required in webhook mode.
	WebhookSecret string
	// Mode is ModeWebhook (the default) or ModePolling.
	Mode string
	// Endpoint is the Bot API address as a fmt pattern of token and method; DefaultEndpoint when empty.
	Endpoint string
	// BaseURL is the server's public address; the webhook is registered at BaseURL + WebhookPath.
	BaseURL string
	// PollTimeout is how long one long-polling request waits for updates (default 25 s).
	PollTimeout time.Duration
	// RetryDelay is how long the bot waits after a failed registration, poll or handling before trying
	// again (default 3 s).
	RetryDelay time.Duration
	// HealthTTL is how long a read of the webhook's state is reused (default 30 s).
	HealthTTL time.Duration
}

func (c *Config) validate() error {
	if c.Token == "" {
		return errors.New("telegram: no bot token")
	}
	if c.Mode == "" {
		c.Mode = ModeWebhook
	}
	switch c.Mode {
	case ModeWebhook:
		if c.WebhookSecret == "" {
			return errors.New("telegram: webhook mode needs a webhook secret")
		}
		if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
			return fmt.Errorf("telegram: webhook mode needs the server's public address, got %q", c.BaseURL)
		}
	case ModePolling:
	default:
		return fmt.Errorf("telegram: unknown mode %q (webhook or polling)", c.Mode)
	}
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	if strings.Count(c.Endpoint, "%s") != 2 {
		return fmt.Errorf("telegram: endpoint %q needs two %%s, for the token and the method", c.Endpoint)
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 25 * time.Second
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = 3 * time.Second
	}
	if c.HealthTTL <= 0 {
		c.HealthTTL = 30 * time.Second
	}
	return nil
}

// Bot is the Telegram channel: an http.Handler for the webhook, a channels.Deliverer for replies and a
// channels.HealthSource for the console.
type Bot struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	handler channels.Handler
	refuser Refuser
	pool    *pgxpool.Pool
	base    *tgbotapi.BotAPI
	client  *http.Client
	// botID is the bot's numeric id, the token's part before the colon.
	botID string

	mu     sync.Mutex
	health cachedHealth
	// polling is the long-polling state of this instance: "", "waiting" or "polling".
	polling string
}

// Refuser records a contact a patient shared that is not their own and queues the polite refusal, so
// the number is never taken as theirs (DESIGN 3.5).
type Refuser interface {
	Refuse(ctx context.Context, in inbox.Inbound) error
}

// Deps is what the bot works with.
type Deps struct {
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Handler stores each inbound message and runs the dialogue (the channels' gateway).
	Handler channels.Handler
	// Refuser answers contacts that are not the sender's own.
	Refuser Refuser
	// Pool is the database whose advisory lock lets one instance poll at a time (polling mode).
	Pool *pgxpool.Pool
	// HTTPClient talks to the Bot API; a client of its own when nil.
	HTTPClient *http.Client
}

// New returns the Telegram channel. It does not call Telegram: Run registers the webhook or polls.
func New(cfg Config, d Deps) (*Bot, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if d.Handler == nil || d.Refuser == nil {
		return nil, errors.New("telegram: a handler and a refuser are needed")
	}
	if cfg.Mode == ModePolling && d.Pool == nil {
		return nil, errors.New("telegram: polling mode needs the database pool")
	}
	b := &Bot{cfg: cfg, log: d.Logger, now: d.Now, handler: d.Handler, refuser: d.Refuser, pool: d.Pool, client: d.HTTPClient}
	b.botID, _, _ = strings.Cut(cfg.Token, ":")
	if b.log == nil {
		b.log = slog.Default()
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.client == nil {
		b.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	// The library's constructors call getMe at once; the bot is built without it so that the server
	// starts while Telegram is unreachable, and Run checks the token.
	b.base = &tgbotapi.BotAPI{Token: cfg.Token, Client: b.client, Buffer: 100}
	b.base.SetAPIEndpoint(cfg.Endpoint)
	return b, nil
}

// api returns the library's client bound to ctx: the library takes no contexts, so each call's
// cancellation and deadline travel with its HTTP requests.
func (b *Bot) api(ctx context.Context) *tgbotapi.BotAPI {
	a := *b.base
	a.Client = ctxClient{ctx: ctx, c: b.client}
	return &a
}

type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (d ctxClient) Do(r *http.Request) (*http.Response, error) { return d.c.Do(r.WithContext(d.ctx)) }

// Run connects the bot: it checks the token, then registers the webhook (webhook mode, retrying until
// Telegram accepts it) or polls for updates until ctx ends (polling mode). It returns when ctx ends, or
// in webhook mode once the webhook is registered.
func (b *Bot) Run(ctx context.Context) error {
	for {
		err := b.connect(ctx)
		if err == nil || ctx.Err() != nil {
			return nil
		}
		b.log.Error("telegram: could not connect, retrying", "err", err, "retry_in", b.cfg.RetryDelay)
		if !sleep(ctx, b.cfg.RetryDelay) {
			return nil
		}
	}
}

func (b *Bot) connect(ctx context.Context) error {
	callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	me, err := b.api(callCtx).GetMe()
	cancel()
	if err != nil {
		return fmt.Errorf("checking the bot token: %w", err)
	}
	b.log.Info("telegram: bot connected", "username", me.UserName, "mode", b.cfg.Mode)
	if b.cfg.Mode == ModePolling {
		return b.poll(ctx)
	}
	return b.registerWebhook(ctx)
}

// registerWebhook points Telegram at this server with the secret token. The library's WebhookConfig
// has no secret_token, so the request is made by hand.
func (b *Bot) registerWebhook(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := b.api(ctx).MakeRequest("setWebhook", tgbotapi.Params{
		"url":             b.webhookURL(),
		"secret_token":    b.cfg.WebhookSecret,
		"allowed_updates": `["message","callback_query"]`,
	})
	if err != nil {
		return fmt.Errorf("registering the webhook: %w", err)
	}
	b.forgetHealth()
	return nil
}

func (b *Bot) webhookURL() string { return strings.TrimRight(b.cfg.BaseURL, "/") + WebhookPath }

// sleep waits d or until ctx ends; it reports whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
