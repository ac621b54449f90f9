package inbox

import (
	"log/slog"
	"time"

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
}

// Config holds the inbox's settings that come from the server's configuration.
type Config struct {
	// BaseURL is the public address that confirmation links start with.
	BaseURL string
}

// NewStore returns a store on pool that books through sched and queues messages through send.
func NewStore(pool *pgxpool.Pool, logger *slog.Logger, now func() time.Time, sched *scheduling.Service, send Sender, cfg Config) *Store {
	return &Store{pool: pool, log: logger, now: now, sched: sched, send: send, cfg: cfg}
}
