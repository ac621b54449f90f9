package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"clinic/channels"
	"clinic/inbox"
)

// Adapter turns whatsmeow's events into inbox messages and recorded connection states. Its Event is
// registered with the client's success-status handlers under synchronous acks: a message is
// acknowledged only when Event returns true, that is when it is stored (DESIGN 3.5).
type Adapter struct {
	handler channels.Handler
	store   *Store
	log     *slog.Logger
	// inbox takes STOP messages (WithInbox); without it a STOP is recorded but not stored nor answered.
	inbox Inbox
}

// NewAdapter returns an adapter that hands messages to handler and records states in store.
func NewAdapter(handler channels.Handler, store *Store, logger *slog.Logger) *Adapter {
	return &Adapter{handler: handler, store: store, log: logger}
}

// Event handles one whatsmeow event and says whether it may be acknowledged. It never panics: a
// panic inside would be counted as success by whatsmeow and the message lost, so it is recovered
// here and answered false, and WhatsApp delivers the message again.
func (a *Adapter) Event(ctx context.Context, evt any) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			a.log.ErrorContext(ctx, "WhatsApp event handler failed", "event", fmt.Sprintf("%T", evt), "panic", r)
			ok = false
		}
	}()
	switch e := evt.(type) {
	case *events.Message:
		return a.message(ctx, e)
	case *events.Connected:
		return a.state(ctx, Connected, "")
	case *events.Disconnected:
		return a.state(ctx, Disconnected, "the connection dropped; reconnecting")
	case *events.KeepAliveTimeout:
		return a.state(ctx, KeepAliveLost, fmt.Sprintf("WhatsApp has not answered since %s", e.LastSuccess.UTC().Format(time.RFC3339)))
	case *events.KeepAliveRestored:
		return a.state(ctx, Connected, "")
	case *events.LoggedOut:
		why := ""
		if e.OnConnect {
			why = " (" + e.Reason.String() + ")"
		}
		return a.state(ctx, LoggedOut, "the phone ended the link"+why+"; link it again")
	case *events.TemporaryBan:
		detail := "code " + e.Code.String()
		if e.Expire > 0 {
			detail += "; ends at " + a.store.now().Add(e.Expire).UTC().Format(time.RFC3339)
		}
		return a.state(ctx, Banned, detail)
	case *events.StreamReplaced:
		return a.state(ctx, Replaced, "another client connected with this link; this server stopped reconnecting")
	case *events.Receipt:
		if e.IsFromMe && e.Sender.Device == 0 {
			a.phoneSeen(ctx, e.Timestamp)
		}
	case *events.MediaRetry:
		a.phoneSeen(ctx, e.Timestamp)
	case *events.PairSuccess:
		a.phoneSeen(ctx, a.store.now())
	}
	return true
}

// phoneSeen records that the clinic's own phone was online at t. WhatsApp shows it only indirectly,
// as mautrix-whatsapp reads it: a message or a receipt sent by the phone itself (device 0 of the
// clinic's own account), a media retry (answered by the phone), or the pairing. A failure is logged
// and the event acknowledged anyway: the next sighting records it.
func (a *Adapter) phoneSeen(ctx context.Context, t time.Time) {
	if err := a.store.PhoneSeen(ctx, t); err != nil {
		a.log.ErrorContext(ctx, "WhatsApp phone sighting not recorded", "err", err)
	}
}

func (a *Adapter) state(ctx context.Context, st State, detail string) bool {
	if err := a.store.SetState(ctx, st, detail); err != nil {
		a.log.ErrorContext(ctx, "WhatsApp state not recorded", "state", st, "err", err)
	}
	return true
}

// message stores a patient's text message and runs it through the dialogue; a STOP withdraws their
// consent instead (optOut). Groups, status updates,
// channels and the clinic's own messages are acknowledged and ignored, and so is anything without
// text (a sticker, a call notice).
func (a *Adapter) message(ctx context.Context, e *events.Message) bool {
	info := e.Info
	if info.IsFromMe && info.Sender.Device == 0 {
		a.phoneSeen(ctx, info.Timestamp)
	}
	if info.IsFromMe || info.IsGroup || info.Chat == types.StatusBroadcastJID || info.Chat.IsBroadcastList() {
		return true
	}
	if s := info.Chat.Server; s != types.DefaultUserServer && s != types.HiddenUserServer {
		return true
	}
	text := e.Message.GetConversation()
	if text == "" {
		text = e.Message.GetExtendedTextMessage().GetText()
	}
	if strings.TrimSpace(text) == "" {
		return true
	}
	contact, err := a.contact(ctx, info.MessageSource)
	if err != nil {
		a.log.ErrorContext(ctx, "WhatsApp sender not resolved", "message", info.ID, "err", err)
		return false
	}
	if lang, stop := stopWord(text); stop {
		return a.optOut(ctx, e, contact, text, lang)
	}
	if err := a.store.Wrote(ctx, contact); err != nil {
		a.log.ErrorContext(ctx, "WhatsApp contact not recorded", "message", info.ID, "err", err)
		return false
	}
	in := inbox.Inbound{Channel: inbox.WhatsApp, Address: contact.Address, ExternalID: info.ID, Text: text,
		Name: info.PushName, Phone: contact.Phone, At: info.Timestamp}
	if _, err := a.handler.Handle(ctx, in); err != nil {
		a.log.ErrorContext(ctx, "WhatsApp message not stored; WhatsApp will deliver it again", "message", info.ID, "err", err)
		return false
	}
	return true
}

// contact works out who wrote: a sender known by phone is answered at that number; one known only by
// a hidden @lid id is mapped to the phone WhatsApp gives beside it (and the pair kept), or to the
// phone kept from an earlier message, else answered at the hidden id itself.
func (a *Adapter) contact(ctx context.Context, src types.MessageSource) (Contact, error) {
	sender := src.Sender.ToNonAD()
	switch sender.Server {
	case types.DefaultUserServer:
		c := Contact{Address: sender.String(), Phone: phoneOf(sender)}
		if alt := src.SenderAlt.ToNonAD(); alt.Server == types.HiddenUserServer {
			c.LID = alt.String()
		}
		return c, nil
	case types.HiddenUserServer:
		if alt := src.SenderAlt.ToNonAD(); alt.Server == types.DefaultUserServer && phoneOf(alt) != "" {
			return Contact{Address: alt.String(), Phone: phoneOf(alt), LID: sender.String()}, nil
		}
		phone, err := a.store.PhoneOfLID(ctx, sender.String())
		if err != nil {
			return Contact{}, err
		}
		if phone != "" {
			return Contact{Address: types.NewJID(strings.TrimPrefix(phone, "+"), types.DefaultUserServer).String(), Phone: phone, LID: sender.String()}, nil
		}
		return Contact{Address: sender.String()}, nil
	}
	return Contact{Address: src.Chat.ToNonAD().String()}, nil
}

// phoneOf is a phone JID's number in E.164, or "" when its user part is not a plausible number.
func phoneOf(jid types.JID) string {
	u := jid.User
	if len(u) < 7 || len(u) > 15 || u[0] == '0' {
		return ""
	}
	for _, r := range u {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return "+" + u
}
