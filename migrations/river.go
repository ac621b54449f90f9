package migrations

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// RiverVersion is the job queue's module version (as go.mod requires it); its schema is brought up
// to what that version needs, and a test template is rebuilt when it changes.
const RiverVersion = "v0.51.2"

// riverLock is the advisory lock that serialises the job queue's migrations across servers starting
// at once (rivermigrate takes none of its own).
const riverLock = 727230

func init() {
	libraries = append(libraries, library{name: "river", version: RiverVersion, up: riverUp})
}

// riverUp applies the job queue's own migrations (DESIGN 8: the outbox, reminders and other
// background work run on it). rivermigrate runs each version in a transaction of its own (one adds
// an enum value that the next uses), so servers starting at once are serialised by an advisory lock
// held on a connection of its own.
func riverUp(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("job queue migrator: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("lock job queue migration: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", riverLock); err != nil {
		return fmt.Errorf("lock job queue migration: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", riverLock) //nolint:errcheck // closing the connection unlocks too
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	for _, v := range res.Versions {
		logger.Info("job queue migration applied", "version", v.Version, "name", v.Name, "took", v.Duration)
	}
	return nil
}
