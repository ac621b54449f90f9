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

// reminderKey is the key of a session's reminder offset minutes before start.
func reminderKey(sess *scheduling.Session, offset int, start time.Time) string {
	return fmt.Sprintf("reminder:%d:%d:%d", sess.ID, offset, start.Unix())
}

func (b *testBundle) remindAt(t *testing.T, at time.Time) {
	t.Helper()
	b.SetClock(at)
	require.NoError(t, b.ob.Remind(context.Background()))
}

// Booked on Monday 06:00 for Tuesday 10:00: the 24 h reminder goes out on Monday at 10:00, the 2 h one
// on Tuesday at 08:00, each once, in the patient's conversation.
func TestRemindersAreSentAtTheirTimeOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")

	b.remindAt(t, c.At(4, 9, 59))
	require.Empty(t, b.outMessages(t, "tg:1"), "too early")

	b.remindAt(t, c.At(4, 10, 0))
	b.remindAt(t, c.At(4, 10, 1))
	msgs := b.outMessages(t, "tg:1")
	require.Len(t, msgs, 1)
	require.Equal(t, "Reminder: your visit at Lisbon with Ana Ferreira is on 2027-01-05 at 10:00. We look forward to seeing you.",
		msgs[reminderKey(sess, 1440, sess.Start)])

	b.remindAt(t, c.At(5, 7, 59))
	require.Len(t, b.outMessages(t, "tg:1"), 1)
	b.remindAt(t, c.At(5, 8, 0))
	b.remindAt(t, c.At(5, 9, 0))
	msgs = b.outMessages(t, "tg:1")
	require.Len(t, msgs, 2)
	require.Contains(t, msgs, reminderKey(sess, 120, sess.Start))

	// Each went to the outbox once.
	require.Equal(t, 2, b.count(t, `SELECT count(*) FROM river_job WHERE kind = 'outbox_deliver'`))
}

func TestARescheduledSessionIsRemindedOfItsNewTime(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	ctx := context.Background()
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")
	b.remindAt(t, c.At(4, 10, 0))
	require.Contains(t, b.outMessages(t, "tg:1"), reminderKey(sess, 1440, sess.Start))

	b.SetClock(c.At(4, 10, 30))
	moved, err := b.Svc.Reschedule(ctx, "test", sess.ID, scheduling.RescheduleInput{Start: c.At(6, 15, 0)})
	require.NoError(t, err)

	b.remindAt(t, c.At(5, 8, 0)) // the old start's 2 h reminder time: nothing
	require.Len(t, b.outMessages(t, "tg:1"), 1)
	b.remindAt(t, c.At(5, 15, 0))
	b.remindAt(t, c.At(6, 13, 0))
	msgs := b.outMessages(t, "tg:1")
	require.Len(t, msgs, 3)
	require.Contains(t, msgs[reminderKey(moved, 1440, moved.Start)], "2027-01-06 at 15:00")
	require.Contains(t, msgs, reminderKey(moved, 120, moved.Start))
}

func TestACancelledSessionIsNotReminded(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")
	_, err := b.Svc.Cancel(context.Background(), "test", sess.ID, "patient called")
	require.NoError(t, err)
	b.remindAt(t, c.At(4, 10, 0))
	b.remindAt(t, c.At(5, 8, 0))
	require.Empty(t, b.outMessages(t, "tg:1"))
}

// A reminder whose time had passed when the session was booked is never sent: booked 90 minutes
// ahead, there is neither a 24 h nor a 2 h reminder.
func TestNoReminderWhoseTimeHadPassedAtBooking(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	b.SetClock(c.At(4, 8, 30))
	b.book(t, 0, c.At(4, 10, 0), "tg:1")
	b.remindAt(t, c.At(4, 8, 31))
	b.remindAt(t, c.At(4, 9, 30))
	require.Empty(t, b.outMessages(t, "tg:1"))
}

// After a pause (a server down over both reminder times) only the nearest reminder goes out.
func TestOnlyTheNearestOfSeveralDueRemindersIsSent(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")
	b.remindAt(t, c.At(5, 9, 0))
	b.remindAt(t, c.At(5, 9, 1))
	msgs := b.outMessages(t, "tg:1")
	require.Len(t, msgs, 1)
	require.Contains(t, msgs, reminderKey(sess, 120, sess.Start))
}

// A patient who never wrote on a channel the clinic can reach is not messaged; once they write, the
// reminder that is due goes out.
func TestAReminderWaitsForAConversation(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	sess := b.book(t, 0, c.At(5, 10, 0), "")
	b.remindAt(t, c.At(4, 10, 0))
	require.Zero(t, b.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
	b.converse(t, "tg:1", c.Patient.Phone)
	b.remindAt(t, c.At(4, 11, 0))
	require.Contains(t, b.outMessages(t, "tg:1"), reminderKey(sess, 1440, sess.Start))
}

// Reminders are in the patient's language.
func TestRemindersSpeakThePatientsLanguage(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	ctx := context.Background()
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")
	_, err := b.Pool.Exec(ctx, `UPDATE conversations SET lang = 'ar'`)
	require.NoError(t, err)
	b.remindAt(t, c.At(4, 10, 0))
	require.Contains(t, b.outMessages(t, "tg:1")[reminderKey(sess, 1440, sess.Start)], "تذكير")
}

func TestReminderSettings(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	set, err := b.ob.Settings(ctx)
	require.NoError(t, err)
	require.Equal(t, outbox.Settings{ReminderOffsets: []int{1440, 120}, TurnNearPosition: 2}, set)

	set, err = b.ob.SaveSettings(ctx, outbox.Settings{ReminderOffsets: []int{60, 2880, 60}, TurnNearPosition: 3})
	require.NoError(t, err)
	require.Equal(t, outbox.Settings{ReminderOffsets: []int{2880, 60}, TurnNearPosition: 3}, set)
	got, err := b.ob.Settings(ctx)
	require.NoError(t, err)
	require.Equal(t, set, got)

	for _, bad := range []outbox.Settings{
		{ReminderOffsets: []int{1}},
		{ReminderOffsets: []int{60 * 24 * 31}},
		{ReminderOffsets: []int{10, 20, 30, 40, 50, 60, 70}},
		{TurnNearPosition: -1},
		{TurnNearPosition: 51},
	} {
		_, err := b.ob.SaveSettings(ctx, bad)
		var domain *scheduling.Error
		require.ErrorAs(t, err, &domain, "%+v", bad)
		require.Equal(t, scheduling.KindInvalid, domain.Kind)
	}
	got, err = b.ob.Settings(ctx)
	require.NoError(t, err)
	require.Equal(t, set, got, "a refused change leaves the settings as they were")
}

// A patient who has already checked in is not reminded of the visit they are waiting for.
func TestNoReminderAfterCheckIn(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	c := b.clinic
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")
	b.remindAt(t, c.At(4, 10, 0))
	require.Len(t, b.outMessages(t, "tg:1"), 1)
	b.SetClock(c.At(5, 7, 30))
	_, err := b.Svc.CheckIn(context.Background(), "test", sess.ID)
	require.NoError(t, err)
	b.remindAt(t, c.At(5, 8, 0))
	require.Len(t, b.outMessages(t, "tg:1"), 1)
}
