// Package channels connects patients' messaging channels (website chatbot, WhatsApp, Telegram) to the
// inbox and the dialogue engine, and carries messages back out (DESIGN 3.5). Adapters only translate:
// inbound events become inbox.Inbound, replies become the channel's own form.
package channels

import (
	"context"
	"errors"
	"fmt"
	"time"

	"clinic/inbox"
)

// Handler takes one inbound message through storage and the dialogue: the message is stored (a second
// delivery of it is a no-op), the dialogue answers unless staff hold the conversation, and the replies
// are queued for delivery in the same transaction. It returns the replies it queued.
type Handler interface {
	Handle(ctx context.Context, in inbox.Inbound) ([]inbox.Outbound, error)
}

// Deliverer sends one message on its channel. The outbox calls it, and retries when it fails; an error
// wrapping *RetryAfter says when to try again (Telegram's retry_after, a send-rate limit).
type Deliverer interface {
	Deliver(ctx context.Context, msg inbox.Outbound) error
}

// RetryAfter is a delivery failure the channel asked to be retried no sooner than After.
type RetryAfter struct {
	After time.Duration
	Err   error
}

func (e *RetryAfter) Error() string { return fmt.Sprintf("retry after %s: %v", e.After, e.Err) }
func (e *RetryAfter) Unwrap() error { return e.Err }

// ErrPermanent marks a delivery failure that retrying cannot fix (a blocked bot, an unknown chat).
var ErrPermanent = errors.New("delivery cannot succeed")

// Health is one channel's state as staff see it (API.md: GET /api/v1/channels).
type Health struct {
	Channel inbox.Channel `json:"channel"`
	// State is telegram: webhook_ok, webhook_error, polling, off; whatsapp: not_linked, connected,
	// disconnected, logged_out, banned; web_form and chatbot: ok, or degraded when Redis is down.
	State  string     `json:"state"`
	Detail string     `json:"detail,omitempty"`
	Since  *time.Time `json:"since,omitempty"`
	// Down is true when patients cannot reach the clinic on this channel; the console shows a banner.
	Down bool `json:"down"`
	// Warning is something staff must see to before the channel goes down, while patients can still
	// reach the clinic (whatsapp: the linked phone has been offline for 12 days or more); the console
	// shows it in the banner too. Empty when there is nothing to warn of.
	Warning string `json:"warning,omitempty"`
}

// HealthSource reports a channel's current health.
type HealthSource interface {
	Health(ctx context.Context) Health
}
