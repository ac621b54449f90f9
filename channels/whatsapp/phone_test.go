package whatsapp

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

const day = 24 * time.Hour

// linkedPhone is the clinic's number linked and connected, held by a server, at b.now.
func linkedPhone(t *testing.T, b *bundle) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, b.store.SetAccount(ctx, "+971500000001"))
	require.True(t, b.adapter.Event(ctx, &events.Connected{}))
	require.NoError(t, b.store.Heartbeat(ctx, "server-1"))
}

// warningAt is the channel's warning with the clock at t (the holder still beating).
func warningAt(t *testing.T, b *bundle, at time.Time) string {
	t.Helper()
	b.now = at
	ctx := context.Background()
	require.NoError(t, b.store.Heartbeat(ctx, "server-1"))
	h := NewHealth(b.store).Health(ctx)
	require.Equal(t, string(Connected), h.State, "the warning leaves the state alone")
	require.False(t, h.Down, "patients still reach the clinic while the phone is offline")
	return h.Warning
}

// own is the clinic's own account: device 0 is the phone, others are linked devices such as this one.
func own(device uint16) types.JID {
	j := types.NewJID("971500000001", types.DefaultUserServer)
	j.Device = device
	return j
}

func TestPhoneOfflineForTwelveDaysIsWarnedOfUntilItIsSeenAgain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	paired := b.now
	linkedPhone(t, b)
	require.True(t, b.adapter.Event(ctx, &events.PairSuccess{ID: own(7)}), "pairing happens on the phone, so it is online")

	require.Empty(t, warningAt(t, b, paired.Add(12*day-time.Minute)))
	require.Equal(t, "The linked phone has not been online for 12 days; open WhatsApp on it before day 14 or it will be unlinked",
		warningAt(t, b, paired.Add(12*day)))
	require.Equal(t, "The linked phone has not been online for 13 days; open WhatsApp on it before day 14 or it will be unlinked",
		warningAt(t, b, paired.Add(13*day+5*time.Hour)))

	// A message the clinic sent from another linked device (WhatsApp Desktop) says nothing of the phone.
	desktop := &events.Message{Info: types.MessageInfo{
		MessageSource: types.MessageSource{Chat: jid("971501234567", types.DefaultUserServer), Sender: own(3), IsFromMe: true},
		ID:            "3EB0D1", Timestamp: b.now.Add(-time.Minute)}, Message: plain("See you tomorrow")}
	require.True(t, b.adapter.Event(ctx, desktop))
	require.NotEmpty(t, warningAt(t, b, b.now))

	// A message typed on the phone itself is the phone online: the warning goes, and nothing reaches the inbox.
	fromPhone := &events.Message{Info: types.MessageInfo{
		MessageSource: types.MessageSource{Chat: jid("971501234567", types.DefaultUserServer), Sender: own(0), IsFromMe: true},
		ID:            "3EB0D2", Timestamp: b.now.Add(-time.Minute)}, Message: plain("See you tomorrow")}
	require.True(t, b.adapter.Event(ctx, fromPhone))
	require.Empty(t, b.handler.got)
	require.Empty(t, warningAt(t, b, b.now))
	l, err := b.store.Link(ctx)
	require.NoError(t, err)
	require.True(t, l.PhoneSeen.Equal(fromPhone.Info.Timestamp), "seen at %s", l.PhoneSeen)
	require.Equal(t, "The linked phone has not been online for 12 days; open WhatsApp on it before day 14 or it will be unlinked",
		warningAt(t, b, fromPhone.Info.Timestamp.Add(12*day)))
}

func TestReceiptsFromThePhoneAndMediaRetriesCountAsThePhoneOnline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	start := b.now
	linkedPhone(t, b)
	require.NoError(t, b.store.PhoneSeen(ctx, start))

	// A patient's read receipt, and a receipt from another of the clinic's devices, are not the phone.
	b.now = start.Add(12 * day)
	patient := &events.Receipt{MessageSource: types.MessageSource{Chat: jid("971501234567", types.DefaultUserServer),
		Sender: jid("971501234567", types.DefaultUserServer)}, MessageIDs: []types.MessageID{"3EB0E1"}, Timestamp: b.now, Type: types.ReceiptTypeRead}
	desktop := &events.Receipt{MessageSource: types.MessageSource{Chat: jid("971501234567", types.DefaultUserServer),
		Sender: own(3), IsFromMe: true}, MessageIDs: []types.MessageID{"3EB0E2"}, Timestamp: b.now, Type: types.ReceiptTypeReadSelf}
	require.True(t, b.adapter.Event(ctx, patient))
	require.True(t, b.adapter.Event(ctx, desktop))
	require.NotEmpty(t, warningAt(t, b, b.now))

	phone := &events.Receipt{MessageSource: types.MessageSource{Chat: jid("971501234567", types.DefaultUserServer),
		Sender: own(0), IsFromMe: true}, MessageIDs: []types.MessageID{"3EB0E3"}, Timestamp: b.now.Add(-time.Hour), Type: types.ReceiptTypeReadSelf}
	require.True(t, b.adapter.Event(ctx, phone))
	require.Empty(t, warningAt(t, b, b.now))

	b.now = start.Add(30 * day)
	require.True(t, b.adapter.Event(ctx, &events.MediaRetry{MessageID: "3EB0E4", ChatID: jid("971501234567", types.DefaultUserServer),
		Timestamp: b.now.Add(-2 * time.Hour)}))
	require.Empty(t, warningAt(t, b, start.Add(41*day)))
	require.NotEmpty(t, warningAt(t, b, start.Add(42*day)))
}

func TestPhoneSightingsOnlyMoveForwardAndNotBeyondTheClock(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	linkedPhone(t, b)
	seen := func() time.Time {
		l, err := b.store.Link(ctx)
		require.NoError(t, err)
		return l.PhoneSeen
	}
	require.True(t, seen().IsZero(), "never seen yet: no warning can be worked out")
	require.Empty(t, warningAt(t, b, b.now.Add(100*day)))

	b.now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, b.store.PhoneSeen(ctx, b.now.Add(48*time.Hour)))
	require.True(t, seen().Equal(b.now), "a phone clock ahead of ours counts as now")
	require.NoError(t, b.store.PhoneSeen(ctx, b.now.Add(-3*day)))
	require.True(t, seen().Equal(b.now), "an older sighting changes nothing")
	b.now = b.now.Add(2 * time.Hour)
	require.NoError(t, b.store.PhoneSeen(ctx, b.now))
	require.True(t, seen().Equal(b.now))
}

func TestNoPhoneWarningWithoutALinkedPhone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	linkedPhone(t, b)
	require.NoError(t, b.store.PhoneSeen(ctx, b.now))
	require.NotEmpty(t, warningAt(t, b, b.now.Add(13*day)))

	// Logged out after 14 days: the state says so, and the phone's last sighting is forgotten with the link.
	require.True(t, b.adapter.Event(ctx, &events.LoggedOut{}))
	require.NoError(t, b.store.SetAccount(ctx, ""))
	h := NewHealth(b.store).Health(ctx)
	require.Equal(t, string(LoggedOut), h.State)
	require.Empty(t, h.Warning)
	l, err := b.store.Link(ctx)
	require.NoError(t, err)
	require.True(t, l.PhoneSeen.IsZero())
}

func TestThePhoneSeenAgainSoonAfterTheLinkEndedIsRecorded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	linkedPhone(t, b)
	require.NoError(t, b.store.PhoneSeen(ctx, b.now))
	require.NoError(t, b.store.SetAccount(ctx, ""))

	// Linked again ten minutes later: the pairing is a sighting, though less than phoneSeenStep after the forgotten one.
	b.now = b.now.Add(10 * time.Minute)
	linkedPhone(t, b)
	require.True(t, b.adapter.Event(ctx, &events.PairSuccess{ID: own(7)}))
	l, err := b.store.Link(ctx)
	require.NoError(t, err)
	require.True(t, l.PhoneSeen.Equal(b.now), "seen at %s", l.PhoneSeen)
}
