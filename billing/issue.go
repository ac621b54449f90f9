package billing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// issue prices a session's draft one last time, numbers it from the branch's series and applies what
// issuing an invoice does to the patient's and the clinic's records, each exactly once (DESIGN 3.2):
// package uses are consumed, loyalty points redeemed and earned, the policy's deductible and limit
// used, commission written and consumables taken from the branch's stock. The caller holds the
// session's row lock; the guard against a second issue is the draft → issued update itself. An
// invoice already issued is left alone (nil, nil).
func issue(ctx context.Context, tx pgx.Tx, now time.Time, actor scheduling.Actor, v sessionVisit) (*priced, error) {
	// The patient's packages, points and policy year are read and consumed under this lock, so two
	// visits of one patient issued at once do not both spend the last use of a package.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM patients WHERE id = $1 FOR NO KEY UPDATE`, v.PatientID); err != nil {
		return nil, fmt.Errorf("lock patient: %w", err)
	}
	p, err := saveDraft(ctx, tx, now, v, false, nil)
	var refused *scheduling.Error
	if errors.As(err, &refused) && refused.Kind != scheduling.KindConflict {
		// The catalog changed since the draft was priced (an examination no longer offered here):
		// the visit still ends, billed as the draft's snapshot says.
		p, err = keptDraft(ctx, tx, v.SessionID)
	}
	if errors.Is(err, errNotDraft) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var rate int64
	if err := tx.QueryRow(ctx, `SELECT points_rate_bp FROM billing_settings`).Scan(&rate); err != nil {
		return nil, fmt.Errorf("load points rate: %w", err)
	}
	earned := scale(p.inv.AmountDue, rate)
	seq, number, err := nextNumber(ctx, tx, v.BranchID, "invoice")
	if err != nil {
		return nil, err
	}
	tag, err := tx.Exec(ctx, `UPDATE invoices SET status = 'issued', number_seq = $2, number = $3, issued_at = $4, issued_by = $5,
		points_earned = $6, updated_at = $4 WHERE id = $1 AND status = 'draft'`, p.id, seq, number, now, string(actor), earned)
	if err != nil {
		return nil, fmt.Errorf("issue invoice: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return nil, fmt.Errorf("issue invoice %d: it was no longer a draft", p.id)
	}
	if err := consumePackages(ctx, tx, p.inv.Lines, -1); err != nil {
		return nil, err
	}
	if err := movePoints(ctx, tx, now, actor, v.PatientID, earned-p.inv.PointsRedeemed); err != nil {
		return nil, err
	}
	if p.input.Policy != nil && p.inv.Remaining.Deductible != nil {
		if err := usePolicy(ctx, tx, p.input.Policy.ID, v.Date.Year, p.inv.Lines, 1); err != nil {
			return nil, err
		}
	}
	if err := writeCommission(ctx, tx, now, p.id, v, p.inv.Lines); err != nil {
		return nil, err
	}
	if err := takeStock(ctx, tx, now, p.id, v.BranchID, p.input.Items); err != nil {
		return nil, err
	}
	return p, nil
}

// keptDraft is a session's draft as last priced, for issuing without pricing it again. Its
// consumables are those of its lines: the ones included in an examination's price are not known.
func keptDraft(ctx context.Context, tx pgx.Tx, sessionID scheduling.ID) (*priced, error) {
	saved, err := readInvoice(ctx, tx, `i.session_id = $1`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("read draft invoice: %w", err)
	}
	if saved.Status != StatusDraft {
		return nil, errNotDraft
	}
	p := &priced{id: saved.ID, inv: saved.Invoice}
	var policyID *scheduling.ID
	if err := tx.QueryRow(ctx, `SELECT policy_id FROM invoices WHERE id = $1`, saved.ID).Scan(&policyID); err != nil {
		return nil, fmt.Errorf("read draft invoice: %w", err)
	}
	if policyID != nil {
		p.input.Policy = &Policy{ID: *policyID}
	}
	for _, l := range saved.Lines {
		if l.Kind == KindConsumable {
			p.input.Items = append(p.input.Items, Item{Kind: KindConsumable, ItemID: l.ItemID, Quantity: l.Quantity})
		}
	}
	return p, nil
}

// nextNumber takes the next number of a branch's series, gap-free: the counter row is written in the
// caller's transaction and held until it ends.
func nextNumber(ctx context.Context, tx pgx.Tx, branchID scheduling.ID, kind string) (int64, string, error) {
	var seq int64
	err := tx.QueryRow(ctx, `INSERT INTO invoice_series (branch_id, kind, last_number) VALUES ($1, $2, 1)
		ON CONFLICT (branch_id, kind) DO UPDATE SET last_number = invoice_series.last_number + 1
		RETURNING last_number`, branchID, kind).Scan(&seq)
	if err != nil {
		return 0, "", fmt.Errorf("number %s: %w", kind, err)
	}
	prefix := "INV"
	if kind == "credit_note" {
		prefix = "CN"
	}
	return seq, fmt.Sprintf("%s-%d-%06d", prefix, branchID, seq), nil
}

// consumePackages takes (sign −1) or gives back (sign +1) the package uses of covered lines.
func consumePackages(ctx context.Context, tx pgx.Tx, lines []Line, sign int64) error {
	var ids []scheduling.ID
	var uses []int64
	for _, l := range lines {
		if l.PackageID != 0 {
			ids, uses = append(ids, l.PackageID), append(uses, sign*l.Quantity)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE patient_packages p SET uses_left = least(greatest(p.uses_left + u.n, 0), p.uses)
		FROM (SELECT id, sum(n) AS n FROM unnest($1::bigint[], $2::bigint[]) AS x(id, n) GROUP BY id) u WHERE p.id = u.id`, ids, uses)
	if err != nil {
		return fmt.Errorf("package uses: %w", err)
	}
	return nil
}

// movePoints adds delta points to the patient's loyalty account (never below zero), opening it.
func movePoints(ctx context.Context, tx pgx.Tx, now time.Time, actor scheduling.Actor, patientID scheduling.ID, delta int64) error {
	if delta == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO loyalty_accounts (patient_id, points, updated_at, updated_by) VALUES ($1, greatest($2, 0), $3, $4)
		ON CONFLICT (patient_id) DO UPDATE SET points = least(greatest(loyalty_accounts.points + $2, 0), $5)`,
		patientID, delta, now, string(actor), int64(MaxPoints))
	if err != nil {
		return fmt.Errorf("loyalty points: %w", err)
	}
	return nil
}

// usePolicy records (sign +1) or reverses (sign −1) the deductible and insurer's share of lines in
// the policy's year.
func usePolicy(ctx context.Context, tx pgx.Tx, policyID scheduling.ID, year int, lines []Line, sign int64) error {
	var deductible, insurer int64
	for _, l := range lines {
		deductible, insurer = deductible+l.Deductible, insurer+l.InsuranceCovered
	}
	if deductible == 0 && insurer == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO policy_usage (policy_id, year, deductible_used, insurer_paid) VALUES ($1, $2, greatest($3, 0), greatest($4, 0))
		ON CONFLICT (policy_id, year) DO UPDATE SET deductible_used = greatest(policy_usage.deductible_used + $3, 0),
			insurer_paid = greatest(policy_usage.insurer_paid + $4, 0)`, policyID, year, sign*deductible, sign*insurer)
	if err != nil {
		return fmt.Errorf("policy usage: %w", err)
	}
	return nil
}

// writeCommission writes the commission of each examination line by its rules: a percentage of the
// net after discount and before tax, or a fixed amount (DESIGN 3.4).
func writeCommission(ctx context.Context, tx pgx.Tx, now time.Time, invoiceID scheduling.ID, v sessionVisit, lines []Line) error {
	rows, err := tx.Query(ctx, `SELECT examination_id, beneficiary, percent_bp, fixed FROM commission_rules
		WHERE examination_id = ANY($1) ORDER BY examination_id, beneficiary`, v.ExaminationIDs)
	if err != nil {
		return fmt.Errorf("load commission rules: %w", err)
	}
	type rule struct {
		exam        scheduling.ID
		beneficiary string
		percent     *int32
		fixed       *int64
	}
	var rules []rule
	var r rule
	if _, err := pgx.ForEachRow(rows, []any{&r.exam, &r.beneficiary, &r.percent, &r.fixed}, func() error {
		rules = append(rules, r)
		return nil
	}); err != nil {
		return fmt.Errorf("load commission rules: %w", err)
	}
	var exams []scheduling.ID
	var doctors []*scheduling.ID
	var who []string
	var amounts []int64
	for _, l := range lines {
		if l.Kind != KindExamination {
			continue
		}
		for _, r := range rules {
			if r.exam != l.ExaminationID {
				continue
			}
			amount := int64(0)
			if r.fixed != nil {
				amount = *r.fixed
			} else if r.percent != nil {
				amount = scale(l.Net, int64(*r.percent))
			}
			if amount == 0 {
				continue
			}
			var doctor *scheduling.ID
			if r.beneficiary == "doctor" {
				doctor = &v.DoctorID
			}
			exams, doctors, who, amounts = append(exams, l.ExaminationID), append(doctors, doctor), append(who, r.beneficiary), append(amounts, amount)
		}
	}
	if len(amounts) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO commission_entries (invoice_id, examination_id, beneficiary, doctor_id, branch_id, amount, created_at)
		SELECT $1, x.e, x.b, x.d, $2, x.a, $3 FROM unnest($4::bigint[], $5::text[], $6::bigint[], $7::bigint[]) AS x(e, b, d, a)`,
		invoiceID, v.BranchID, now, exams, who, doctors, amounts)
	if err != nil {
		return fmt.Errorf("write commission: %w", err)
	}
	return nil
}

// takeStock takes the visit's consumables, billed or not, from the branch's stock. Stock never goes
// below zero: what the visit used beyond it is recorded as a shortfall.
func takeStock(ctx context.Context, tx pgx.Tx, now time.Time, invoiceID, branchID scheduling.ID, items []Item) error {
	want := map[scheduling.ID]int64{}
	var ids []scheduling.ID
	for _, it := range items {
		if it.Kind != KindConsumable {
			continue
		}
		if _, ok := want[it.ItemID]; !ok {
			ids = append(ids, it.ItemID)
		}
		want[it.ItemID] += it.Quantity
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	rows, err := tx.Query(ctx, `SELECT item_id, quantity FROM inventory_stock WHERE branch_id = $1 AND item_id = ANY($2)
		ORDER BY item_id FOR UPDATE`, branchID, ids)
	if err != nil {
		return fmt.Errorf("lock stock: %w", err)
	}
	have := map[scheduling.ID]int64{}
	var id scheduling.ID
	var qty int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &qty}, func() error { have[id] = qty; return nil }); err != nil {
		return fmt.Errorf("lock stock: %w", err)
	}
	taken, short := make([]int64, len(ids)), make([]int64, len(ids))
	for i, id := range ids {
		taken[i] = min(want[id], have[id])
		short[i] = want[id] - taken[i]
	}
	_, err = tx.Exec(ctx, `
		WITH x AS (SELECT * FROM unnest($3::bigint[], $4::bigint[], $5::bigint[]) AS x(item, taken, short)),
		upd AS (
			UPDATE inventory_stock s SET quantity = s.quantity - x.taken, updated_at = $6
			FROM x WHERE s.item_id = x.item AND s.branch_id = $2 AND x.taken > 0
		)
		INSERT INTO stock_movements (invoice_id, item_id, branch_id, quantity, shortfall, created_at)
		SELECT $1, x.item, $2, -x.taken, x.short, $6 FROM x`, invoiceID, branchID, ids, taken, short, now)
	if err != nil {
		return fmt.Errorf("take stock: %w", err)
	}
	return nil
}
