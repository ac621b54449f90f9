package billing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Payment methods.
var paymentMethods = []string{"cash", "card", "transfer"}

// PaymentInput is what POST /api/v1/invoices/{id}/payments takes. Currency, when given, must be the
// invoice's: it guards against an amount read in the wrong currency.
type PaymentInput struct {
	Amount   *int64 `json:"amount"`
	Method   string `json:"method"`
	Currency string `json:"currency"`
}

// CreditNoteInput is what POST /api/v1/invoices/{id}/credit-note takes.
type CreditNoteInput struct {
	Reason string `json:"reason"`
}

// MaxReasonLength bounds a credit note's reason.
const MaxReasonLength = 500

// inInvoice runs fn in a transaction holding the invoice's session and the invoice itself locked, in
// the order completion takes them, so staff actions and completion never deadlock.
func (s *Store) inInvoice(ctx context.Context, id scheduling.ID, fn func(tx pgx.Tx, v sessionVisit, status string) error) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var sessionID scheduling.ID
		err := tx.QueryRow(ctx, `SELECT session_id FROM invoices WHERE id = $1`, id).Scan(&sessionID)
		if errors.Is(err, pgx.ErrNoRows) {
			return scheduling.NotFound("invoice", id)
		} else if err != nil {
			return fmt.Errorf("find invoice: %w", err)
		}
		var v sessionVisit
		var start time.Time
		var zone string
		err = tx.QueryRow(ctx, `SELECT s.id, s.patient_id, s.branch_id, s.doctor_id, s.starts_at, b.timezone,
				array(SELECT examination_id FROM session_examinations e WHERE e.session_id = s.id ORDER BY position)
			FROM sessions s JOIN branches b ON b.id = s.branch_id WHERE s.id = $1 FOR UPDATE OF s`, sessionID).
			Scan(&v.SessionID, &v.PatientID, &v.BranchID, &v.DoctorID, &start, &zone, &v.ExaminationIDs)
		if err != nil {
			return fmt.Errorf("lock session of invoice %d: %w", id, err)
		}
		loc, err := scheduling.LoadLocation(zone)
		if err != nil {
			return fmt.Errorf("branch time zone: %w", err)
		}
		v.Date = scheduling.DateOf(start.In(loc))
		var status string
		if err := tx.QueryRow(ctx, `SELECT status FROM invoices WHERE id = $1 FOR UPDATE`, id).Scan(&status); err != nil {
			return fmt.Errorf("lock invoice: %w", err)
		}
		return fn(tx, v, status)
	})
}

// Issue issues a draft invoice before its session is completed (staff may bill early); completion
// then leaves it as it is. Its side effects happen now, once.
func (s *Store) Issue(ctx context.Context, actor scheduling.Actor, id scheduling.ID) (*SavedInvoice, error) {
	err := s.inInvoice(ctx, id, func(tx pgx.Tx, v sessionVisit, status string) error {
		if status != StatusDraft {
			return scheduling.Conflict("invoice_not_draft", "invoice %d is %s; only a draft can be issued", id, status)
		}
		_, err := issue(ctx, tx, s.now(), actor, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.GetInvoice(ctx, id)
}

// AddPayment records a payment on an invoice: never more than is still due, and only on a draft or
// issued invoice.
func (s *Store) AddPayment(ctx context.Context, actor scheduling.Actor, id scheduling.ID, in PaymentInput) (*Payment, error) {
	switch {
	case in.Amount == nil:
		return nil, scheduling.Rule("missing_amount", "amount is required, in minor units of the invoice's currency")
	case *in.Amount <= 0:
		return nil, scheduling.Rule("invalid_amount", "amount must be more than zero, got %d", *in.Amount)
	case *in.Amount > MaxAmount:
		return nil, scheduling.Rule("invalid_amount", "amount may be at most %d", int64(MaxAmount))
	case in.Method == "":
		return nil, scheduling.Rule("missing_method", "method is required: cash, card or transfer")
	case !contains(paymentMethods, in.Method):
		return nil, scheduling.Rule("invalid_method", "method must be cash, card or transfer")
	}
	p := &Payment{InvoiceID: id, Amount: *in.Amount, Method: in.Method, CreatedAt: s.now()}
	err := s.inInvoice(ctx, id, func(tx pgx.Tx, _ sessionVisit, status string) error {
		if status != StatusDraft && status != StatusIssued {
			return scheduling.Conflict("invoice_closed", "invoice %d is %s: it takes no payments", id, status)
		}
		var due int64
		if err := tx.QueryRow(ctx, `SELECT currency, amount_due - paid FROM invoices WHERE id = $1`, id).Scan(&p.Currency, &due); err != nil {
			return fmt.Errorf("read invoice: %w", err)
		}
		if in.Currency != "" && in.Currency != p.Currency {
			return scheduling.Rule("wrong_currency", "invoice %d is in %s, not %s", id, p.Currency, in.Currency)
		}
		if p.Amount > due {
			return scheduling.Rule("more_than_due", "%s is more than the %s still due on invoice %d",
				formatMinorIn(p.Amount, p.Currency), formatMinorIn(due, p.Currency), id)
		}
		err := tx.QueryRow(ctx, `WITH p AS (
				INSERT INTO payments (invoice_id, amount, method, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id
			), u AS (UPDATE invoices SET paid = paid + $2, updated_at = $4 WHERE id = $1)
			SELECT id FROM p`, id, p.Amount, p.Method, p.CreatedAt, string(actor)).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("record payment: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Credit writes a credit note reversing an issued invoice whole (DESIGN 3.4): the package uses,
// points, deductible and limit, commission and stock it moved all come back, and the invoice is
// marked credited. A corrected bill is a new invoice of a new session.
func (s *Store) Credit(ctx context.Context, actor scheduling.Actor, id scheduling.ID, in CreditNoteInput) (*CreditNote, error) {
	if !utf8.ValidString(in.Reason) {
		return nil, scheduling.Invalid("invalid_text", "reason is not valid UTF-8 text")
	}
	reason := strings.TrimSpace(in.Reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return nil, scheduling.Rule("missing_reason", "a credit note needs a reason")
	case n > MaxReasonLength:
		return nil, scheduling.Rule("too_long", "reason has %d characters; at most %d are allowed", n, MaxReasonLength)
	}
	now := s.now()
	n := &CreditNote{InvoiceID: id, Reason: reason, CreatedAt: now}
	err := s.inInvoice(ctx, id, func(tx pgx.Tx, v sessionVisit, status string) error {
		if status != StatusIssued {
			return scheduling.Conflict("invoice_not_issued", "invoice %d is %s; only an issued invoice can be credited", id, status)
		}
		inv, err := readInvoice(ctx, tx, `i.id = $1`, id)
		if err != nil {
			return fmt.Errorf("read invoice: %w", err)
		}
		var policyID *scheduling.ID
		var policyYear *int
		if err := tx.QueryRow(ctx, `SELECT policy_id, policy_year FROM invoices WHERE id = $1`, id).Scan(&policyID, &policyYear); err != nil {
			return fmt.Errorf("read invoice policy: %w", err)
		}
		seq, number, err := nextNumber(ctx, tx, v.BranchID, "credit_note")
		if err != nil {
			return err
		}
		n.Number, n.Amount = number, inv.Total
		err = tx.QueryRow(ctx, `INSERT INTO credit_notes (invoice_id, branch_id, number_seq, number, amount, reason, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, id, v.BranchID, seq, number, n.Amount, reason, now, string(actor)).Scan(&n.ID)
		if err != nil {
			return fmt.Errorf("write credit note: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE invoices SET status = 'credited', updated_at = $2 WHERE id = $1`, id, now); err != nil {
			return fmt.Errorf("credit invoice: %w", err)
		}
		if err := consumePackages(ctx, tx, inv.Lines, 1); err != nil {
			return err
		}
		if err := movePoints(ctx, tx, now, actor, v.PatientID, inv.PointsRedeemed-inv.PointsEarned); err != nil {
			return err
		}
		if policyID != nil {
			if err := usePolicy(ctx, tx, *policyID, *policyYear, inv.Lines, -1); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `
			WITH c AS (
				INSERT INTO commission_entries (invoice_id, credit_note_id, examination_id, beneficiary, doctor_id, branch_id, amount, created_at)
				SELECT invoice_id, $2, examination_id, beneficiary, doctor_id, branch_id, -amount, $3
				FROM commission_entries WHERE invoice_id = $1 AND credit_note_id IS NULL
			), m AS (
				INSERT INTO stock_movements (invoice_id, credit_note_id, item_id, branch_id, quantity, created_at)
				SELECT invoice_id, $2, item_id, branch_id, -quantity, $3
				FROM stock_movements WHERE invoice_id = $1 AND credit_note_id IS NULL AND quantity < 0
			)
			UPDATE inventory_stock s SET quantity = s.quantity - m.quantity, updated_at = $3
			FROM stock_movements m
			WHERE m.invoice_id = $1 AND m.credit_note_id IS NULL AND m.quantity < 0
				AND s.item_id = m.item_id AND s.branch_id = m.branch_id`, id, n.ID, now)
		if err != nil {
			return fmt.Errorf("reverse commission and stock: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
