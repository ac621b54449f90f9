// Package outbox delivers every message to a patient through a durable job queue (DESIGN 3.5, 7):
// a message is queued in the transaction that records it, delivered by the channel's Deliverer
// afterwards, retried with backoff (a channel's "retry after" is respected), and sent once per key;
// what cannot be delivered is marked failed for staff, who can send it again. The same queue runs
// the reminders before a visit, "your turn is near", and the inbox's request expiry (DESIGN 8).
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"clinic/channels"
	"clinic/inbox"
	"clinic/scheduling/queue"
)

// Queue names in the job queue.
const (
	// deliveryQueue holds one job per outbound message.
	deliveryQueue = "outbox"
	// chores holds the periodic work: reminders, the turn-near sweep, request expiry.
	chores = "outbox_chores"
)

// Config tunes the outbox; the zero value is what a server runs with.
type Config struct {
	// Workers is how many messages one server delivers at once. Default 10.
	Workers int
	// MaxAttempts is how many times a message is tried before it is marked failed. Default 12, which
	// with the default backoff keeps trying for about an hour.
	MaxAttempts int
	// Backoff is the wait before the given attempt's retry (attempt counts from 1). Default: doubling
	// from 2 s, at most 15 minutes.
	Backoff func(attempt int) time.Duration
	// PollInterval is how often a server looks for due jobs besides being told of new ones. Default 1 s.
	PollInterval time.Duration
	// ReminderEvery is how often due reminders are looked for. Default 1 minute.
	ReminderEvery time.Duration
	// ExpireEvery is how often Expire runs. Default 5 minutes.
	ExpireEvery time.Duration
	// Expire, when set, replaces the inbox store's Expire as the periodic request expiry.
	Expire func(ctx context.Context) error
}

func (c *Config) defaults() {
	if c.Workers <= 0 {
		c.Workers = 10
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.Backoff == nil {
		c.Backoff = func(attempt int) time.Duration {
			return min(2*time.Second<<min(max(attempt-1, 0), 20), 15*time.Minute)
		}
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.ReminderEvery <= 0 {
		c.ReminderEvery = time.Minute
	}
	if c.ExpireEvery <= 0 {
		c.ExpireEvery = 5 * time.Minute
	}
}

// Outbox queues and delivers outbound messages. It implements inbox.Sender. Deliverers are
// registered, and Use is called, before Start.
type Outbox struct {
	pool   *pgxpool.Pool
	log    *slog.Logger
	now    func() time.Time
	cfg    Config
	client *river.Client[pgx.Tx]

	mu         sync.RWMutex
	deliverers map[inbox.Channel]channels.Deliverer
	store      *inbox.Store
	queue      *queue.Service

	stopListen context.CancelFunc
	listening  sync.WaitGroup
}

var _ inbox.Sender = (*Outbox)(nil)

// New builds an outbox on pool with the deliverers by channel (more may be registered before Start).
// It can queue messages at once; it delivers them once started.
func New(pool *pgxpool.Pool, logger *slog.Logger, now func() time.Time, deliverers map[inbox.Channel]channels.Deliverer, cfg Config) (*Outbox, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	cfg.defaults()
	o := &Outbox{pool: pool, log: logger, now: now, cfg: cfg, deliverers: map[inbox.Channel]channels.Deliverer{}}
	for ch, d := range deliverers {
		o.deliverers[ch] = d
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverWorker{o: o})
	river.AddWorker(workers, &reminderWorker{o: o})
	river.AddWorker(workers, &turnNearWorker{o: o})
	river.AddWorker(workers, &expireWorker{o: o})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger:            logger,
		Workers:           workers,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(100*time.Millisecond, cfg.PollInterval),
		MaxAttempts:       cfg.MaxAttempts,
		Queues: map[string]river.QueueConfig{
			deliveryQueue: {MaxWorkers: cfg.Workers},
			chores:        {MaxWorkers: 2},
		},
		PeriodicJobs: o.periodicJobs(),
		// A failed message stays failed in the conversation; its job is kept long enough for staff to
		// send it again from the same job.
		CancelledJobRetentionPeriod: 30 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: job queue client: %w", err)
	}
	o.client = client
	return o, nil
}

// Register sets the deliverer of a channel; call it before Start.
func (o *Outbox) Register(ch inbox.Channel, d channels.Deliverer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.deliverers[ch] = d
}

// Use gives the outbox the inbox store it loads, marks and says messages through, and the queue it
// reads places from. The store is built with the outbox as its Sender, so this comes after both.
func (o *Outbox) Use(store *inbox.Store, q *queue.Service) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.store, o.queue = store, q
}

func (o *Outbox) deliverer(ch inbox.Channel) channels.Deliverer {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.deliverers[ch]
}

func (o *Outbox) inbox() (*inbox.Store, *queue.Service) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.store, o.queue
}

// Start begins delivering, the periodic work, and following queue changes for "your turn is near".
func (o *Outbox) Start(ctx context.Context) error {
	if store, q := o.inbox(); store == nil || q == nil {
		return errors.New("outbox: start: Use was not called with the inbox store and the queue")
	}
	if err := o.client.Start(ctx); err != nil {
		return fmt.Errorf("outbox: start job queue: %w", err)
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	o.stopListen = cancel
	o.listening.Add(1)
	go func() {
		defer o.listening.Done()
		o.followQueues(lctx)
	}()
	return nil
}

// Stop stops taking new work and waits, until ctx ends, for deliveries under way.
func (o *Outbox) Stop(ctx context.Context) error {
	if o.stopListen != nil {
		o.stopListen()
		o.listening.Wait()
	}
	if err := o.client.Stop(ctx); err != nil {
		return fmt.Errorf("outbox: stop job queue: %w", err)
	}
	return nil
}
