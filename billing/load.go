package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// LoadInput reads everything Price needs for a visit. On a pool it reads in one read-only
// repeatable-read transaction, so that the prices, the branch and the patient's records agree with
// each other; on a caller's transaction it reads in that transaction. Either way every query goes in
// one batch: a booking prices its invoice in one round trip. Lines come in a fixed order: each
// examination as asked, followed by its own consumables by item id, then the extra consumables as
// given.
func (s *Store) LoadInput(ctx context.Context, v Visit) (Input, error) {
	l, err := s.load(ctx, v)
	if err != nil {
		return Input{}, err
	}
	return l.assemble()
}

// load runs LoadInput's batch and returns its answers.
func (s *Store) load(ctx context.Context, v Visit) (*inputLoad, error) {
	l := &inputLoad{v: v, in: Input{Date: v.Date, ManualDiscountBP: v.ManualDiscountBP, RedeemPoints: v.RedeemPoints}}
	batch := l.queue()
	var err error
	if db, ok := s.db.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}); ok {
		err = pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
			return tx.SendBatch(ctx, batch).Close()
		})
	} else {
		err = s.db.SendBatch(ctx, batch).Close()
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// inputLoad gathers the answers of LoadInput's batch.
type inputLoad struct {
	v                         Visit
	in                        Input
	branchFound, patientFound bool
	exams                     map[scheduling.ID]examRow
	own, extra                []Item
	policy                    *Policy
	// catalogVersion is the catalog's version as read with the prices; patientMarked says the patient
	// has money records of their own (migration 00020).
	catalogVersion int64
	patientMarked  bool
}

// examRow is an examination as priced at one branch.
type examRow struct {
	name    string
	price   int64
	taxable bool
	offered bool
}

func (l *inputLoad) queue() *pgx.Batch {
	v, b := l.v, &pgx.Batch{}
	// The branch, whether the patient exists, the loyalty account and the policy with what is left
	// of its deductible and limit in the visit's year, in one row.
	b.Queue(`
		SELECT b.currency, b.tax_rate_bp, pt.id IS NOT NULL, COALESCE(la.points, 0),
			-- A tier set by staff wins; otherwise the highest of the clinic's tiers the patient reaches.
			COALESCE(la.tier_discount_bp, (SELECT t.discount_bp FROM loyalty_tiers t
				WHERE t.threshold <= CASE WHEN (SELECT tier_basis FROM billing_settings) = 'spent'
						THEN (SELECT COALESCE(sum(iv.paid), 0)::bigint FROM invoices iv
							WHERE iv.patient_id = $2 AND iv.status IN ('draft', 'issued') AND iv.currency = b.currency)
						ELSE COALESCE(la.points, 0) END
				ORDER BY t.threshold DESC LIMIT 1), 0),
			(SELECT version FROM catalog_version), EXISTS (SELECT 1 FROM billing_patients WHERE patient_id = $2),
			p.id, p.insurer, p.currency, p.coverage_bp,
			greatest(p.annual_deductible - COALESCE(u.deductible_used, 0), 0),
			-- greatest ignores NULL: a policy without a limit must stay without one.
			CASE WHEN p.annual_limit IS NOT NULL THEN greatest(p.annual_limit - COALESCE(u.insurer_paid, 0), 0) END,
			p.valid_from, p.valid_to,
			array(SELECT examination_id FROM policy_examinations WHERE policy_id = p.id ORDER BY 1)
		FROM branches b
		LEFT JOIN patients pt ON pt.id = $2
		LEFT JOIN loyalty_accounts la ON la.patient_id = $2
		LEFT JOIN insurance_policies p ON p.patient_id = $2
		LEFT JOIN policy_usage u ON u.policy_id = p.id AND u.year = $3
		WHERE b.id = $1`, v.BranchID, v.PatientID, v.Date.Year).QueryRow(func(row pgx.Row) error {
		var p Policy
		var id *scheduling.ID
		var insurer, currency *string
		var coverage *int32
		var deductible *int64
		var from, to *time.Time
		var tier int32
		err := row.Scan(&l.in.Currency, &l.in.TaxRateBP, &l.patientFound, &l.in.Loyalty.Points, &tier,
			&l.catalogVersion, &l.patientMarked, &id, &insurer, &currency, &coverage, &deductible, &p.LimitLeft, &from, &to, &p.ExaminationIDs)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		} else if err != nil {
			return fmt.Errorf("load branch and patient: %w", err)
		}
		l.branchFound, l.in.Loyalty.TierDiscountBP = true, int64(tier)
		if id == nil {
			return nil
		}
		p.ID, p.Insurer, p.CoverageBP, p.DeductibleLeft = *id, *insurer, int64(*coverage), *deductible
		if currency != nil {
			p.Currency = *currency
		}
		p.ValidFrom, p.ValidTo = scheduling.DateOf(*from), scheduling.DateOf(*to)
		l.policy = &p
		return nil
	})
	b.Queue(`
		SELECT e.id, e.name, COALESCE(p.price, e.price), e.taxable,
			EXISTS (SELECT 1 FROM examination_branches b WHERE b.examination_id = e.id AND b.branch_id = $2)
		FROM examinations e LEFT JOIN examination_prices p ON p.examination_id = e.id AND p.branch_id = $2
		WHERE e.id = ANY($1)`, v.ExaminationIDs, v.BranchID).Query(func(rows pgx.Rows) error {
		l.exams = map[scheduling.ID]examRow{}
		var id scheduling.ID
		var e examRow
		_, err := pgx.ForEachRow(rows, []any{&id, &e.name, &e.price, &e.taxable, &e.offered}, func() error {
			l.exams[id] = e
			return nil
		})
		if err != nil {
			return fmt.Errorf("load examinations: %w", err)
		}
		return nil
	})
	b.Queue(`
		SELECT c.examination_id, i.id, i.name, c.quantity, COALESCE(p.unit_price, i.unit_price), i.taxable,
			COALESCE(c.billable, i.billable)
		FROM examination_consumables c JOIN inventory_items i ON i.id = c.item_id
		LEFT JOIN inventory_item_prices p ON p.item_id = i.id AND p.branch_id = $2
		WHERE c.examination_id = ANY($1) ORDER BY c.examination_id, i.id`, v.ExaminationIDs, v.BranchID).
		Query(func(rows pgx.Rows) (err error) { l.own, err = scanConsumables(rows); return err })
	if len(v.Consumables) > 0 {
		ids := make([]scheduling.ID, len(v.Consumables))
		for i, c := range v.Consumables {
			ids[i] = c.ItemID
		}
		b.Queue(`
			SELECT 0::bigint, i.id, i.name, 1, COALESCE(p.unit_price, i.unit_price), i.taxable, i.billable
			FROM inventory_items i LEFT JOIN inventory_item_prices p ON p.item_id = i.id AND p.branch_id = $2
			WHERE i.id = ANY($1)`, ids, v.BranchID).
			Query(func(rows pgx.Rows) (err error) { l.extra, err = scanConsumables(rows); return err })
	}
	// Packages with uses left, soonest expiry first (then oldest): the order in which Price tries
	// them, so a package about to lapse is used before one that is not.
	b.Queue(`
		SELECT p.id, p.name, p.uses_left, p.expires_on,
			array(SELECT examination_id FROM package_examinations WHERE package_id = p.id ORDER BY 1)
		FROM patient_packages p WHERE p.patient_id = $1 AND p.uses_left > 0
		ORDER BY p.expires_on NULLS LAST, p.id`, v.PatientID).Query(func(rows pgx.Rows) error {
		var p Package
		var uses int32
		var expires *time.Time
		_, err := pgx.ForEachRow(rows, []any{&p.ID, &p.Name, &uses, &expires, &p.ExaminationIDs}, func() error {
			p.UsesLeft, p.ExpiresOn = int64(uses), dateOfPtr(expires)
			l.in.Packages = append(l.in.Packages, p)
			p.ExaminationIDs = nil // the next row scans into a fresh slice
			return nil
		})
		if err != nil {
			return fmt.Errorf("load packages: %w", err)
		}
		return nil
	})
	return b
}

// assemble checks what was found and lays the items out in line order.
func (l *inputLoad) assemble() (Input, error) {
	v, in := l.v, l.in
	switch {
	case !l.branchFound:
		return Input{}, scheduling.NotFound("branch", v.BranchID)
	case !l.patientFound:
		return Input{}, scheduling.NotFound("patient", v.PatientID)
	}
	in.Policy = l.policy
	for _, id := range v.ExaminationIDs {
		e, ok := l.exams[id]
		switch {
		case !ok:
			return Input{}, scheduling.NotFound("examination", id)
		case !e.offered:
			return Input{}, scheduling.Rule("examination_not_offered", "examination %d (%s) is not offered at branch %d", id, e.name, v.BranchID)
		}
		in.Items = append(in.Items, Item{Kind: KindExamination, ExaminationID: id, Description: e.name, Quantity: 1,
			UnitPrice: e.price, Taxable: e.taxable, Billable: true})
		for _, c := range l.own {
			if c.ExaminationID == id {
				in.Items = append(in.Items, c)
			}
		}
	}
	if len(v.Consumables) > 0 {
		byID := make(map[scheduling.ID]Item, len(l.extra))
		for _, it := range l.extra {
			byID[it.ItemID] = it
		}
		for _, c := range v.Consumables {
			it, ok := byID[c.ItemID]
			if !ok {
				return Input{}, scheduling.NotFound("inventory item", c.ItemID)
			}
			it.ExaminationID, it.Quantity = c.ExaminationID, *c.Quantity
			in.Items = append(in.Items, it)
		}
	}
	return in, nil
}

// scanConsumables reads consumable items: examination, item, name, quantity, price, taxable, billable.
func scanConsumables(rows pgx.Rows) ([]Item, error) {
	var out []Item
	var it Item
	var qty int32
	_, err := pgx.ForEachRow(rows, []any{&it.ExaminationID, &it.ItemID, &it.Description, &qty, &it.UnitPrice, &it.Taxable, &it.Billable}, func() error {
		it.Kind, it.Quantity = KindConsumable, int64(qty)
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load consumables: %w", err)
	}
	return out, nil
}
