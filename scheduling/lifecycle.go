package scheduling

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// move is one lifecycle step (DESIGN 3.2): the statuses it may start from, when it may happen, and
// what it changes.
type move struct {
	action string
	verb   string // for messages: "check in"
	from   []string
	// ready refuses a move that the session's state or the time does not allow yet; nil allows it.
	ready func(sess *Session, now time.Time) error
	apply func(sess *Session, now time.Time)
}

var (
	moveCheckIn = move{action: ActionCheckedIn, verb: "check in", from: []string{StatusWaiting},
		ready: func(sess *Session, now time.Time) error {
			if sess.CheckedInAt != nil {
				return invalidTransition("check in", "waiting and already checked in", sess.Status)
			}
			return onTheDay("checked in", sess, now)
		},
		apply: func(sess *Session, now time.Time) { sess.CheckedInAt = &now }}
	moveOpen = move{action: ActionOpened, verb: "open", from: []string{StatusWaiting},
		ready: func(sess *Session, now time.Time) error { return onTheDay("opened", sess, now) },
		apply: func(sess *Session, now time.Time) {
			sess.Status, sess.OpenedAt = StatusOpen, &now
			if sess.CheckedInAt == nil {
				sess.CheckedInAt = &now
			}
		}}
	moveComplete = move{action: ActionCompleted, verb: "complete", from: []string{StatusOpen},
		ready: func(sess *Session, now time.Time) error { return onTheDay("completed", sess, now) },
		apply: func(sess *Session, now time.Time) { sess.Status, sess.CompletedAt = StatusCompleted, &now }}
	moveNoShow = move{action: ActionNoShow, verb: "mark as a no-show", from: []string{StatusWaiting},
		ready: func(sess *Session, now time.Time) error {
			if sess.CheckedInAt != nil {
				return invalidTransition("mark as a no-show", "checked in", sess.Status)
			}
			if now.Before(sess.Start) {
				return rule("too_early", "a session becomes a no-show only once its start (%s) has passed",
					sess.Start.Format("2006-01-02 15:04"))
			}
			return nil
		},
		apply: func(sess *Session, now time.Time) { sess.Status = StatusNoShow }}
)

// onTheDay refuses a move before the session's local day (DESIGN 3.2: moves happen from that day on).
func onTheDay(what string, sess *Session, now time.Time) error {
	day, today := DateOf(sess.Start), DateOf(now.In(sess.Start.Location()))
	if daysBetween(today, day) > 0 {
		return rule("too_early", "a session can be %s from its own day (%s) on", what, dateString(day))
	}
	return nil
}

// CheckIn records the patient's arrival; the session stays waiting, now in the arrival order.
func (s *Service) CheckIn(ctx context.Context, actor Actor, id ID) (*Session, error) {
	return s.transition(ctx, actor, id, moveCheckIn, "")
}

// Open starts the visit with the doctor, recording the actual start.
func (s *Service) Open(ctx context.Context, actor Actor, id ID) (*Session, error) {
	return s.transition(ctx, actor, id, moveOpen, "")
}

// Complete ends the visit, recording the actual end.
func (s *Service) Complete(ctx context.Context, actor Actor, id ID) (*Session, error) {
	return s.transition(ctx, actor, id, moveComplete, "")
}

// NoShow records that the patient did not come: a waiting session, not checked in, whose start has
// passed. Its time is free again.
func (s *Service) NoShow(ctx context.Context, actor Actor, id ID) (*Session, error) {
	return s.transition(ctx, actor, id, moveNoShow, "")
}

// Cancel cancels a waiting or open session with a reason; its time becomes free again.
func (s *Service) Cancel(ctx context.Context, actor Actor, id ID, reason string) (*Session, error) {
	reason, err := cleanText("reason", reason, MaxReasonLength)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, rule("missing_reason", "a cancellation needs a reason")
	}
	m := move{action: ActionCancelled, verb: "cancel", from: []string{StatusWaiting, StatusOpen},
		apply: func(sess *Session, now time.Time) {
			sess.Status, sess.CancelledAt, sess.CancelReason = StatusCancelled, &now, &reason
		}}
	return s.transition(ctx, actor, id, m, reason)
}

func (s *Service) transition(ctx context.Context, actor Actor, id ID, m move, detail string) (*Session, error) {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := s.lockSession(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now().In(before.Start.Location())
		if !slices.Contains(m.from, before.Status) {
			return invalidTransition(m.verb, strings.ReplaceAll(before.Status, "_", "-"), before.Status)
		}
		if m.ready != nil {
			if err := m.ready(before, now); err != nil {
				return err
			}
		}
		after := *before
		m.apply(&after, now)
		if _, err := tx.Exec(ctx, `UPDATE sessions SET status = $2, checked_in_at = $3, opened_at = $4, completed_at = $5,
			cancelled_at = $6, cancel_reason = $7, updated_at = $8 WHERE id = $1`,
			id, after.Status, after.CheckedInAt, after.OpenedAt, after.CompletedAt, after.CancelledAt, after.CancelReason, now); err != nil {
			return fmt.Errorf("%s session: %w", m.action, err)
		}
		return s.commit(ctx, tx, Change{Action: m.action, Actor: actor, Session: &after, Before: before, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return s.GetSession(ctx, id)
}

// lockSession reads a session with its examinations, locking its row until tx ends, and checks that
// this service may change it.
func (s *Service) lockSession(ctx context.Context, tx pgx.Tx, id ID) (*Session, error) {
	sess, err := readSession(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if s.doctor != 0 && sess.DoctorID != s.doctor {
		return nil, Forbidden("session %d is another doctor's; a doctor may change only their own sessions", id)
	}
	return sess, nil
}

func invalidTransition(verb, what, status string) error {
	e := conflict(CodeInvalidTransition, "cannot %s a session that is %s", verb, what)
	return e.WithDetails(map[string]any{"status": status, "action": verb})
}

// Delete removes a session for good. The caller checks the owner role; a listener refuses once money
// has moved (DESIGN 3.2). The audit trail keeps a record of the delete.
func (s *Service) Delete(ctx context.Context, actor Actor, id ID) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := s.lockSession(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.commit(ctx, tx, Change{Action: ActionDeleted, Actor: actor, Session: before, Before: before}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
			if code, _ := pgCode(err); code == sqlstateForeignKey {
				return ErrFinancialHistory
			}
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}
