package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/channels"
	"clinic/channels/telegram"
	"clinic/channels/telegram/telegramtest"
	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

const webhookSecret = "webhook-secret-0123456789"

// channelsBundle serves the API with the Telegram channel on a fake Bot API and the given health
// sources.
type channelsBundle struct {
	*testBundle
	api     *telegramtest.API
	inbound *inboundLog
}

// inboundLog is a channels.Handler and telegram.Refuser keeping what it was handed once per id.
type inboundLog struct {
	mu  sync.Mutex
	got []inbox.Inbound
}

func (l *inboundLog) Handle(_ context.Context, in inbox.Inbound) ([]inbox.Outbound, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, g := range l.got {
		if g.ExternalID == in.ExternalID {
			return nil, nil
		}
	}
	l.got = append(l.got, in)
	return nil, nil
}

func (l *inboundLog) Refuse(ctx context.Context, in inbox.Inbound) error {
	_, err := l.Handle(ctx, in)
	return err
}

func (l *inboundLog) all() []inbox.Inbound {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]inbox.Inbound{}, l.got...)
}

type fixedHealth channels.Health

func (f fixedHealth) Health(context.Context) channels.Health { return channels.Health(f) }

func setupChannels(t *testing.T, withTelegram bool, sources ...channels.HealthSource) *channelsBundle {
	t.Helper()
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{record.KeepRecords, billing.SessionListener}})
	rdb, _ := dbtest.NewRedis(t)
	cb := &channelsBundle{api: telegramtest.New(t), inbound: &inboundLog{}}
	deps := Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc,
		Access: access.NewStore(b.Pool, func() time.Time { return *b.Clock }), Feed: startFeed(t, b.Pool), Channels: sources}
	if withTelegram {
		bot, err := telegram.New(telegram.Config{Token: telegramtest.Token, WebhookSecret: webhookSecret,
			Endpoint: cb.api.Endpoint(), BaseURL: "https://clinic.example"},
			telegram.Deps{Logger: deps.Logger, Handler: cb.inbound, Refuser: cb.inbound})
		require.NoError(t, err)
		require.NoError(t, bot.Run(context.Background()))
		deps.Telegram = bot
		deps.Channels = append([]channels.HealthSource{bot}, sources...)
	}
	srv := httptest.NewServer(NewHandler(deps))
	t.Cleanup(srv.Close)
	tb := &testBundle{Bundle: b, url: srv.URL, clinic: schedtest.NewClinic(t, b.Svc), tokens: map[access.Role]string{},
		client: &http.Client{Transport: &specTransport{next: http.DefaultTransport, t: t}}, acc: deps.Access}
	for _, r := range staffRoles {
		doctor := tb.clinic.Doctor.ID // the doctor's token acts for the clinic's doctor
		if r != access.Doctor {
			doctor = 0
		}
		tok, err := deps.Access.CreateToken(context.Background(), r, string(r), doctor)
		require.NoError(t, err)
		tb.tokens[r] = tok
	}
	cb.testBundle = tb
	return cb
}

func TestChannelsListEveryChannelsHealthToAllStaff(t *testing.T) {
	t.Parallel()
	since := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	wa := fixedHealth{Channel: inbox.WhatsApp, State: "logged_out", Detail: "the phone logged the clinic out", Since: &since, Down: true}
	cb := setupChannels(t, true, wa)
	cb.api.SetWebhookInfo(tgbotapi.WebhookInfo{URL: "https://clinic.example/webhooks/telegram", PendingUpdateCount: 2})

	for _, role := range staffRoles {
		status, body := cb.call(t, role, http.MethodGet, "/api/v1/channels", nil)
		require.Equal(t, http.StatusOK, status, "%s: %v", role, body)
		require.Equal(t, []any{
			map[string]any{"channel": "telegram", "state": "webhook_ok", "detail": "2 updates waiting", "down": false},
			map[string]any{"channel": "whatsapp", "state": "logged_out", "detail": "the phone logged the clinic out",
				"since": "2027-01-04T08:00:00Z", "down": true},
			map[string]any{"channel": "web_form", "state": "ok", "down": false},
			map[string]any{"channel": "chatbot", "state": "ok", "down": false},
		}, body["items"])
	}
	require.Len(t, cb.api.Calls("getWebhookInfo"), 1, "Telegram's state is read once for all of them")

	status, body := cb.call(t, "", http.MethodGet, "/api/v1/channels", nil)
	require.Equal(t, http.StatusUnauthorized, status, "%v", body)
}

func TestTelegramWebhookThroughTheServer(t *testing.T) {
	t.Parallel()
	cb := setupChannels(t, true)
	url := cb.url + "/webhooks/telegram"
	ana := telegramtest.Patient{ID: 9001, FirstName: "Ana", Lang: "en"}

	require.Equal(t, http.StatusUnauthorized, telegramtest.Post(t, url, "", ana.Text(1, "hi")))
	require.Equal(t, http.StatusUnauthorized, telegramtest.Post(t, url, "webhook-secret-0123456780", ana.Text(1, "hi")))
	require.Empty(t, cb.inbound.all())

	require.Equal(t, http.StatusOK, telegramtest.Post(t, url, webhookSecret, ana.Text(1, "hi")))
	require.Equal(t, http.StatusOK, telegramtest.Post(t, url, webhookSecret, ana.Text(1, "hi")))
	got := cb.inbound.all()
	require.Len(t, got, 1)
	require.Equal(t, "9001", got[0].Address)
	require.Equal(t, "hi", got[0].Text)
}

func TestTelegramIsOffWithoutABot(t *testing.T) {
	t.Parallel()
	cb := setupChannels(t, false)
	ana := telegramtest.Patient{ID: 9001, FirstName: "Ana"}
	require.Equal(t, http.StatusNotFound, telegramtest.Post(t, cb.url+"/webhooks/telegram", webhookSecret, ana.Text(1, "hi")))

	status, body := cb.call(t, access.Receptionist, http.MethodGet, "/api/v1/channels", nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Contains(t, body["items"], map[string]any{"channel": "telegram", "state": "off", "detail": "no bot token is set", "down": false})
}
