package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/channels/telegram"
	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/queue"
)

// gateway is the inbox with the patients' channels around it: the outbox that delivers every message
// to patients, the dialogue behind the chatbot, WhatsApp and Telegram, and each channel's health.
type gateway struct {
	inbox    *inbox.Store
	feed     *inbox.Follower
	outbox   *outbox.Outbox
	chat     *channels.Gateway
	telegram *telegram.Bot // nil without a bot token
	health   []channels.HealthSource
	run      []func(ctx context.Context)
}

// newGateway builds the inbox and the channels on pool; start runs their background work.
func newGateway(cfg Config, logger *slog.Logger, pool *pgxpool.Pool, rdb *redis.Client, sched *scheduling.Service) (*gateway, error) {
	box, err := outbox.New(pool, logger, time.Now, nil, outbox.Config{})
	if err != nil {
		return nil, err
	}
	store := inbox.NewStore(pool, logger, time.Now, sched, box, inbox.Config{BaseURL: cfg.BaseURL})
	box.Use(store, queue.New(pool, sched))
	g := &gateway{inbox: store, feed: inbox.NewFollower(pool, logger), outbox: box,
		chat: channels.NewGateway(pool, logger, time.Now, sched, store, rdb, "clinic:chat:", cfg.BaseURL)}
	g.run = append(g.run, g.feed.Run)

	waStore := whatsapp.NewStore(pool, time.Now)
	wa := whatsapp.NewService(whatsapp.Devices(pool, logger), waStore, whatsapp.NewAdapter(g.chat, waStore, logger).WithInbox(store), logger, serverName())
	box.Register(inbox.WhatsApp, whatsapp.NewDeliverer(wa, waStore, whatsapp.NewLimiter()))
	holder := whatsapp.NewHolder(pool.Config().ConnConfig, logger)
	g.run = append(g.run, func(ctx context.Context) { holder.Run(ctx, wa.Run) })
	g.health = append(g.health, whatsapp.NewHealth(waStore))

	if cfg.Telegram.Token != "" {
		bot, err := telegram.New(telegram.Config{Token: cfg.Telegram.Token, WebhookSecret: cfg.Telegram.WebhookSecret,
			Mode: cfg.Telegram.Mode, Endpoint: cfg.Telegram.APIEndpoint, BaseURL: cfg.BaseURL},
			telegram.Deps{Logger: logger, Handler: g.chat, Refuser: telegram.NewStoreRefuser(store), Pool: pool})
		if err != nil {
			return nil, fmt.Errorf("telegram: %w", err)
		}
		box.Register(inbox.Telegram, bot)
		g.telegram = bot
		g.health = append(g.health, bot)
		g.run = append(g.run, func(ctx context.Context) {
			if err := bot.Run(ctx); err != nil {
				logger.Error("telegram stopped", "err", err)
			}
		})
	}
	return g, nil
}

// start runs the outbox and every channel's background work until ctx ends; stop waits for the
// outbox's jobs in flight.
func (g *gateway) start(ctx context.Context) error {
	if err := g.outbox.Start(ctx); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	for _, run := range g.run {
		go run(ctx)
	}
	return nil
}

func (g *gateway) stop(ctx context.Context) error { return g.outbox.Stop(ctx) }

// serverName tells staff which server holds the WhatsApp connection.
func serverName() string {
	if h, err := os.Hostname(); err == nil {
		return fmt.Sprintf("%s:%d", h, os.Getpid())
	}
	return fmt.Sprintf("pid %d", os.Getpid())
}
