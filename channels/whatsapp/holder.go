package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// holderLock is the PostgreSQL advisory lock whose holder is the one server connected to WhatsApp:
// two clients on one link would knock each other off (DESIGN 8).
const holderLock = 727240

// Holder keeps the WhatsApp connection on exactly one server. Each server runs one; the one that
// takes the session advisory lock, on a connection of its own, runs the work until the lock's
// connection is lost or it stops, and the others try for the lock every Poll so that one of them
// takes over within seconds of the holder dying.
type Holder struct {
	connect func(ctx context.Context) (*pgx.Conn, error)
	log     *slog.Logger
	// Poll is how often a waiting server tries for the lock and the holder checks it still has it.
	Poll time.Duration
}

// NewHolder returns a holder that opens its lock connection with cfg (a copy of the pool's
// connection settings, so the lock never takes a pooled connection).
func NewHolder(cfg *pgx.ConnConfig, logger *slog.Logger) *Holder {
	return &Holder{
		connect: func(ctx context.Context) (*pgx.Conn, error) { return pgx.ConnectConfig(ctx, cfg.Copy()) },
		log:     logger,
		Poll:    2 * time.Second,
	}
}

// Run waits for the lock and runs work while holding it, again and again, until ctx ends. work's
// context ends when the lock is lost; work must then stop using the connection and return.
func (h *Holder) Run(ctx context.Context, work func(ctx context.Context)) {
	for ctx.Err() == nil {
		if err := h.hold(ctx, work); err != nil {
			h.log.WarnContext(ctx, "WhatsApp connection lock", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(h.Poll):
		}
	}
}

// hold opens the lock connection, tries for the lock until it has it, and runs work while a ping
// every Poll says the lock's session is alive.
func (h *Holder) hold(ctx context.Context, work func(ctx context.Context)) error {
	conn, err := h.connect(ctx)
	if err != nil {
		return fmt.Errorf("connect for the lock: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for {
		var got bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", holderLock).Scan(&got); err != nil {
			return fmt.Errorf("try the lock: %w", err)
		}
		if got {
			break
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(h.Poll):
		}
	}
	h.log.InfoContext(ctx, "this server holds the WhatsApp connection")
	workCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(workCtx)
	}()
	defer func() { stop(); <-done }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-done:
			return nil
		case <-time.After(h.Poll):
		}
		if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
			return fmt.Errorf("the lock's connection was lost, letting go of WhatsApp: %w", err)
		}
	}
}
