package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/cmd/internal/listeners"
	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/web/access"
)

// Demo console login created by seed.
const (
	demoEmail    = "owner@demo.clinic"
	demoPassword = "demo-owner-pass"
)

// seed loads the demo clinic in one transaction, once: a database that already has branches is left alone.
func seed(ctx context.Context, cfg Config, logger *slog.Logger) error {
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	var branches int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM branches`).Scan(&branches); err != nil {
		return fmt.Errorf("seed: %w (run clinicd migrate first)", err)
	}
	if branches > 0 {
		fmt.Println("seed: the database already has a clinic; left as it is")
		return nil
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		svc := scheduling.NewService(tx, logger, time.Now, scheduling.Config{PhoneRegion: cfg.PhoneRegion,
			Listeners: listeners.All()})
		sum, err := demo.Load(ctx, svc, time.Now())
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		if _, err := access.NewStore(tx, time.Now).CreateUser(ctx, demoEmail, demoPassword, access.Owner, 0); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		requests, err := seedInbox(ctx, tx, pool, logger, svc, time.Now())
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		fmt.Printf("seed: demo clinic loaded: %s, %d booking requests\n", sum, requests)
		return nil
	})
}
