package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"clinic/cmd/internal/gc"
	"clinic/cmd/internal/listeners"
	"clinic/migrations"
	"clinic/scheduling"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/record"
	"clinic/web"
	"clinic/web/access"
	"clinic/web/console"
)

// connect opens the database pool. It reconnects by itself after a PostgreSQL restart, losing at most
// the request that found the connections gone (migrations.HealAfterLoss).
func connect(ctx context.Context, cfg Config) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if !strings.Contains(cfg.DatabaseURL, "pool_max_conns") {
		// pgxpool's default (the CPU count, at least 4) queues requests behind a handful of round
		// trips; the server spends most of a request waiting on PostgreSQL, so allow more in flight.
		pc.MaxConns = int32(max(16, 4*runtime.NumCPU()))
	}
	pc.MaxConnIdleTime = 5 * time.Minute
	pc.HealthCheckPeriod = 15 * time.Second
	migrations.HealAfterLoss(pc)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database %s does not answer: %w", pc.ConnConfig.Host, err)
	}
	return pool, nil
}

func migrate(ctx context.Context, cfg Config, logger *slog.Logger) error {
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	return migrations.Up(ctx, pool, logger)
}

func serve(ctx context.Context, cfg Config, logger *slog.Logger) error {
	gc.Tune()
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := migrations.Up(ctx, pool, logger); err != nil {
		return err
	}
	ropts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(ropts)
	defer rdb.Close()

	feed := changefeed.New(pool, logger)
	go feed.Run(ctx)
	sched := scheduling.NewService(pool, logger, time.Now, scheduling.Config{PhoneRegion: cfg.PhoneRegion,
		Listeners: listeners.All()})
	acc := access.NewStore(pool, time.Now)
	go acc.WatchRevocations(ctx, pool, logger)
	gw, err := newGateway(cfg, logger, pool, rdb, sched)
	if err != nil {
		return err
	}
	if err := gw.start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
		defer cancel()
		if err := gw.stop(stopCtx); err != nil {
			logger.Warn("outbox stop", "err", err)
		}
	}()
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc, Feed: feed, Done: ctx.Done(),
		Now: time.Now, Inbox: gw.inbox, InboxFeed: gw.feed, Resend: gw.outbox, Channels: gw.health,
		Config: console.Config{ClinicName: cfg.ClinicName, TrustProxy: cfg.TrustProxy, PublicBaseURL: cfg.BaseURL}})
	if err != nil {
		return err
	}
	deps := web.Deps{
		Logger:     logger,
		Pool:       pool,
		Redis:      rdb,
		Scheduling: sched,
		Access:     acc,
		Feed:       feed,
		Done:       ctx.Done(),
		Console:    con,
		Records:    record.NewStore(pool, time.Now),
		Public:     web.PublicConfig{BaseURL: cfg.BaseURL, RateLimit: cfg.PublicRateLimit, TrustProxy: cfg.TrustProxy},
		Inbox:      gw.inbox,
		Chat:       gw.chat,
		Outbox:     gw.outbox,
		Channels:   gw.health,
	}
	if gw.telegram != nil {
		deps.Telegram = gw.telegram
	}
	handler := web.NewHandler(deps)
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Write deadlines are set per route group: API answers are bounded, event streams are not.
		IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "console", cfg.BaseURL+console.Prefix+"/")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", cfg.ShutdownGrace)
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}
