package outbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels/outbox"
	"clinic/scheduling"
)

// threeWaiting books three patients on Monday at 09:00, 09:30 and 10:00, each with a Telegram chat
// tg:1..tg:3, and checks them in in that order at 08:00.
func (b *testBundle) threeWaiting(t *testing.T) []*scheduling.Session {
	t.Helper()
	c := b.clinic
	var out []*scheduling.Session
	for i := 1; i <= 3; i++ {
		out = append(out, b.book(t, i, c.At(4, 8+i/2, 30*(1-i%2)), fmt.Sprintf("tg:%d", i)))
	}
	b.SetClock(c.At(4, 8, 0))
	for _, s := range out {
		_, err := b.Svc.CheckIn(context.Background(), "test", s.ID)
		require.NoError(t, err)
	}
	return out
}

func turnNearKey(s *scheduling.Session) string { return fmt.Sprintf("turn_near:%d", s.ID) }

// With the setting at 2, the first two in line hear that their turn is near; when the first goes in,
// the third does; nobody hears it twice.
func TestTurnNearIsSaidOnceAtTheSetPlace(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	sess := b.threeWaiting(t)
	day := scheduling.DateOf(b.clinic.At(4, 12, 0))

	require.NoError(t, b.ob.TurnNear(ctx, b.clinic.Branch.ID, day))
	require.Equal(t, "Your turn is near: you are number 1 in line for Ana Ferreira. Please stay close to the consulting room.",
		b.outMessages(t, "tg:1")[turnNearKey(sess[0])])
	require.Contains(t, b.outMessages(t, "tg:2")[turnNearKey(sess[1])], "number 2 in line")
	require.Empty(t, b.outMessages(t, "tg:3"))

	_, err := b.Svc.Open(ctx, "test", sess[0].ID)
	require.NoError(t, err)
	require.NoError(t, b.ob.TurnNear(ctx, b.clinic.Branch.ID, day))
	require.NoError(t, b.ob.TurnNear(ctx, b.clinic.Branch.ID, day))
	require.Contains(t, b.outMessages(t, "tg:3")[turnNearKey(sess[2])], "number 2 in line")
	for i := 1; i <= 3; i++ {
		require.Len(t, b.outMessages(t, fmt.Sprintf("tg:%d", i)), 1)
	}
}

// A patient not yet checked in is not told, whatever their place; a setting of 0 tells nobody.
func TestTurnNearNeedsCheckInAndTheSetting(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	c := b.clinic
	b.book(t, 9, c.At(4, 11, 0), "tg:9")
	day := scheduling.DateOf(c.At(4, 12, 0))
	b.SetClock(c.At(4, 8, 0))
	require.NoError(t, b.ob.TurnNear(ctx, c.Branch.ID, day))
	require.Empty(t, b.outMessages(t, "tg:9"))

	_, err := b.ob.SaveSettings(ctx, outbox.Settings{ReminderOffsets: []int{1440}, TurnNearPosition: 0})
	require.NoError(t, err)
	b.threeWaiting(t)
	require.NoError(t, b.ob.TurnNear(ctx, c.Branch.ID, day))
	require.Zero(t, b.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

// A running outbox hears queue changes: a check-in, and staff dragging a patient to the front.
func TestTurnNearFollowsQueueChanges(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{ReminderEvery: time.Hour})
	ctx := context.Background()
	_, err := b.ob.SaveSettings(ctx, outbox.Settings{TurnNearPosition: 1})
	require.NoError(t, err)
	start(t, b.ob)
	sess := b.threeWaiting(t)
	require.Eventually(t, func() bool {
		return b.outMessages(t, "tg:1")[turnNearKey(sess[0])] != ""
	}, time.Minute, 20*time.Millisecond, "the first in line is told after the check-in")

	day := scheduling.DateOf(b.clinic.At(4, 12, 0))
	_, err = b.queue.SetOrder(ctx, b.clinic.Branch.ID, day, 0, []scheduling.ID{sess[2].ID, sess[0].ID, sess[1].ID})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return b.outMessages(t, "tg:3")[turnNearKey(sess[2])] != ""
	}, time.Minute, 20*time.Millisecond, "the patient dragged to the front is told")
	require.Empty(t, b.outMessages(t, "tg:2"))
}
