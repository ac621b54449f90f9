package inbox

import "github.com/jackc/pgx/v5"

// QuietTx begins a transaction whose stored messages are not announced on NotifyChannel when it
// commits (migration 00028): the caller announces their conversations with Announce after the commit,
// so that busy paths do not serialise their commits on NOTIFY (see scheduling.Announcer). It costs no
// round trip more than a plain BEGIN.
var QuietTx = pgx.TxOptions{BeginQuery: `BEGIN; SET LOCAL clinic.inbox_quiet = 'on'`}

// Announce tells every server's console, soon, that conversation id changed in a quiet transaction
// that has committed (QuietTx). It does not wait.
func (s *Store) Announce(id ID) { s.announce.Announce("conversation:" + id.String()) }

// Flush waits until every conversation announced so far has been told.
func (s *Store) Flush() { s.announce.Flush() }
