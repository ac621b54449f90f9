package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// SessionListener keeps each session's invoice in step with the session, inside the session's
// transaction (DESIGN 3.2, 3.4): a booking builds the draft, a change of examinations or time
// prices it again, completion issues it with its side effects, a cancellation or no-show voids the
// draft, and a delete is refused once money has moved. What it writes is stamped with the change's
// time, by the scheduling service's clock. Processes that serve bookings build their own with
// NewSessionListener.
var SessionListener = NewSessionListener()

// NewSessionListener returns a SessionListener that remembers what it last priced bookings from, so
// that a booking whose prices and patient records have not changed since writes its draft in one
// round trip (see hints); what it writes is the same either way.
func NewSessionListener() scheduling.Listener {
	h := newHints()
	return scheduling.Listener{
		Actions: []string{scheduling.ActionBooked, scheduling.ActionExaminationsChanged, scheduling.ActionRescheduled,
			scheduling.ActionCompleted, scheduling.ActionCancelled, scheduling.ActionNoShow, scheduling.ActionDeleted},
		Hear:    func(ctx context.Context, tx pgx.Tx, ch scheduling.Change) error { return hear(ctx, tx, ch.At, ch, h) },
		Prepare: h.prepare,
	}
}

func hear(ctx context.Context, tx pgx.Tx, now time.Time, ch scheduling.Change, h *hints) error {
	sess := ch.Session
	switch ch.Action {
	case scheduling.ActionBooked:
		if sess.Status == scheduling.StatusCompleted {
			// A back-dated visit is completed as it is booked: its invoice is issued at once.
			return issueFor(ctx, tx, now, ch.Actor, sess)
		}
		v := visitOf(sess)
		p, err := saveDraft(ctx, tx, now, v, true, h)
		if err == nil && CapturedFrom(ctx) != nil {
			CapturedFrom(ctx).keep(v, p)
		}
		return err
	case scheduling.ActionExaminationsChanged, scheduling.ActionRescheduled:
		_, err := saveDraft(ctx, tx, now, visitOf(sess), false, h)
		if errors.Is(err, errNotDraft) {
			return nil // an issued invoice is immutable: a credit note corrects it
		}
		return err
	case scheduling.ActionCompleted:
		return issueFor(ctx, tx, now, ch.Actor, sess)
	case scheduling.ActionCancelled, scheduling.ActionNoShow:
		if _, err := tx.Exec(ctx, `UPDATE invoices SET status = 'void', updated_at = $2 WHERE session_id = $1 AND status = 'draft'`,
			sess.ID, now); err != nil {
			return fmt.Errorf("void invoice: %w", err)
		}
		return nil
	case scheduling.ActionDeleted:
		return forget(ctx, tx, sess.ID)
	}
	return nil
}

// issueFor issues a session's invoice, building it first when the session has none yet.
func issueFor(ctx context.Context, tx pgx.Tx, now time.Time, actor scheduling.Actor, sess *scheduling.Session) error {
	_, err := issue(ctx, tx, now, actor, visitOf(sess))
	return err
}

// forget removes a session's unpaid draft or void invoice as the session is deleted, and refuses the
// delete once the invoice was issued or anything was paid (DESIGN 3.2: financial history is never lost).
func forget(ctx context.Context, tx pgx.Tx, sessionID scheduling.ID) error {
	var status string
	var paid bool
	err := tx.QueryRow(ctx, `SELECT status, EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id)
		FROM invoices i WHERE session_id = $1 FOR UPDATE`, sessionID).Scan(&status, &paid)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("check invoice: %w", err)
	}
	if paid || status == StatusIssued || status == StatusCredited {
		return scheduling.ErrFinancialHistory
	}
	if _, err := tx.Exec(ctx, `DELETE FROM invoices WHERE session_id = $1`, sessionID); err != nil {
		return fmt.Errorf("delete draft invoice: %w", err)
	}
	return nil
}
