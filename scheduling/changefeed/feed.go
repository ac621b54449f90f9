// Package changefeed delivers committed session changes to whoever follows a branch live (the staff
// console, the queue board, patients' trackers). One PostgreSQL connection per server LISTENs on
// scheduling.NotifyChannel and fans each notice out to the subscribers of its branch, so the number
// of viewers never multiplies database connections (DESIGN 8).
package changefeed

import (
	"context"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/scheduling"
)

// Feed listens for session changes and fans them out by branch. It is safe for concurrent use.
type Feed struct {
	pool   *pgxpool.Pool
	logger *slog.Logger

	mu   sync.Mutex
	subs map[scheduling.ID]map[chan scheduling.Notice]struct{}
	// ready is closed once the first LISTEN is in place, so that nothing committed after it is missed.
	ready chan struct{}
	once  sync.Once
}

// Buffer is how many notices a slow subscriber may fall behind before it is told it missed some.
const Buffer = 64

// New builds a feed on pool; Run must be running for it to deliver.
func New(pool *pgxpool.Pool, logger *slog.Logger) *Feed {
	return &Feed{pool: pool, logger: logger, subs: map[scheduling.ID]map[chan scheduling.Notice]struct{}{},
		ready: make(chan struct{})}
}

// Ready is closed once the feed listens.
func (f *Feed) Ready() <-chan struct{} { return f.ready }

// Subscribe follows one branch. The channel closes when the subscriber falls more than Buffer notices
// behind (it should reload and subscribe again) and after cancel.
func (f *Feed) Subscribe(branch scheduling.ID) (<-chan scheduling.Notice, func()) {
	ch := make(chan scheduling.Notice, Buffer)
	f.mu.Lock()
	if f.subs[branch] == nil {
		f.subs[branch] = map[chan scheduling.Notice]struct{}{}
	}
	f.subs[branch][ch] = struct{}{}
	f.mu.Unlock()
	return ch, func() { f.drop(branch, ch) }
}

func (f *Feed) drop(branch scheduling.ID, ch chan scheduling.Notice) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[branch][ch]; ok {
		delete(f.subs[branch], ch)
		close(ch)
	}
}

func (f *Feed) publish(n scheduling.Notice) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs[n.BranchID] {
		select {
		case ch <- n:
		default:
			delete(f.subs[n.BranchID], ch)
			close(ch)
		}
	}
}

// dropAll closes every subscription: after a lost connection notices may have been missed, so every
// subscriber must reload.
func (f *Feed) dropAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, set := range f.subs {
		for ch := range set {
			delete(set, ch)
			close(ch)
		}
	}
}

// Run listens until ctx ends, reconnecting after a lost connection (subscribers are then closed, as
// they may have missed notices).
func (f *Feed) Run(ctx context.Context) {
	Listen(ctx, f.pool, f.logger, scheduling.NotifyChannel, Listener{
		Listening: func() { f.once.Do(func() { close(f.ready) }) },
		Notice: func(payload string) {
			n, err := scheduling.ParseNotice(payload)
			if err != nil {
				f.logger.ErrorContext(ctx, "unreadable session notice", "err", err)
				return
			}
			f.publish(n)
		},
		Lost: f.dropAll,
	})
}
