// Package migrations holds the numbered SQL migrations of the system of record and applies them.
// Migrations are append-only: a released file is never edited, a change is a new file.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// FS returns the embedded migration files, for tooling and for fingerprinting the schema in tests.
func FS() fs.FS { return files }

// Up applies every pending migration. goose serialises concurrent runs with a PostgreSQL advisory
// lock, so several servers starting at once migrate exactly once.
func Up(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	if err := up(ctx, db, logger); err != nil {
		return err
	}
	for _, lib := range libraries {
		if err := lib.up(ctx, pool, logger); err != nil {
			return fmt.Errorf("migrations: %s: %w", lib.name, err)
		}
	}
	return nil
}

// library is a schema that a library owns and upgrades itself (the job queue's tables, the WhatsApp
// device store). They live in the same database and are brought up after the project's own files.
type library struct {
	name string
	// version changes whenever the library's schema may have; it is part of Fingerprint.
	version string
	up      func(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error
}

// libraries are registered by the files that own them, in the order they are applied.
var libraries []library

// Fingerprint names the libraries' schema versions, so a migrated test template is rebuilt when one
// of them changes as well as when a migration file does.
func Fingerprint() string {
	var s string
	for _, lib := range libraries {
		s += lib.name + "@" + lib.version + ";"
	}
	return s
}

func up(ctx context.Context, db *sql.DB, logger *slog.Logger) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migrations: locker: %w", err)
	}
	// Migrations written side by side may land in a different order than they are numbered; a database
	// that has a later one still takes an earlier one it lacks.
	provider, err := goose.NewProvider(goose.DialectPostgres, db, files, goose.WithSessionLocker(locker),
		goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: provider: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrations: up: %w", err)
	}
	for _, r := range results {
		logger.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}
