package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// sessionVisit is what a session's invoice is priced from.
type sessionVisit struct {
	SessionID scheduling.ID
	DoctorID  scheduling.ID
	Visit
}

// visitOf reads the visit of a session as scheduling passes it to listeners.
func visitOf(sess *scheduling.Session) sessionVisit {
	ids := make([]scheduling.ID, len(sess.Examinations))
	for i, e := range sess.Examinations {
		ids[i] = e.ExaminationID
	}
	return sessionVisit{SessionID: sess.ID, DoctorID: sess.DoctorID, Visit: Visit{PatientID: sess.PatientID,
		BranchID: sess.BranchID, ExaminationIDs: ids, Date: scheduling.DateOf(sess.Start)}}
}

// priced is a draft as written: its id, the pricing and the input it was priced from.
type priced struct {
	id    scheduling.ID
	inv   Invoice
	input Input
}

// errNotDraft says the session's invoice is no longer a draft: it is not priced again.
var errNotDraft = errors.New("invoice is not a draft")

// saveDraft prices a session's visit with Price, exactly as a preview does, and writes it as the
// session's draft invoice, replacing an earlier draft's lines (DESIGN 3.4: recalculated until it is
// issued). fresh says the session was just booked and has no invoice yet: the draft is then written
// in one statement, priced from what h remembers when it can (see hints). An invoice that is no longer
// a draft is left as it is and errNotDraft answered.
func saveDraft(ctx context.Context, tx pgx.Tx, now time.Time, v sessionVisit, fresh bool, h *hints) (*priced, error) {
	if fresh {
		if p, err := h.draft(ctx, tx, now, v); p != nil || err != nil {
			return p, err
		}
	}
	l, err := NewStore(tx, func() time.Time { return now }).load(ctx, v.Visit)
	if err != nil {
		return nil, err
	}
	input, err := l.assemble()
	if err != nil {
		return nil, err
	}
	h.learn(tx, l, input)
	inv, err := Price(input)
	if err != nil {
		return nil, err
	}
	p := &priced{inv: inv, input: input}
	args, err := draftArgs(v, p, now)
	if err != nil {
		return nil, err
	}
	if !fresh {
		var paid int64
		found := false
		batch := &pgx.Batch{}
		batch.Queue(`
			WITH inv AS (
				UPDATE invoices SET branch_id = $2, patient_id = $3, currency = $4, visit_date = $5::date, subtotal = $6,
					package_covered = $7, discount = $8, tax = $9, total = $10, insurance_covered = $11, patient_total = $12,
					points_redeemed = $13, amount_due = $14, policy_id = $15, policy_year = $16, remaining = $17, notes = $18,
					updated_at = $19
				WHERE session_id = $1 AND status = 'draft' RETURNING id, paid
			), gone AS (
				DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM inv)
			)
			SELECT id, paid FROM inv`, args[:19]...).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&p.id, &paid)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
		batch.Queue(`INSERT INTO invoice_lines (`+lineColumnNames+`)
			SELECT i.id, `+lineColumns+`
			FROM invoices i, jsonb_array_elements($2::jsonb) WITH ORDINALITY AS l(v, ord)
			WHERE i.session_id = $1 AND i.status = 'draft'`, v.SessionID, args[19])
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return nil, fmt.Errorf("save draft invoice: %w", err)
		}
		if found {
			return p, checkPaid(p.inv, paid)
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM invoices WHERE session_id = $1)`, v.SessionID).Scan(&exists); err != nil {
			return nil, fmt.Errorf("check invoice: %w", err)
		}
		if exists {
			return nil, errNotDraft
		}
		// A session booked before invoices were kept gets its first draft now.
	}
	if err := tx.QueryRow(ctx, insertDraftSQL, args...).Scan(&p.id); err != nil {
		return nil, fmt.Errorf("save draft invoice: %w", err)
	}
	return p, nil
}

// draftArgs are the parameters of insertDraftSQL: $1–$19 the header's columns, $20 the lines.
func draftArgs(v sessionVisit, p *priced, now time.Time) ([]any, error) {
	inv := p.inv
	var policyID *scheduling.ID
	var policyYear *int
	if p.input.Policy != nil && inv.Remaining.Deductible != nil {
		policyID, policyYear = &p.input.Policy.ID, &v.Date.Year
	}
	remaining, err := json.Marshal(inv.Remaining)
	if err != nil {
		return nil, fmt.Errorf("encode remaining: %w", err)
	}
	notes, err := json.Marshal(inv.Notes)
	if err != nil {
		return nil, fmt.Errorf("encode notes: %w", err)
	}
	lines, err := json.Marshal(inv.Lines)
	if err != nil {
		return nil, fmt.Errorf("encode lines: %w", err)
	}
	return []any{v.SessionID, v.BranchID, v.PatientID, inv.Currency, dateString(v.Date), inv.Subtotal, inv.PackageCovered,
		inv.Discount, inv.Tax, inv.Total, inv.InsuranceCovered, inv.PatientTotal, inv.PointsRedeemed, inv.AmountDue,
		policyID, policyYear, remaining, notes, now, lines}, nil
}

// invoiceColumnNames are the columns a new draft writes, in the order of draftValues.
const invoiceColumnNames = `session_id, branch_id, patient_id, status, currency, visit_date, subtotal, package_covered,
	discount, tax, total, insurance_covered, patient_total, points_redeemed, amount_due, policy_id, policy_year,
	remaining, notes, created_at, updated_at`

// draftValues are a new draft's values from draftArgs' parameters, typed so that they may stand in a
// SELECT as well as in VALUES.
const draftValues = `$1::bigint, $2::bigint, $3::bigint, 'draft', $4::text, $5::date, $6::bigint, $7::bigint,
	$8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::bigint, $13::bigint, $14::bigint, $15::bigint, $16::int,
	$17::jsonb, $18::jsonb, $19::timestamptz, $19::timestamptz`

// lineColumnNames are the columns of an invoice line, in the order of lineColumns after invoice_id.
const lineColumnNames = `invoice_id, position, kind, examination_id, item_id, description, quantity, unit_price,
	subtotal, package_id, package_covered, discount_bp, discount, net, taxable, tax_rate_bp, tax, total,
	deductible, insurance_covered, patient_share, points_redeemed, amount_due, trace`

// insertDraftSQL writes a new draft and its lines ($20) in one statement.
const insertDraftSQL = `
	WITH inv AS (
		INSERT INTO invoices (` + invoiceColumnNames + `) VALUES (` + draftValues + `) RETURNING id
	), added AS (
		INSERT INTO invoice_lines (` + lineColumnNames + `)
		SELECT inv.id, ` + lineColumns + `
		FROM inv, jsonb_array_elements($20::jsonb) WITH ORDINALITY AS l(v, ord)
	)
	SELECT id FROM inv`

// lineColumns reads a line's columns, after invoice_id, from l.v, a line as JSON, at l.ord.
const lineColumns = `l.ord - 1, l.v->>'kind', (l.v->>'examination_id')::bigint, (l.v->>'item_id')::bigint,
	l.v->>'description', (l.v->>'quantity')::bigint, (l.v->>'unit_price')::bigint, (l.v->>'subtotal')::bigint,
	(l.v->>'package_id')::bigint, (l.v->>'package_covered')::bigint, (l.v->>'discount_bp')::int,
	(l.v->>'discount')::bigint, (l.v->>'net')::bigint, (l.v->>'taxable')::boolean,
	(l.v->>'tax_rate_bp')::int, (l.v->>'tax')::bigint, (l.v->>'total')::bigint, (l.v->>'deductible')::bigint,
	(l.v->>'insurance_covered')::bigint, (l.v->>'patient_share')::bigint,
	(l.v->>'points_redeemed')::bigint, (l.v->>'amount_due')::bigint, l.v->'trace'`

// checkPaid refuses a draft priced below what was already paid on it.
func checkPaid(inv Invoice, paid int64) error {
	if paid > inv.AmountDue {
		return scheduling.Conflict("invoice_overpaid", "the invoice would come to %s, less than the %s already paid on it",
			formatMinorIn(inv.AmountDue, inv.Currency), formatMinorIn(paid, inv.Currency))
	}
	return nil
}

// formatMinorIn writes an amount with its currency: "EUR 12.50".
func formatMinorIn(amount int64, currency string) string {
	digits, _ := scheduling.CurrencyDigits(currency)
	return currency + " " + formatMinor(amount, digits)
}
