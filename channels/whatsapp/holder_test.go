package whatsapp

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
)

// runHolder starts a holder whose work reports its start on started and its end on ended.
func runHolder(ctx context.Context, cfg *pgx.ConnConfig, name string, started, ended chan<- string) {
	h := NewHolder(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h.Poll = 50 * time.Millisecond
	go h.Run(ctx, func(ctx context.Context) {
		started <- name
		<-ctx.Done()
		ended <- name
	})
}

func TestOneServerHoldsTheConnectionAndAnotherTakesOverWhenItDies(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	cfg := pool.Config().ConnConfig
	started, ended := make(chan string, 4), make(chan string, 4)
	ctxA, stopA := context.WithCancel(context.Background())
	defer stopA()
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()

	runHolder(ctxA, cfg, "A", started, ended)
	require.Equal(t, "A", <-started)
	runHolder(ctxB, cfg, "B", started, ended)

	// B waits while A holds: a polled check of the lock's holders, not a sleep.
	var holders int
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`, holderLock).Scan(&holders))
	require.Equal(t, 1, holders)
	select {
	case who := <-started:
		t.Fatalf("%s started while A held the connection", who)
	default:
	}

	// A's server dies: its session ends without a word (the database drops the connection).
	_, err := pool.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND objid = $1 AND granted`, holderLock)
	require.NoError(t, err)
	require.Equal(t, "A", waitFor(t, ended), "A stops using WhatsApp once its lock is gone")
	require.Equal(t, "B", waitFor(t, started), "B takes over")

	// B stops cleanly; A, still running, takes the connection back.
	stopB()
	require.Equal(t, "B", waitFor(t, ended))
	require.Equal(t, "A", waitFor(t, started))
}

func waitFor(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(30 * time.Second):
		t.Fatal("nothing happened in 30 s")
		return ""
	}
}
