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
	*b.Clock = c.At(4, 10, 0)
	start(t, b.ob)
	select {
	case <-expired:
	case <-time.After(30 * time.Second):
		t.Fatal("the request expiry never ran")
	}
	require.Eventually(t, func() bool {
		calls := b.tg.calls()
		return len(calls) == 1 && calls[0].Key == reminderKey(sess, 1440, sess.Start)
	}, 30*time.Second, 20*time.Millisecond, "the due reminder was delivered")
	var d inbox.Delivery
	require.Eventually(t, func() bool {
		require.NoError(t, b.Pool.QueryRow(context.Background(), `SELECT delivery FROM messages WHERE key = $1`,
			reminderKey(sess, 1440, sess.Start)).Scan(&d))
		return d == inbox.DeliverySent
	}, 20*time.Second, 10*time.Millisecond)
}
