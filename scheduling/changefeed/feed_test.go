package changefeed_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/changefeed"
)

func start(t *testing.T, pool *pgxpool.Pool) *changefeed.Feed {
	t.Helper()
	feed := changefeed.New(pool, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { feed.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-feed.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("the feed never listened")
	}
	return feed
}

func notify(t *testing.T, pool *pgxpool.Pool, branch scheduling.ID, session scheduling.ID) {
	t.Helper()
	payload := `{"session_id":"` + session.String() + `","branch_id":"` + branch.String() + `","day":"2027-01-04","action":"booked"}`
	_, err := pool.Exec(context.Background(), `SELECT pg_notify($1, $2)`, scheduling.NotifyChannel, payload)
	require.NoError(t, err)
}

func receive(t *testing.T, ch <-chan scheduling.Notice) (scheduling.Notice, bool) {
	t.Helper()
	select {
	case n, ok := <-ch:
		return n, ok
	case <-time.After(5 * time.Second):
		t.Fatal("nothing arrived")
		return scheduling.Notice{}, false
	}
}

// TestFanOutByBranch: a subscriber hears its own branch only, in order.
func TestFanOutByBranch(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	feed := start(t, pool)
	one, cancelOne := feed.Subscribe(1)
	defer cancelOne()
	two, cancelTwo := feed.Subscribe(2)
	defer cancelTwo()
	notify(t, pool, 2, 10)
	notify(t, pool, 1, 11)
	notify(t, pool, 1, 12)
	n, ok := receive(t, one)
	require.True(t, ok)
	require.Equal(t, scheduling.ID(11), n.SessionID)
	n, _ = receive(t, one)
	require.Equal(t, scheduling.ID(12), n.SessionID)
	n, _ = receive(t, two)
	require.Equal(t, scheduling.Notice{SessionID: 10, BranchID: 2, Day: "2027-01-04", Action: "booked"}, n)
	cancelOne()
	_, ok = <-one
	require.False(t, ok, "cancel closes the subscription")
}

// TestSlowSubscriberIsToldToReload: one that falls more than Buffer notices behind is closed rather
// than silently missing changes, and the others go on.
func TestSlowSubscriberIsToldToReload(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	feed := start(t, pool)
	slow, cancelSlow := feed.Subscribe(1)
	defer cancelSlow()
	for i := range changefeed.Buffer + 1 {
		notify(t, pool, 1, scheduling.ID(i+1))
	}
	after, cancelAfter := feed.Subscribe(1)
	defer cancelAfter()
	notify(t, pool, 1, 999)
	for n, ok := receive(t, after); n.SessionID != 999; n, ok = receive(t, after) {
		require.True(t, ok, "a subscriber that keeps up is never closed")
	}
	got := 0
	for range slow {
		got++
	}
	require.Equal(t, changefeed.Buffer, got, "the slow one got what fitted, then was closed")
}

// TestReconnectsAfterLosingItsConnection: when PostgreSQL drops the listening connection, subscribers
// are closed (they may have missed changes) and the feed listens again.
func TestReconnectsAfterLosingItsConnection(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	feed := start(t, pool)
	sub, cancel := feed.Subscribe(1)
	defer cancel()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`)
	require.NoError(t, err)
	_, ok := receive(t, sub)
	require.False(t, ok, "subscribers are told to reload")

	deadline := time.Now().Add(10 * time.Second)
	for {
		again, cancelAgain := feed.Subscribe(1)
		notify(t, pool, 1, 7)
		select {
		case n, ok := <-again:
			cancelAgain()
			if ok && n.SessionID == 7 {
				return
			}
		case <-time.After(200 * time.Millisecond):
			cancelAgain()
		}
		require.True(t, time.Now().Before(deadline), "the feed never listened again")
	}
}
