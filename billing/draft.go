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
// issued). An invoice that is no longer a draft is left as it is and errNotDraft answered.
func saveDraft(ctx context.Context, tx pgx.Tx, now time.Time, v sessionVisit) (*priced, error) {
	input, err := NewStore(tx, func() time.Time { return now }).LoadInput(ctx, v.Visit)
	if err != nil {
		return nil, err
	}
	inv, err := Price(input)
	if err != nil {
		return nil, err
	}
	var policyID *scheduling.ID
	var policyYear *int
	if input.Policy != nil && inv.Remaining.Deductible != nil {
		policyID, policyYear = &input.Policy.ID, &v.Date.Year
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
	p := &priced{inv: inv, input: input}
	var paid int64
	err = tx.QueryRow(ctx, `
		WITH inv AS (
			INSERT INTO invoices (session_id, branch_id, patient_id, status, currency, visit_date, subtotal, package_covered,
				discount, tax, total, insurance_covered, patient_total, points_redeemed, amount_due, policy_id, policy_year,
				remaining, notes, created_at, updated_at)
			VALUES ($1, $2, $3, 'draft', $4, $5::date, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
			ON CONFLICT (session_id) DO UPDATE SET branch_id = EXCLUDED.branch_id, patient_id = EXCLUDED.patient_id,
				currency = EXCLUDED.currency, visit_date = EXCLUDED.visit_date, subtotal = EXCLUDED.subtotal,
				package_covered = EXCLUDED.package_covered, discount = EXCLUDED.discount, tax = EXCLUDED.tax,
				total = EXCLUDED.total, insurance_covered = EXCLUDED.insurance_covered,
				patient_total = EXCLUDED.patient_total, points_redeemed = EXCLUDED.points_redeemed,
				amount_due = EXCLUDED.amount_due, policy_id = EXCLUDED.policy_id, policy_year = EXCLUDED.policy_year,
				remaining = EXCLUDED.remaining, notes = EXCLUDED.notes, updated_at = EXCLUDED.updated_at
			WHERE invoices.status = 'draft'
			RETURNING id, paid
		), gone AS (
			DELETE FROM invoice_lines WHERE invoice_id IN (SELECT id FROM inv)
		), added AS (
			INSERT INTO invoice_lines (invoice_id, position, kind, examination_id, item_id, description, quantity, unit_price,
				subtotal, package_id, package_covered, discount_bp, discount, net, taxable, tax_rate_bp, tax, total,
				deductible, insurance_covered, patient_share, points_redeemed, amount_due, trace)
			SELECT inv.id, l.ord - 1, l.v->>'kind', (l.v->>'examination_id')::bigint, (l.v->>'item_id')::bigint,
				l.v->>'description', (l.v->>'quantity')::bigint, (l.v->>'unit_price')::bigint, (l.v->>'subtotal')::bigint,
				(l.v->>'package_id')::bigint, (l.v->>'package_covered')::bigint, (l.v->>'discount_bp')::int,
				(l.v->>'discount')::bigint, (l.v->>'net')::bigint, (l.v->>'taxable')::boolean,
				(l.v->>'tax_rate_bp')::int, (l.v->>'tax')::bigint, (l.v->>'total')::bigint, (l.v->>'deductible')::bigint,
				(l.v->>'insurance_covered')::bigint, (l.v->>'patient_share')::bigint,
				(l.v->>'points_redeemed')::bigint, (l.v->>'amount_due')::bigint, l.v->'trace'
			FROM inv, jsonb_array_elements($20::jsonb) WITH ORDINALITY AS l(v, ord)
		)
		SELECT id, paid FROM inv`,
		v.SessionID, v.BranchID, v.PatientID, inv.Currency, dateString(v.Date), inv.Subtotal, inv.PackageCovered,
		inv.Discount, inv.Tax, inv.Total, inv.InsuranceCovered, inv.PatientTotal, inv.PointsRedeemed, inv.AmountDue,
		policyID, policyYear, remaining, notes, now, lines).Scan(&p.id, &paid)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNotDraft
	} else if err != nil {
		return nil, fmt.Errorf("save draft invoice: %w", err)
	}
	if paid > inv.AmountDue {
		return nil, scheduling.Conflict("invoice_overpaid", "the invoice would come to %s, less than the %s already paid on it",
			formatMinorIn(inv.AmountDue, inv.Currency), formatMinorIn(paid, inv.Currency))
	}
	return p, nil
}

// formatMinorIn writes an amount with its currency: "EUR 12.50".
func formatMinorIn(amount int64, currency string) string {
	digits, _ := scheduling.CurrencyDigits(currency)
	return currency + " " + formatMinor(amount, digits)
}
