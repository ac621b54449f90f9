package changefeed

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Listener is what Listen tells about one PostgreSQL notification channel; a nil func is not called.
type Listener struct {
	// Listening is called each time LISTEN is in place: nothing committed after it is missed.
	Listening func()
	// Notice gets each notification's payload, in commit order.
	Notice func(payload string)
	// Lost is called after the connection was lost: notifications may have been missed meanwhile.
	Lost func()
}

// Listen holds one connection listening on channel until ctx ends, reconnecting with a growing pause
// after a lost connection. The connection is taken from pool and never handed back: it ends its life
// listening.
func Listen(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger, channel string, l Listener) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, pool, channel, l)
		if ctx.Err() != nil {
			return
		}
		logger.WarnContext(ctx, "lost the connection listening for changes; reconnecting", "channel", channel,
			"err", err, "retry_in", backoff)
		if l.Lost != nil {
			l.Lost()
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func listenOnce(ctx context.Context, pool *pgxpool.Pool, channel string, l Listener) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire a connection to listen on %s: %w", channel, err)
	}
	pc := conn.Hijack()
	defer pc.Close(context.WithoutCancel(ctx))
	if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen on %s: %w", channel, err)
	}
	if l.Listening != nil {
		l.Listening()
	}
	for {
		note, err := pc.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("wait on %s: %w", channel, err)
		}
		l.Notice(note.Payload)
	}
}
