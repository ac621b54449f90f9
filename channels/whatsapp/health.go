package whatsapp

import (
	"context"
	"fmt"
	"time"

	"clinic/channels"
	"clinic/inbox"
)

// State is the WhatsApp connection's state as staff see it (API.md: GET /api/v1/channels).
type State string

// The connection's states.
const (
	// NotLinked: no phone is linked yet, or it was unlinked; link by QR code or pairing code.
	NotLinked State = "not_linked"
	// Linking: a QR code or pairing code is waiting to be used on the phone.
	Linking      State = "linking"
	Connected    State = "connected"
	Disconnected State = "disconnected"
	// KeepAliveLost: WhatsApp stopped answering pings; the connection may come back by itself.
	KeepAliveLost State = "keepalive_lost"
	// LoggedOut: the phone or WhatsApp ended the link; it must be linked again.
	LoggedOut State = "logged_out"
	// Banned: WhatsApp banned the number for a while (the detail says why and until when).
	Banned State = "banned"
	// Replaced: another client connected with the same link and took it over.
	Replaced State = "replaced"
)

// Label is the state in words for the console.
func (s State) Label() string {
	switch s {
	case NotLinked:
		return "Not linked"
	case Linking:
		return "Waiting to be linked"
	case Connected:
		return "Connected"
	case Disconnected:
		return "Disconnected"
	case KeepAliveLost:
		return "Connection not answering"
	case LoggedOut:
		return "Logged out: link the phone again"
	case Banned:
		return "Temporarily banned by WhatsApp"
	case Replaced:
		return "Replaced by another client"
	}
	return string(s)
}

// Time a reconnection is given before a dropped connection counts as down, and a holder's silence
// before its connection counts as lost (it writes a heartbeat every poll).
const (
	downAfter  = 2 * time.Minute
	staleAfter = 30 * time.Second
)

// Health reports the channel's health from the recorded state, on every server (channels.HealthSource).
type Health struct {
	store *Store
}

// NewHealth returns the channel's health source over store.
func NewHealth(store *Store) *Health { return &Health{store: store} }

// Health reads the recorded state. A connection whose holder has gone quiet reads as disconnected,
// and a drop counts as down once it has lasted longer than a reconnection takes.
func (h *Health) Health(ctx context.Context) channels.Health {
	l, err := h.store.Link(ctx)
	if err != nil {
		return channels.Health{Channel: inbox.WhatsApp, State: string(Disconnected), Detail: "the link state could not be read", Down: true}
	}
	return healthOf(l, h.store.now())
}

func healthOf(l Link, now time.Time) channels.Health {
	st, detail, since := l.State, l.Detail, l.Since
	if st != NotLinked && st != LoggedOut && st != Banned && (l.HeldAt.IsZero() || now.Sub(l.HeldAt) > staleAfter) {
		st, detail, since = Disconnected, "no server holds the connection", l.HeldAt
	}
	out := channels.Health{Channel: inbox.WhatsApp, State: string(st), Detail: detail}
	if !since.IsZero() {
		s := since
		out.Since = &s
	}
	out.Warning = phoneWarning(l, now)
	switch st {
	case LoggedOut, Banned, Replaced:
		out.Down = true
	case Disconnected, KeepAliveLost:
		out.Down = since.IsZero() || now.Sub(since) > downAfter
	}
	return out
}

// WhatsApp ends a linked device's link when the phone it hangs on has not been online for
// phoneDropAfter; staff are warned from phoneWarnAfter (FIELD-NOTES: mautrix-whatsapp warns at 12
// days).
const (
	phoneWarnAfter = 12 * 24 * time.Hour
	phoneDropAfter = 14 * 24 * time.Hour
)

// phoneWarning is the warning about a linked phone that has been offline for phoneWarnAfter or more,
// or "" when it was seen since, is not known, or no phone is linked.
func phoneWarning(l Link, now time.Time) string {
	if !l.Linked() || l.PhoneSeen.IsZero() || now.Sub(l.PhoneSeen) < phoneWarnAfter {
		return ""
	}
	days := int(now.Sub(l.PhoneSeen) / (24 * time.Hour))
	return fmt.Sprintf("The linked phone has not been online for %d days; open WhatsApp on it before day %d or it will be unlinked",
		days, int(phoneDropAfter/(24*time.Hour)))
}
