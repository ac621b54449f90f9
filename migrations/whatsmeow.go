package migrations

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/store/sqlstore/upgrades"
)

// WhatsmeowVersion is the WhatsApp library's module version (as go.mod requires it); with the number
// of its schema upgrades it names the device store's schema, so a test template is rebuilt when the
// library changes.
const WhatsmeowVersion = "v0.0.0-20251217143725-11cf47c62d32"

// whatsmeowLock is the advisory lock that serialises upgrades of the device store across servers.
const whatsmeowLock = 727231

func init() {
	libraries = append(libraries, library{
		name:    "whatsmeow",
		version: WhatsmeowVersion + "+schema" + strconv.Itoa(len(upgrades.Table)),
		up:      whatsmeowUp,
	})
}

// whatsmeowUp brings whatsmeow's device store (its whatsmeow_* tables) up to the schema the library
// needs. The library records its own version in whatsmeow_version.
func whatsmeowUp(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	// The library takes no lock of its own: servers starting at once take turns on this one, held by a
	// connection of its own while the upgrade runs on others.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("connect to lock the WhatsApp device store upgrade: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", whatsmeowLock); err != nil {
		return fmt.Errorf("lock the WhatsApp device store upgrade: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", whatsmeowLock) //nolint:errcheck // the lock ends with the session anyway
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	if err := sqlstore.NewWithDB(db, "postgres", nil).Upgrade(ctx); err != nil {
		return fmt.Errorf("upgrade the WhatsApp device store: %w", err)
	}
	logger.Debug("WhatsApp device store is up to date")
	return nil
}
