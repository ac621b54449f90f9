package inbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// QuietTx begins a transaction whose stored messages are not announced on NotifyChannel when it
// commits (migration 00028): the caller announces their conversations with Announce after the commit.
// It costs no round trip more than a plain BEGIN.
var QuietTx = pgx.TxOptions{BeginQuery: `BEGIN; SET LOCAL clinic.inbox_quiet = 'on'`}

// announcer sends the notices of conversations changed in quiet transactions, in the background and
// many in one statement: while one statement is on its way, the next ones gather. A NOTIFY inside a
// transaction would make every such commit wait for the others' (PostgreSQL serialises them).
type announcer struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	mu      sync.Mutex
	pending map[ID]struct{}
	sending bool
	idle    *sync.Cond
}

func newAnnouncer(pool *pgxpool.Pool, logger *slog.Logger) *announcer {
	a := &announcer{pool: pool, log: logger, pending: map[ID]struct{}{}}
	a.idle = sync.NewCond(&a.mu)
	return a
}

// Announce tells every server's console, soon, that conversation id changed in a quiet transaction
// that has committed (QuietTx). It does not wait; a notice that cannot be sent is logged, and an open
// console then shows the change on its next reload.
func (s *Store) Announce(id ID) {
	a := s.announce
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending[id] = struct{}{}
	if !a.sending {
		a.sending = true
		go a.send()
	}
}

// Flush waits until every conversation announced so far has been sent.
func (s *Store) Flush() {
	a := s.announce
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.sending {
		a.idle.Wait()
	}
}

func (a *announcer) send() {
	for {
		a.mu.Lock()
		if len(a.pending) == 0 {
			a.sending = false
			a.idle.Broadcast()
			a.mu.Unlock()
			return
		}
		payloads := make([]string, 0, len(a.pending))
		for id := range a.pending {
			payloads = append(payloads, "conversation:"+id.String())
		}
		clear(a.pending)
		a.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := a.pool.Exec(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) p`, NotifyChannel, payloads)
		cancel()
		if err != nil {
			a.log.Warn("inbox changes not announced; open consoles show them on reload", "conversations", len(payloads), "err", err)
		}
	}
}
