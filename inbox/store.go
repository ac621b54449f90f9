package inbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/scheduling"
)

// Store keeps booking requests, conversations and confirmation links in PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	log   *slog.Logger
	now   func() time.Time
	sched *scheduling.Service
	send  Sender
	cfg   Config
	// announce sends the notices of quiet transactions' conversations (Announce).
	announce *scheduling.Announcer
}

// Config holds the inbox's settings that come from the server's configuration.
type Config struct {
	// BaseURL is the public address that confirmation links start with.
	BaseURL string
}

// NewStore returns a store on pool that books through sched and queues messages through send.
func NewStore(pool *pgxpool.Pool, logger *slog.Logger, now func() time.Time, sched *scheduling.Service, send Sender, cfg Config) *Store {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &Store{pool: pool, log: logger, now: now, sched: sched, send: send, cfg: cfg, announce: scheduling.NewAnnouncer(pool, logger, NotifyChannel)}
}

// inTx runs fn in a transaction of its own when tx is nil, and otherwise in a savepoint of tx, so a
// refused statement undoes only this call's writes and leaves the caller's transaction usable.
func (s *Store) inTx(ctx context.Context, tx pgx.Tx, fn func(pgx.Tx) error) error {
	if tx == nil {
		return pgx.BeginFunc(ctx, s.pool, fn)
	}
	return pgx.BeginFunc(ctx, tx, fn)
}

// db is what reads run on: the caller's transaction, or the pool.
func (s *Store) db(tx pgx.Tx) scheduling.DB {
	if tx == nil {
		return s.pool
	}
	return tx
}

// Short names for the domain's errors.
var (
	invalid  = scheduling.Invalid
	rule     = scheduling.Rule
	conflict = scheduling.Conflict
)

// notFound is the domain's not-found error for what/id.
func notFound(what string, id ID) error { return scheduling.NotFound(what, id) }

// noRows turns pgx.ErrNoRows into the not-found error for what/id.
func noRows(err error, what string, id ID) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(what, id)
	}
	return err
}
