package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Invoice statuses of a saved invoice.
const (
	StatusDraft    = "draft"
	StatusIssued   = "issued"
	StatusCredited = "credited"
	StatusVoid     = "void"
)

// SavedInvoice is a session's invoice as kept: the pricing with its status, number and payments.
// Paid and Due are in the invoice's currency: Due is what the patient still owes in money.
type SavedInvoice struct {
	ID        scheduling.ID `json:"id"`
	SessionID scheduling.ID `json:"session_id"`
	BranchID  scheduling.ID `json:"branch_id"`
	PatientID scheduling.ID `json:"patient_id"`
	Invoice
	// Number is the branch's invoice number, set when it is issued.
	Number       *string     `json:"number"`
	IssuedAt     *time.Time  `json:"issued_at"`
	PointsEarned int64       `json:"points_earned"`
	Paid         int64       `json:"paid"`
	Due          int64       `json:"due"`
	Payments     []Payment   `json:"payments"`
	CreditNote   *CreditNote `json:"credit_note"`
}

// Payment is money the patient paid on an invoice.
type Payment struct {
	ID        scheduling.ID `json:"id"`
	InvoiceID scheduling.ID `json:"invoice_id"`
	Amount    int64         `json:"amount"`
	Currency  string        `json:"currency"`
	Method    string        `json:"method"`
	CreatedAt time.Time     `json:"created_at"`
}

// CreditNote reverses an issued invoice whole.
type CreditNote struct {
	ID        scheduling.ID `json:"id"`
	InvoiceID scheduling.ID `json:"invoice_id"`
	Number    string        `json:"number"`
	Amount    int64         `json:"amount"`
	Reason    string        `json:"reason"`
	CreatedAt time.Time     `json:"created_at"`
}

const savedSelect = `SELECT i.id, i.session_id, i.branch_id, i.patient_id, i.status, i.currency, i.subtotal, i.package_covered,
	i.discount, i.tax, i.total, i.insurance_covered, i.patient_total, i.points_redeemed, i.amount_due, i.paid,
	i.points_earned, i.remaining, i.notes, i.number, i.issued_at FROM invoices i`

// readInvoice reads a saved invoice by the condition where (on i) with its lines, payments and credit
// note; absent answers pgx.ErrNoRows.
func readInvoice(ctx context.Context, db scheduling.DB, where string, arg any) (*SavedInvoice, error) {
	var v SavedInvoice
	found := false
	// One round trip: the lines, payments and credit note are found by the same condition.
	of := `(SELECT i.id FROM invoices i WHERE ` + where + `)`
	batch := &pgx.Batch{}
	batch.Queue(savedSelect+` WHERE `+where, arg).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&v.ID, &v.SessionID, &v.BranchID, &v.PatientID,
			&v.Status, &v.Currency, &v.Subtotal, &v.PackageCovered, &v.Discount, &v.Tax, &v.Total, &v.InsuranceCovered,
			&v.PatientTotal, &v.PointsRedeemed, &v.AmountDue, &v.Paid, &v.PointsEarned, &v.Remaining, &v.Notes,
			&v.Number, &v.IssuedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	batch.Queue(`SELECT kind, COALESCE(examination_id, 0), COALESCE(item_id, 0), description, quantity, unit_price, subtotal,
		COALESCE(package_id, 0), package_covered, discount_bp, discount, net, taxable, tax_rate_bp, tax, total, deductible,
		insurance_covered, patient_share, points_redeemed, amount_due, trace
		FROM invoice_lines WHERE invoice_id = `+of+` ORDER BY position`, arg).Query(func(rows pgx.Rows) error {
		var err error
		v.Lines, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Line, error) {
			var l Line
			var discountBP, taxBP int32
			err := row.Scan(&l.Kind, &l.ExaminationID, &l.ItemID, &l.Description, &l.Quantity, &l.UnitPrice, &l.Subtotal,
				&l.PackageID, &l.PackageCovered, &discountBP, &l.Discount, &l.Net, &l.Taxable, &taxBP, &l.Tax, &l.Total,
				&l.Deductible, &l.InsuranceCovered, &l.PatientShare, &l.PointsRedeemed, &l.AmountDue, &l.Trace)
			l.DiscountBP, l.TaxRateBP = int64(discountBP), int64(taxBP)
			return l, err
		})
		return err
	})
	batch.Queue(`SELECT id, invoice_id, amount, method, created_at FROM payments WHERE invoice_id = `+of+` ORDER BY id`, arg).
		Query(func(rows pgx.Rows) error {
			var err error
			v.Payments, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Payment, error) {
				var p Payment
				return p, row.Scan(&p.ID, &p.InvoiceID, &p.Amount, &p.Method, &p.CreatedAt)
			})
			return err
		})
	batch.Queue(`SELECT id, invoice_id, number, amount, reason, created_at FROM credit_notes WHERE invoice_id = `+of, arg).
		Query(func(rows pgx.Rows) error {
			notes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CreditNote, error) {
				var n CreditNote
				return n, row.Scan(&n.ID, &n.InvoiceID, &n.Number, &n.Amount, &n.Reason, &n.CreatedAt)
			})
			if len(notes) > 0 {
				v.CreditNote = &notes[0]
			}
			return err
		})
	if err := db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("read invoice: %w", err)
	}
	if !found {
		return nil, pgx.ErrNoRows
	}
	v.Due = max(v.AmountDue-v.Paid, 0)
	if v.Status == StatusVoid || v.Status == StatusCredited {
		v.Due = 0
	}
	for i := range v.Payments {
		v.Payments[i].Currency = v.Currency
	}
	if v.Lines == nil {
		v.Lines = []Line{}
	}
	if v.Payments == nil {
		v.Payments = []Payment{}
	}
	if v.Notes == nil {
		v.Notes = []string{}
	}
	return &v, nil
}

// SessionInvoice returns a session's invoice, or nil when it has none (a session booked before
// invoices were kept, or whose draft was removed).
func (s *Store) SessionInvoice(ctx context.Context, sessionID scheduling.ID) (*SavedInvoice, error) {
	v, err := readInvoice(ctx, s.db, `i.session_id = $1`, sessionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read session %d invoice: %w", sessionID, err)
	}
	return v, nil
}

// InvoiceOfSession is SessionInvoice answering not found when the session has no invoice.
func (s *Store) InvoiceOfSession(ctx context.Context, sessionID scheduling.ID) (*SavedInvoice, error) {
	v, err := s.SessionInvoice(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if v == nil {
		var found bool
		if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1)`, sessionID).Scan(&found); err != nil {
			return nil, fmt.Errorf("check session: %w", err)
		}
		if !found {
			return nil, scheduling.NotFound("session", sessionID)
		}
		return nil, &scheduling.Error{Kind: scheduling.KindNotFound, Code: scheduling.CodeNotFound,
			Message: fmt.Sprintf("session %d has no invoice", sessionID)}
	}
	return v, nil
}

// GetInvoice returns an invoice by its id.
func (s *Store) GetInvoice(ctx context.Context, id scheduling.ID) (*SavedInvoice, error) {
	v, err := readInvoice(ctx, s.db, `i.id = $1`, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, scheduling.NotFound("invoice", id)
	}
	return v, err
}
