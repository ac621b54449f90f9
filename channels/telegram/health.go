package telegram

import (
	"context"
	"fmt"
	"strings"
	"time"

	"clinic/channels"
	"clinic/inbox"
)

// Telegram keeps a webhook's last error after deliveries succeed again; an error older than this no
// longer says the webhook is failing.
const staleError = 10 * time.Minute

// failedReadTTL is how long a failed read of the webhook's state is reused, shorter than a good one.
const failedReadTTL = 5 * time.Second

type cachedHealth struct {
	h       channels.Health
	expires time.Time
}

// Health reports the channel's state from getWebhookInfo (DESIGN 3.5: pending updates and the last
// error), read at most every HealthTTL. A nil bot (no token configured) is off.
func (b *Bot) Health(ctx context.Context) channels.Health {
	if b == nil {
		return channels.Health{Channel: inbox.Telegram, State: "off", Detail: "no bot token is set"}
	}
	now := b.now()
	b.mu.Lock()
	cached, polling := b.health, b.polling
	b.mu.Unlock()
	if now.Before(cached.expires) {
		return withPolling(cached.h, polling)
	}
	h, ttl := b.readHealth(ctx, now)
	b.mu.Lock()
	b.health = cachedHealth{h: h, expires: now.Add(ttl)}
	b.mu.Unlock()
	return withPolling(h, polling)
}

func (b *Bot) readHealth(ctx context.Context, now time.Time) (channels.Health, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	info, err := b.api(ctx).GetWebhookInfo()
	if err != nil {
		state := "webhook_error"
		if b.cfg.Mode == ModePolling {
			state = "polling"
		}
		return channels.Health{Channel: inbox.Telegram, State: state, Down: true,
			Detail: fmt.Sprintf("Telegram cannot be reached: %v", err)}, failedReadTTL
	}
	pending := fmt.Sprintf("%d updates waiting", info.PendingUpdateCount)
	if b.cfg.Mode == ModePolling {
		return channels.Health{Channel: inbox.Telegram, State: "polling", Detail: pending}, b.cfg.HealthTTL
	}
	if info.URL != b.webhookURL() {
		detail := "the webhook is not registered"
		if info.URL != "" {
			detail = "the webhook points elsewhere: " + info.URL
		}
		return channels.Health{Channel: inbox.Telegram, State: "webhook_error", Down: true,
			Detail: detail + "; " + pending}, b.cfg.HealthTTL
	}
	lastError := time.Unix(int64(info.LastErrorDate), 0)
	if info.LastErrorMessage != "" && now.Sub(lastError) < staleError {
		return channels.Health{Channel: inbox.Telegram, State: "webhook_error", Down: true, Since: &lastError,
			Detail: info.LastErrorMessage + "; " + pending}, b.cfg.HealthTTL
	}
	return channels.Health{Channel: inbox.Telegram, State: "webhook_ok", Detail: pending}, b.cfg.HealthTTL
}

// withPolling says whether this server is the one polling or waits for another to stop.
func withPolling(h channels.Health, polling string) channels.Health {
	if h.State != "polling" || polling == "" {
		return h
	}
	note := "this server receives the updates"
	if polling == pollWaiting {
		note = "another server receives the updates; this one takes over if it stops"
	}
	h.Detail = strings.TrimPrefix(h.Detail+"; "+note, "; ")
	return h
}

// forgetHealth drops the cached state, after the webhook was registered.
func (b *Bot) forgetHealth() {
	b.mu.Lock()
	b.health = cachedHealth{}
	b.mu.Unlock()
}
