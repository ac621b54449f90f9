package inbox

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/scheduling/changefeed"
)

// NotifyChannel is the PostgreSQL channel on which committed changes to requests and messages are
// announced (migration 00024): "request:ID" or "conversation:ID".
const NotifyChannel = "inbox_changed"

// Change is one committed change in the inbox: a request (new, assigned, converted...) or a
// conversation (a message arrived, or a message's delivery state moved). Exactly one ID is set.
type Change struct {
	RequestID      ID
	ConversationID ID
}

// ParseChange reads a notice's payload.
func ParseChange(payload string) (Change, error) {
	kind, raw, _ := strings.Cut(payload, ":")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return Change{}, fmt.Errorf("inbox notice %q: not KIND:ID", payload)
	}
	switch kind {
	case "request":
		return Change{RequestID: ID(id)}, nil
	case "conversation":
		return Change{ConversationID: ID(id)}, nil
	}
	return Change{}, fmt.Errorf("inbox notice %q: unknown kind", payload)
}

// Follower listens for inbox changes on one dedicated connection and fans each out to every
// subscriber, so the number of open inbox pages never multiplies database connections. It is safe
// for concurrent use.
type Follower struct {
	pool   *pgxpool.Pool
	logger *slog.Logger

	mu    sync.Mutex
	subs  map[chan Change]struct{}
	ready chan struct{}
	once  sync.Once
}

// FollowBuffer is how many changes a slow subscriber may fall behind before it is told it missed some.
const FollowBuffer = 64

// NewFollower builds a follower on pool; Run must be running for it to deliver.
func NewFollower(pool *pgxpool.Pool, logger *slog.Logger) *Follower {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Follower{pool: pool, logger: logger, subs: map[chan Change]struct{}{}, ready: make(chan struct{})}
}

// Ready is closed once the follower listens.
func (f *Follower) Ready() <-chan struct{} { return f.ready }

// Subscribe follows every inbox change. The channel closes when the subscriber falls more than
// FollowBuffer changes behind or the connection was lost (it should reload and subscribe again), and
// after cancel.
func (f *Follower) Subscribe() (<-chan Change, func()) {
	ch := make(chan Change, FollowBuffer)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	return ch, func() { f.drop(ch) }
}

func (f *Follower) drop(ch chan Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[ch]; ok {
		delete(f.subs, ch)
		close(ch)
	}
}

func (f *Follower) publish(c Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		select {
		case ch <- c:
		default:
			delete(f.subs, ch)
			close(ch)
		}
	}
}

// dropAll closes every subscription: after a lost connection changes may have been missed.
func (f *Follower) dropAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		delete(f.subs, ch)
		close(ch)
	}
}

// Run listens until ctx ends, reconnecting after a lost connection (subscribers are then closed, as
// they may have missed changes).
func (f *Follower) Run(ctx context.Context) {
	changefeed.Listen(ctx, f.pool, f.logger, NotifyChannel, changefeed.Listener{
		Listening: func() { f.once.Do(func() { close(f.ready) }) },
		Notice: func(payload string) {
			c, err := ParseChange(payload)
			if err != nil {
				f.logger.ErrorContext(ctx, "unreadable inbox notice", "err", err)
				return
			}
			f.publish(c)
		},
		Lost: f.dropAll,
	})
}
