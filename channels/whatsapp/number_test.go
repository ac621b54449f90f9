package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/types"

	"clinic/channels"
	"clinic/inbox"
)

// checkingSender is a sender that can also check numbers, as the connected client can: registered
// says which numbers have an account; checkErr fails the check.
type checkingSender struct {
	fakeSender
	registered map[string]bool
	checkErr   error
	checked    []string
}

func (s *checkingSender) OnWhatsApp(_ context.Context, phone string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checked = append(s.checked, phone)
	if s.checkErr != nil {
		return false, s.checkErr
	}
	return s.registered[phone], nil
}

func TestANumberThatIsNotOnWhatsAppFailsForGoodWithAReasonStaffCanRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	require.NoError(t, b.store.Consent(ctx, "971500000009@s.whatsapp.net", "+971500000009"))
	// What whatsmeow answers for a number with no account: no LID for it.
	s := &checkingSender{fakeSender: fakeSender{err: fmt.Errorf("failed to get LID for PN: no LID found for 971500000009@s.whatsapp.net from server")}}
	d := NewDeliverer(s, b.store, NewLimiter())
	err := d.Deliver(ctx, inbox.Outbound{Key: "confirm:1", Address: "971500000009@s.whatsapp.net", Text: "Your visit is confirmed"})
	require.ErrorIs(t, err, channels.ErrPermanent, "not retried for hours")
	require.Equal(t, "this number is not on WhatsApp", err.Error(), "the reason the outbox records for staff")
	require.Equal(t, []string{"+971500000009"}, s.checked, "WhatsApp was asked about the number, with its plus")
}

func TestASendFailureForANumberOnWhatsAppIsRetried(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	wroteFirst(t, b, "971501234567@s.whatsapp.net")
	msg := inbox.Outbound{Key: "k", Address: "971501234567@s.whatsapp.net", Text: "x"}

	s := &checkingSender{fakeSender: fakeSender{err: errors.New("server returned error 479")},
		registered: map[string]bool{"+971501234567": true}}
	err := NewDeliverer(s, b.store, NewLimiter()).Deliver(ctx, msg)
	require.Error(t, err)
	require.NotErrorIs(t, err, channels.ErrPermanent, "the number has an account: worth another try")

	// When WhatsApp cannot be asked, the send is retried too.
	s = &checkingSender{fakeSender: fakeSender{err: errors.New("server returned error 479")}, checkErr: errors.New("info query timed out")}
	err = NewDeliverer(s, b.store, NewLimiter()).Deliver(ctx, msg)
	require.Error(t, err)
	require.NotErrorIs(t, err, channels.ErrPermanent)

	// Not connected here is waited out without asking anything.
	s = &checkingSender{fakeSender: fakeSender{err: ErrNotConnected}}
	var ra *channels.RetryAfter
	require.ErrorAs(t, NewDeliverer(s, b.store, NewLimiter()).Deliver(ctx, msg), &ra)
	require.Empty(t, s.checked)
}

func TestASenderThatKnowsTheNumberIsNotOnWhatsAppIsBelieved(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	wroteFirst(t, b, "971501234567@s.whatsapp.net")
	s := &fakeSender{err: fmt.Errorf("send to 971501234567: %w", ErrNotOnWhatsApp)}
	err := NewDeliverer(s, b.store, NewLimiter()).Deliver(ctx, inbox.Outbound{Key: "k", Address: "971501234567@s.whatsapp.net", Text: "x"})
	require.ErrorIs(t, err, channels.ErrPermanent)
	require.ErrorIs(t, err, ErrNotOnWhatsApp)
	require.Equal(t, "this number is not on WhatsApp", err.Error())
}

func TestAHiddenIDIsNeverJudgedNotOnWhatsApp(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	addr := types.NewJID("204019337646125", types.HiddenUserServer).String()
	wroteFirst(t, b, addr)
	s := &checkingSender{fakeSender: fakeSender{err: errors.New("server returned error 479")}}
	err := NewDeliverer(s, b.store, NewLimiter()).Deliver(ctx, inbox.Outbound{Key: "k", Address: addr, Text: "x"})
	require.NotErrorIs(t, err, channels.ErrPermanent, "someone who wrote from a hidden id has an account")
	require.Empty(t, s.checked)
}
