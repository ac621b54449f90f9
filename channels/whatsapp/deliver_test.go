package whatsapp

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/types"
	"golang.org/x/time/rate"

	"clinic/channels"
	"clinic/inbox"
)

// fakeSender records what would go out; err is returned instead when set.
type fakeSender struct {
	mu   sync.Mutex
	sent []sent
	err  error
}

type sent struct {
	To   types.JID
	ID   types.MessageID
	Text string
}

func (s *fakeSender) SendText(_ context.Context, to types.JID, id types.MessageID, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.sent = append(s.sent, sent{to, id, text})
	return nil
}

// wroteFirst gives consent to address by a message from it.
func wroteFirst(t *testing.T, b *bundle, address string) {
	t.Helper()
	require.NoError(t, b.store.Wrote(context.Background(), Contact{Address: address, Phone: "+971501234567"}))
}

func TestChoicesGoOutAsANumberedListUnderTheKeysID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	wroteFirst(t, b, "971501234567@s.whatsapp.net")
	s := &fakeSender{}
	d := NewDeliverer(s, b.store, NewLimiter())
	msg := inbox.Outbound{Key: "reply-42", Channel: inbox.WhatsApp, Address: "971501234567@s.whatsapp.net",
		Text: "Which examination?", Choices: []inbox.Choice{{ID: "e1", Label: "Blood test"}, {ID: "e2", Label: "Chest X-ray"}}}
	require.NoError(t, d.Deliver(context.Background(), msg))
	require.NoError(t, d.Deliver(context.Background(), msg), "a retry")
	require.Len(t, s.sent, 2)
	require.Equal(t, "Which examination?\n\n1. Blood test\n2. Chest X-ray", s.sent[0].Text)
	require.Equal(t, "971501234567@s.whatsapp.net", s.sent[0].To.String())
	require.Equal(t, s.sent[0].ID, s.sent[1].ID, "a retried send carries the same message id, so WhatsApp keeps one")
	require.Regexp(t, `^3EB0[0-9A-F]{18}$`, string(s.sent[0].ID))
	require.NotEqual(t, MessageID("reply-42"), MessageID("reply-43"))
}

func TestNoMessageToSomeoneWhoNeverWroteNorAgreed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := &fakeSender{}
	d := NewDeliverer(s, b.store, NewLimiter())
	err := d.Deliver(context.Background(), inbox.Outbound{Key: "k1", Address: "971500000001@s.whatsapp.net", Text: "Your visit is confirmed"})
	require.ErrorIs(t, err, channels.ErrPermanent)
	require.Empty(t, s.sent)
	// Agreeing when booking with this number lets the clinic write first.
	require.NoError(t, b.store.Consent(context.Background(), "971500000001@s.whatsapp.net", "+971500000001"))
	require.NoError(t, d.Deliver(context.Background(), inbox.Outbound{Key: "k1", Address: "971500000001@s.whatsapp.net", Text: "Your visit is confirmed"}))
	require.Len(t, s.sent, 1)
}

func TestAnAddressThatIsNotWhatsAppsIsRefusedForGood(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := NewDeliverer(&fakeSender{}, b.store, NewLimiter())
	for _, addr := range []string{"", "12345", "120363000000000000@g.us", "status@broadcast"} {
		require.ErrorIs(t, d.Deliver(context.Background(), inbox.Outbound{Key: "k", Address: addr, Text: "x"}), channels.ErrPermanent, addr)
	}
}

func TestSendsOverThePaceAreToldWhenToRetry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	wroteFirst(t, b, "971501234567@s.whatsapp.net")
	s := &fakeSender{}
	d := NewDeliverer(s, b.store, rate.NewLimiter(rate.Every(time.Hour), 2))
	msg := inbox.Outbound{Key: "k", Address: "971501234567@s.whatsapp.net", Text: "x"}
	require.NoError(t, d.Deliver(context.Background(), msg))
	require.NoError(t, d.Deliver(context.Background(), msg))
	err := d.Deliver(context.Background(), msg)
	var ra *channels.RetryAfter
	require.ErrorAs(t, err, &ra)
	require.Greater(t, ra.After, 50*time.Minute)
	require.Len(t, s.sent, 2, "nothing sent over the pace")
}

func TestNotConnectedIsRetriedAndOtherFailuresAreReported(t *testing.T) {
	t.Parallel()
	b := setup(t)
	wroteFirst(t, b, "971501234567@s.whatsapp.net")
	s := &fakeSender{err: ErrNotConnected}
	d := NewDeliverer(s, b.store, NewLimiter())
	msg := inbox.Outbound{Key: "k", Address: "971501234567@s.whatsapp.net", Text: "x"}
	var ra *channels.RetryAfter
	require.ErrorAs(t, d.Deliver(context.Background(), msg), &ra)
	s.err = errors.New("server returned error 479")
	err := d.Deliver(context.Background(), msg)
	require.Error(t, err)
	require.NotErrorIs(t, err, channels.ErrPermanent)
}

func TestServiceWithoutAClientSendsNothing(t *testing.T) {
	t.Parallel()
	s := &Service{}
	require.ErrorIs(t, s.SendText(context.Background(), types.NewJID("971501234567", types.DefaultUserServer), "3EB0X", "x"), ErrNotConnected)
}
