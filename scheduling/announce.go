package scheduling

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Announcer sends notifications on one PostgreSQL channel after the transactions whose changes they
// announce have committed, many in one statement: while one statement is on its way, the next
// payloads gather. PostgreSQL serialises the commits of every transaction that issued a NOTIFY (each
// holds a database-wide lock until its commit is flushed), so busy write paths announce this way
// instead. A payload announced again before it is sent goes once. The price is the moment between a
// commit and its notice: a server that stops in it leaves followers to catch up when they next reload.
// It is safe for concurrent use.
type Announcer struct {
	db      DB
	log     *slog.Logger
	channel string

	mu      sync.Mutex
	pending []string
	queued  map[string]bool
	sending bool
	idle    *sync.Cond
}

// NewAnnouncer returns an announcer on channel that sends through db (a pool).
func NewAnnouncer(db DB, logger *slog.Logger, channel string) *Announcer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := &Announcer{db: db, log: logger, channel: channel, queued: map[string]bool{}}
	a.idle = sync.NewCond(&a.mu)
	return a
}

// Announce sends payloads soon, in order, without waiting. A failure is logged.
func (a *Announcer) Announce(payloads ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range payloads {
		if !a.queued[p] {
			a.queued[p] = true
			a.pending = append(a.pending, p)
		}
	}
	if !a.sending && len(a.pending) > 0 {
		a.sending = true
		go a.send()
	}
}

// Flush waits until everything announced so far has been sent (or failed).
func (a *Announcer) Flush() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.sending {
		a.idle.Wait()
	}
}

func (a *Announcer) send() {
	for {
		a.mu.Lock()
		payloads := a.pending
		if len(payloads) == 0 {
			a.sending = false
			a.idle.Broadcast()
			a.mu.Unlock()
			return
		}
		a.pending = nil
		clear(a.queued)
		a.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := a.db.Exec(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) p`, a.channel, payloads)
		cancel()
		if err != nil {
			a.log.Warn("changes not announced; followers see them when they next reload", "channel", a.channel,
				"notices", len(payloads), "err", err)
		}
	}
}
