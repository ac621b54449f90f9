package scheduling

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// move is one lifecycle step (DESIGN 3.2): the statuses it may start from, and the update it makes.
type move struct {
	action string
	from   []string
	to     string
	// allowed refines from, e.g. a second check-in is refused.
	allowed func(checkedIn bool) bool
	set     string // SQL assignments beyond status; $2 is now
}

var (
	moveCheckIn = move{action: "check_in", from: []string{StatusWaiting}, to: StatusWaiting,
		allowed: func(checkedIn bool) bool { return !checkedIn }, set: "checked_in_at = $2"}
	moveOpen = move{action: "open", from: []string{StatusWaiting}, to: StatusOpen,
		set: "opened_at = $2, checked_in_at = coalesce(checked_in_at, $2)"}
	moveComplete = move{action: "complete", from: []string{StatusOpen}, to: StatusCompleted, set: "completed_at = $2"}
	moveCancel   = move{action: "cancel", from: []string{StatusWaiting, StatusOpen}, to: StatusCancelled,
		set: "cancelled_at = $2"}
)

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

// Cancel cancels a waiting or open session with a reason; its time becomes free again.
func (s *Service) Cancel(ctx context.Context, actor Actor, id ID, reason string) (*Session, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, rule("missing_reason", "a cancellation needs a reason")
	}
	if len(reason) > 500 {
		return nil, rule("reason_too_long", "a cancellation reason has at most 500 characters")
	}
	return s.transition(ctx, actor, id, moveCancel, reason)
}

func (s *Service) transition(ctx context.Context, actor Actor, id ID, m move, reason string) (*Session, error) {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var status string
		var checkedIn bool
		err := tx.QueryRow(ctx, `SELECT status, checked_in_at IS NOT NULL FROM sessions WHERE id = $1 FOR UPDATE`, id).Scan(&status, &checkedIn)
		if err != nil {
			return noRows(err, "session", id)
		}
		if !slices.Contains(m.from, status) || (m.allowed != nil && !m.allowed(checkedIn)) {
			return invalidTransition(m.action, status, checkedIn)
		}
		if _, err := tx.Exec(ctx, `UPDATE sessions SET status = $4, updated_at = $2,
			cancel_reason = coalesce($3::text, cancel_reason), `+m.set+` WHERE id = $1`,
			id, s.now(), nullIfEmpty(reason), m.to); err != nil {
			return fmt.Errorf("%s session: %w", m.action, err)
		}
		return addEvent(ctx, tx, id, actor, m.action, &status, &m.to, reason)
	})
	if err != nil {
		return nil, err
	}
	return s.GetSession(ctx, id)
}

func invalidTransition(action, status string, checkedIn bool) error {
	what := status
	if status == StatusWaiting && checkedIn {
		what = "waiting and already checked in"
	}
	e := conflict(CodeInvalidTransition, "cannot %s a session that is %s", strings.ReplaceAll(action, "_", " "), what)
	e.Details = map[string]any{"status": status, "action": action}
	return e
}

func addEvent(ctx context.Context, tx pgx.Tx, id ID, actor Actor, action string, from, to *string, detail string) error {
	_, err := tx.Exec(ctx, `INSERT INTO session_events (session_id, actor, action, from_status, to_status, detail)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, string(actor), action, from, to, detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Delete removes a session for good. The caller checks the owner role; the registered guards refuse
// once money has moved (DESIGN 3.2). The audit trail keeps a record of the delete.
func (s *Service) Delete(ctx context.Context, actor Actor, id ID) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM sessions WHERE id = $1 FOR UPDATE`, id).Scan(&status)
		if err != nil {
			return noRows(err, "session", id)
		}
		for _, guard := range s.guards {
			if err := guard(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id); err != nil {
			if code, _ := pgCode(err); code == sqlstateForeignKey {
				return ErrFinancialHistory
			}
			return fmt.Errorf("delete session: %w", err)
		}
		return addEvent(ctx, tx, id, actor, "deleted", &status, nil, "")
	})
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
