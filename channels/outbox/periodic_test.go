package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels/outbox"
	"clinic/inbox"
)

// A started outbox runs the periodic work on its job queue: the request expiry it was given, and the
// reminders that are due, without being asked.
func TestPeriodicWorkRunsOnTheQueue(t *testing.T) {
	t.Parallel()
	expired := make(chan struct{}, 10)
	b := setup(t, outbox.Config{Expire: func(context.Context) error {
		expired <- struct{}{}
		return nil
	}})
	c := b.clinic
	sess := b.book(t, 0, c.At(5, 10, 0), "tg:1")
	b.SetClock(c.At(4, 10, 0))
	start(t, b.ob)
	select {
	case <-expired:
	case <-time.After(time.Minute):
		t.Fatal("the request expiry never ran")
	}
	require.Eventually(t, func() bool {
		calls := b.tg.calls()
		return len(calls) == 1 && calls[0].Key == reminderKey(sess, 1440, sess.Start)
	}, time.Minute, 20*time.Millisecond, "the due reminder was delivered")
	var d inbox.Delivery
	require.Eventually(t, func() bool {
		require.NoError(t, b.Pool.QueryRow(context.Background(), `SELECT delivery FROM messages WHERE key = $1`,
			reminderKey(sess, 1440, sess.Start)).Scan(&d))
		return d == inbox.DeliverySent
	}, time.Minute, 10*time.Millisecond)
}

// Without an override, the periodic expiry is the inbox's: a request nobody acted on for longer than
// the clinic's expiry (72 h by default) is expired by a started outbox.
func TestPeriodicExpiryExpiresIdleRequests(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	req, _, err := b.store.Submit(ctx, nil, inbox.NewRequest{Channel: inbox.WebForm, Key: "form-1", Name: "Rui Costa", Phone: "+351912345699"})
	require.NoError(t, err)
	b.SetClock(b.Clock.Add(73 * time.Hour))
	start(t, b.ob)
	require.Eventually(t, func() bool {
		var status inbox.Status
		require.NoError(t, b.Pool.QueryRow(ctx, `SELECT status FROM requests WHERE id = $1`, req.ID).Scan(&status))
		return status == inbox.StatusExpired
	}, time.Minute, 20*time.Millisecond)
}
