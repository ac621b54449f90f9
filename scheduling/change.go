package scheduling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// What happened to a session, as the audit trail and listeners name it.
const (
	ActionBooked              = "booked"
	ActionCheckedIn           = "checked_in"
	ActionOpened              = "opened"
	ActionCompleted           = "completed"
	ActionCancelled           = "cancelled"
	ActionNoShow              = "no_show"
	ActionRescheduled         = "rescheduled"
	ActionExaminationsChanged = "examinations_changed"
	ActionDeleted             = "deleted"
)

// NotifyChannel is the PostgreSQL channel on which every committed change to a session is announced,
// with a Notice as JSON payload.
const NotifyChannel = "session_changes"

// Change is one change to a session, passed to the listeners inside its transaction (DESIGN 3.2).
type Change struct {
	Action string
	Actor  Actor
	// Session is the session after the change; for a delete, as it was just before.
	Session *Session
	// Before is the session before the change; nil when it was just booked.
	Before *Session
	// Detail is free text for the audit trail (a cancellation reason, a move's from→to).
	Detail string
	// At is when the change happened, by the service's clock: the time of its audit row, for
	// listeners to stamp what they write with the same one clock.
	At time.Time
}

// Listener reacts to a change inside its transaction: billing builds or refuses, the queue and
// reminders follow. A listener's error aborts the whole change and is answered to the caller.
type Listener struct {
	// Actions are the actions it hears; none means every action. A booking no listener hears is
	// written as one atomic statement, without the round trips of an explicit transaction.
	Actions []string
	Hear    func(ctx context.Context, tx pgx.Tx, ch Change) error
	// Prepare, when set, may offer ahead of a booking the statement Hear would run for it, so that the
	// session and what the listener writes go to the database together in one atomic batch, without
	// the round trips of an explicit transaction. It is called before the session is written: the
	// change's session has no id yet, and the statement names it as currval('sessions_id_seq'). db is
	// the database the booking is written to. ok false: Hear is called as usual.
	Prepare func(ctx context.Context, db DB, ch Change) (p Prepared, ok bool, err error)
}

// Prepared is a listener's statement written in one batch with a booking (see Listener.Prepare).
type Prepared struct {
	SQL  string
	Args []any
	// Scan reads the statement's one row. An error wrapping ErrUnprepared says the statement found
	// what it was prepared from out of date: nothing of the batch is kept, and the booking is written
	// again in a transaction, with Hear.
	Scan func(row pgx.Row) error
}

// ErrUnprepared is what a prepared statement answers when it was prepared from what has since changed.
var ErrUnprepared = errors.New("prepared statement out of date")

// hears reports whether l is called for action.
func (l Listener) hears(action string) bool {
	return len(l.Actions) == 0 || slices.Contains(l.Actions, action)
}

// heard reports whether any listener hears action.
func (s *Service) heard(action string) bool {
	return slices.ContainsFunc(s.cfg.Listeners, func(l Listener) bool { return l.hears(action) })
}

// Notice is what NOTIFY carries: enough for a listener elsewhere to know which branch day to refresh.
type Notice struct {
	SessionID ID     `json:"session_id"`
	BranchID  ID     `json:"branch_id"`
	Day       string `json:"day"` // local to the branch, YYYY-MM-DD
	Action    string `json:"action"`
}

// noticeOf is the payload announcing action on sess: its branch and its local day.
func noticeOf(sess *Session, action string) string {
	// A Notice is ids and strings: encoding it cannot fail.
	b, _ := json.Marshal(Notice{SessionID: sess.ID, BranchID: sess.BranchID, Day: dateString(DateOf(sess.Start)), Action: action})
	return string(b)
}

// ParseNotice reads a NOTIFY payload on NotifyChannel.
func ParseNotice(payload string) (Notice, error) {
	var n Notice
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		return n, fmt.Errorf("session notice %q: %w", payload, err)
	}
	return n, nil
}

// commit is the one point every change to a session passes, inside its transaction: the listeners,
// the audit row and a NOTIFY for each branch day the session was or now is on, delivered on commit.
func (s *Service) commit(ctx context.Context, tx pgx.Tx, ch Change) error {
	ch.At = s.now()
	if err := s.tell(ctx, tx, ch); err != nil {
		return err
	}
	var from, to *string
	if ch.Before != nil {
		from = &ch.Before.Status
	}
	if ch.Action != ActionDeleted {
		to = &ch.Session.Status
	}
	var payloads []string
	for _, sess := range []*Session{ch.Before, ch.Session} {
		if sess == nil {
			continue
		}
		if n := noticeOf(sess, ch.Action); len(payloads) == 0 || payloads[0] != n {
			payloads = append(payloads, n)
		}
	}
	_, err := tx.Exec(ctx, `
		WITH ev AS (
			INSERT INTO session_events (session_id, at, actor, action, from_status, to_status, detail)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
		)
		SELECT pg_notify($8, p) FROM unnest($9::text[]) p`,
		ch.Session.ID, ch.At, string(ch.Actor), ch.Action, from, to, ch.Detail, NotifyChannel, payloads)
	if err != nil {
		return fmt.Errorf("record %s: %w", ch.Action, err)
	}
	return nil
}

// tell passes a change to the listeners, in order; the first error aborts it. A booking calls it
// alone: its insert writes the audit row and the NOTIFY in the same statement, to spare a round trip.
func (s *Service) tell(ctx context.Context, tx pgx.Tx, ch Change) error {
	for _, l := range s.cfg.Listeners {
		if !l.hears(ch.Action) {
			continue
		}
		if err := l.Hear(ctx, tx, ch); err != nil {
			return err
		}
	}
	return nil
}
