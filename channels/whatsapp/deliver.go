package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mau.fi/whatsmeow/types"
	"golang.org/x/time/rate"

	"clinic/channels"
	"clinic/inbox"
)

// Sender sends one text message to a WhatsApp address under an id of the caller's choosing, so that
// a retried send of one message is the same message to WhatsApp. The connected whatsmeow client is
// the production one (Service.Sender).
type Sender interface {
	SendText(ctx context.Context, to types.JID, id types.MessageID, text string) error
}

// NumberChecker is a Sender that can also ask WhatsApp whether a phone number (E.164) has an
// account; the connected client is one. The Deliverer asks when a send to a number fails, so that a
// number that is not on WhatsApp fails for good instead of being retried for hours.
type NumberChecker interface {
	OnWhatsApp(ctx context.Context, phone string) (bool, error)
}

// ErrNotOnWhatsApp is a send to a phone number that has no WhatsApp account.
var ErrNotOnWhatsApp = errors.New("this number is not on WhatsApp")

// Consent says whether the clinic may message an address: the person wrote first or agreed to be
// messaged there, and whether they asked the clinic to stop since. Store is one.
type Consent interface {
	Permission(ctx context.Context, address string) (Permission, error)
}

// ErrNotConnected is a send attempted while this server holds no connected WhatsApp client; the
// outbox tries again later.
var ErrNotConnected = errors.New("WhatsApp is not connected on this server")

// NewLimiter is the send pace the clinic's number keeps: one message a second, bursts of five
// (numbers that message quickly get banned; FIELD-NOTES).
func NewLimiter() *rate.Limiter { return rate.NewLimiter(rate.Every(time.Second), 5) }

// notConnectedRetry is how soon a send is tried again when no connection is held here.
const notConnectedRetry = 5 * time.Second

// Deliverer sends the outbox's WhatsApp messages (channels.Deliverer): choices as a numbered list,
// only to people who wrote first or agreed, at the limiter's pace.
type Deliverer struct {
	send    Sender
	consent Consent
	limit   *rate.Limiter
}

// NewDeliverer returns a deliverer that sends through send, checks consent and keeps limit's pace.
func NewDeliverer(send Sender, consent Consent, limit *rate.Limiter) *Deliverer {
	return &Deliverer{send: send, consent: consent, limit: limit}
}

var _ channels.Deliverer = (*Deliverer)(nil)

// Deliver sends msg. Refused for good (channels.ErrPermanent): an address that is not WhatsApp's, a
// person who never wrote nor agreed, one who wrote STOP and has not written since (except the one
// acknowledgement of that STOP), and a number WhatsApp says has no account (ErrNotOnWhatsApp). Over
// the pace, or with no connection here, the error wraps *channels.RetryAfter.
func (d *Deliverer) Deliver(ctx context.Context, msg inbox.Outbound) error {
	to, err := types.ParseJID(msg.Address)
	if err != nil || to.User == "" || (to.Server != types.DefaultUserServer && to.Server != types.HiddenUserServer) {
		return fmt.Errorf("WhatsApp address %q: %w", msg.Address, channels.ErrPermanent)
	}
	perm, err := d.consent.Permission(ctx, to.ToNonAD().String())
	if err != nil {
		return fmt.Errorf("deliver WhatsApp message %s: %w", msg.Key, err)
	}
	if !perm.Allowed {
		return fmt.Errorf("%s has not written to the clinic nor agreed to WhatsApp messages: %w", msg.Address, channels.ErrPermanent)
	}
	if !perm.OptedOut.IsZero() && !strings.HasPrefix(msg.Key, stopAckPrefix) {
		return &permanent{reason: fmt.Sprintf("not sent: the patient wrote STOP on WhatsApp on %s UTC and gets no messages there until they write again",
			perm.OptedOut.UTC().Format("2 Jan 2006 15:04"))}
	}
	if r := d.limit.Reserve(); !r.OK() || r.Delay() > 0 {
		wait := r.Delay()
		r.Cancel()
		return &channels.RetryAfter{After: max(wait, time.Second), Err: errors.New("WhatsApp send pace reached")}
	}
	err = d.send.SendText(ctx, to.ToNonAD(), MessageID(msg.Key), Render(msg))
	if errors.Is(err, ErrNotConnected) {
		return &channels.RetryAfter{After: notConnectedRetry, Err: err}
	}
	if err != nil {
		return d.sendFailed(ctx, to.ToNonAD(), msg, err)
	}
	return nil
}

// sendFailed makes a failed send to a phone number that WhatsApp says has no account a permanent
// failure ("this number is not on WhatsApp"); any other failure is retried. The sender may say so
// itself (an error wrapping ErrNotOnWhatsApp), or, when it can check numbers, it is asked: a send to
// an unknown target fails in ways that do not say why (no LID for the number, server error 479).
func (d *Deliverer) sendFailed(ctx context.Context, to types.JID, msg inbox.Outbound, err error) error {
	if errors.Is(err, ErrNotOnWhatsApp) {
		return &permanent{reason: ErrNotOnWhatsApp.Error(), err: err}
	}
	err = fmt.Errorf("send WhatsApp message %s: %w", msg.Key, err)
	check, ok := d.send.(NumberChecker)
	phone := phoneOf(to)
	if !ok || to.Server != types.DefaultUserServer || phone == "" {
		return err
	}
	on, cerr := check.OnWhatsApp(ctx, phone)
	if cerr != nil || on {
		return err
	}
	return &permanent{reason: ErrNotOnWhatsApp.Error(), err: err}
}

// permanent is a delivery that cannot succeed, with the reason staff read on the message.
type permanent struct {
	reason string
	err    error
}

func (p *permanent) Error() string { return p.reason }

// Unwrap lets callers find channels.ErrPermanent, and the failure behind it.
func (p *permanent) Unwrap() []error {
	if p.err == nil {
		return []error{channels.ErrPermanent}
	}
	return []error{channels.ErrPermanent, p.err}
}

// Render is the message's text with its choices as a numbered list; the dialogue accepts the number
// typed back as the choice.
func Render(msg inbox.Outbound) string {
	if len(msg.Choices) == 0 {
		return msg.Text
	}
	var b strings.Builder
	b.WriteString(msg.Text)
	if msg.Text != "" {
		b.WriteString("\n")
	}
	for i, c := range msg.Choices {
		b.WriteString("\n" + strconv.Itoa(i+1) + ". " + c.Label)
	}
	return b.String()
}

// MessageID is the WhatsApp message id of the outbound message with this idempotency key: shaped
// like the ids WhatsApp Web makes, and the same on every retry.
func MessageID(key string) types.MessageID {
	h := sha256.Sum256([]byte("clinic-whatsapp:" + key))
	return types.MessageID("3EB0" + strings.ToUpper(hex.EncodeToString(h[:9])))
}
