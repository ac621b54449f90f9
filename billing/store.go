package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Store loads pricing input from the database and keeps patients' money records: prepaid packages,
// insurance policies and loyalty accounts. It is safe for concurrent use.
type Store struct {
	db  scheduling.DB
	now func() time.Time
}

// NewStore returns a store on db (a pool, or a transaction to join). now is the clock that decides
// "today" and stamps changes; nil means the system clock.
func NewStore(db scheduling.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Visit names what to price: who, where, when, which examinations and which extra consumables.
type Visit struct {
	PatientID scheduling.ID
	BranchID  scheduling.ID
	// ExaminationIDs in line order; repeats are separate lines.
	ExaminationIDs []scheduling.ID
	// Consumables used beyond what the examinations use by themselves.
	Consumables []ConsumableUse
	// Date is the visit's day at the branch.
	Date             scheduling.Date
	ManualDiscountBP int64
	RedeemPoints     int64
}

// ConsumableUse is an inventory item used during a visit.
type ConsumableUse struct {
	ItemID   scheduling.ID `json:"item_id"`
	Quantity *int64        `json:"quantity"`
	// ExaminationID is the visit's examination it was used in, if any: insurance covers it with
	// that examination.
	ExaminationID scheduling.ID `json:"examination_id"`
}

// LoadInput reads everything Price needs for a visit, in one read-only snapshot so that the
// prices, the branch and the patient's records agree with each other. Lines come in a fixed order:
// each examination as asked, followed by its own consumables by item id, then the extra consumables
// as given.
func (s *Store) LoadInput(ctx context.Context, v Visit) (Input, error) {
	in := Input{Date: v.Date, ManualDiscountBP: v.ManualDiscountBP, RedeemPoints: v.RedeemPoints}
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT currency, tax_rate_bp FROM branches WHERE id = $1`, v.BranchID).Scan(&in.Currency, &in.TaxRateBP)
		if errors.Is(err, pgx.ErrNoRows) {
			return scheduling.NotFound("branch", v.BranchID)
		} else if err != nil {
			return fmt.Errorf("load branch: %w", err)
		}
		if err := patientExists(ctx, tx, v.PatientID); err != nil {
			return err
		}
		if in.Items, err = loadItems(ctx, tx, v); err != nil {
			return err
		}
		if in.Packages, err = loadPackages(ctx, tx, v.PatientID); err != nil {
			return err
		}
		if in.Policy, err = loadPolicy(ctx, tx, v.PatientID, v.Date.Year); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT points, tier_discount_bp FROM loyalty_accounts WHERE patient_id = $1`, v.PatientID).
			Scan(&in.Loyalty.Points, &in.Loyalty.TierDiscountBP)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("load loyalty: %w", err)
		}
		return nil
	})
	return in, err
}

// snapshot runs read in one read-only repeatable-read transaction on a pool; on a caller's
// transaction it joins that transaction's view instead.
func (s *Store) snapshot(ctx context.Context, read func(pgx.Tx) error) error {
	if db, ok := s.db.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}); ok {
		return pgx.BeginTxFunc(ctx, db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, read)
	}
	return pgx.BeginFunc(ctx, s.db, read)
}

func patientExists(ctx context.Context, db scheduling.DB, id scheduling.ID) error {
	var found bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM patients WHERE id = $1)`, id).Scan(&found); err != nil {
		return fmt.Errorf("check patient: %w", err)
	}
	if !found {
		return scheduling.NotFound("patient", id)
	}
	return nil
}

// examRow is an examination as priced at one branch.
type examRow struct {
	name    string
	price   int64
	taxable bool
	offered bool
}

// loadItems reads the examinations at the branch's prices, their consumables and the extra ones.
func loadItems(ctx context.Context, tx pgx.Tx, v Visit) ([]Item, error) {
	rows, err := tx.Query(ctx, `
		SELECT e.id, e.name, COALESCE(p.price, e.price), e.taxable,
			EXISTS (SELECT 1 FROM examination_branches b WHERE b.examination_id = e.id AND b.branch_id = $2)
		FROM examinations e LEFT JOIN examination_prices p ON p.examination_id = e.id AND p.branch_id = $2
		WHERE e.id = ANY($1)`, v.ExaminationIDs, v.BranchID)
	if err != nil {
		return nil, fmt.Errorf("load examinations: %w", err)
	}
	exams := map[scheduling.ID]examRow{}
	var id scheduling.ID
	var e examRow
	_, err = pgx.ForEachRow(rows, []any{&id, &e.name, &e.price, &e.taxable, &e.offered}, func() error {
		exams[id] = e
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load examinations: %w", err)
	}
	own, err := loadConsumables(ctx, tx, `
		SELECT c.examination_id, i.id, i.name, c.quantity, COALESCE(p.unit_price, i.unit_price), i.taxable,
			COALESCE(c.billable, i.billable)
		FROM examination_consumables c JOIN inventory_items i ON i.id = c.item_id
		LEFT JOIN inventory_item_prices p ON p.item_id = i.id AND p.branch_id = $2
		WHERE c.examination_id = ANY($1) ORDER BY c.examination_id, i.id`, v.ExaminationIDs, v.BranchID)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, id := range v.ExaminationIDs {
		e, ok := exams[id]
		switch {
		case !ok:
			return nil, scheduling.NotFound("examination", id)
		case !e.offered:
			return nil, scheduling.Rule("examination_not_offered", "examination %d (%s) is not offered at branch %d", id, e.name, v.BranchID)
		}
		items = append(items, Item{Kind: KindExamination, ExaminationID: id, Description: e.name, Quantity: 1,
			UnitPrice: e.price, Taxable: e.taxable, Billable: true})
		for _, c := range own {
			if c.ExaminationID == id {
				items = append(items, c)
			}
		}
	}
	extra, err := loadExtraConsumables(ctx, tx, v)
	if err != nil {
		return nil, err
	}
	return append(items, extra...), nil
}

// loadConsumables reads consumable items; the query's columns are those of loadItems' consumables.
func loadConsumables(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]Item, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("load consumables: %w", err)
	}
	var out []Item
	var it Item
	var qty int32
	_, err = pgx.ForEachRow(rows, []any{&it.ExaminationID, &it.ItemID, &it.Description, &qty, &it.UnitPrice, &it.Taxable, &it.Billable}, func() error {
		it.Kind, it.Quantity = KindConsumable, int64(qty)
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load consumables: %w", err)
	}
	return out, nil
}

// loadExtraConsumables prices the consumables named in the visit, in the order given.
func loadExtraConsumables(ctx context.Context, tx pgx.Tx, v Visit) ([]Item, error) {
	if len(v.Consumables) == 0 {
		return nil, nil
	}
	ids := make([]scheduling.ID, len(v.Consumables))
	for i, c := range v.Consumables {
		ids[i] = c.ItemID
	}
	found, err := loadConsumables(ctx, tx, `
		SELECT 0::bigint, i.id, i.name, 1, COALESCE(p.unit_price, i.unit_price), i.taxable, i.billable
		FROM inventory_items i LEFT JOIN inventory_item_prices p ON p.item_id = i.id AND p.branch_id = $2
		WHERE i.id = ANY($1)`, ids, v.BranchID)
	if err != nil {
		return nil, err
	}
	byID := make(map[scheduling.ID]Item, len(found))
	for _, it := range found {
		byID[it.ItemID] = it
	}
	out := make([]Item, len(v.Consumables))
	for i, c := range v.Consumables {
		it, ok := byID[c.ItemID]
		if !ok {
			return nil, scheduling.NotFound("inventory item", c.ItemID)
		}
		it.ExaminationID, it.Quantity = c.ExaminationID, *c.Quantity
		out[i] = it
	}
	return out, nil
}

// loadPackages reads the patient's packages with uses left, soonest expiry first (then oldest):
// the order in which Price tries them, so a package about to lapse is used before one that is not.
func loadPackages(ctx context.Context, tx pgx.Tx, patientID scheduling.ID) ([]Package, error) {
	rows, err := tx.Query(ctx, `
		SELECT p.id, p.name, p.uses_left, p.expires_on,
			array(SELECT examination_id FROM package_examinations WHERE package_id = p.id ORDER BY 1)
		FROM patient_packages p WHERE p.patient_id = $1 AND p.uses_left > 0
		ORDER BY p.expires_on NULLS LAST, p.id`, patientID)
	if err != nil {
		return nil, fmt.Errorf("load packages: %w", err)
	}
	var out []Package
	var p Package
	var uses int32
	var expires *time.Time
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Name, &uses, &expires, &p.ExaminationIDs}, func() error {
		p.UsesLeft, p.ExpiresOn = int64(uses), dateOfPtr(expires)
		out = append(out, p)
		p.ExaminationIDs = nil // the next row scans into a fresh slice
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load packages: %w", err)
	}
	return out, nil
}

// loadPolicy reads the patient's policy with what is left of its deductible and limit in year.
func loadPolicy(ctx context.Context, tx pgx.Tx, patientID scheduling.ID, year int) (*Policy, error) {
	var p Policy
	var currency *string
	var coverage int32
	var from, to time.Time
	err := tx.QueryRow(ctx, `
		SELECT p.id, p.insurer, p.currency, p.coverage_bp,
			greatest(p.annual_deductible - COALESCE(u.deductible_used, 0), 0),
			-- greatest ignores NULL: a policy without a limit must stay without one.
			CASE WHEN p.annual_limit IS NOT NULL THEN greatest(p.annual_limit - COALESCE(u.insurer_paid, 0), 0) END,
			p.valid_from, p.valid_to,
			array(SELECT examination_id FROM policy_examinations WHERE policy_id = p.id ORDER BY 1)
		FROM insurance_policies p LEFT JOIN policy_usage u ON u.policy_id = p.id AND u.year = $2
		WHERE p.patient_id = $1`, patientID, year).
		Scan(&p.ID, &p.Insurer, &currency, &coverage, &p.DeductibleLeft, &p.LimitLeft, &from, &to, &p.ExaminationIDs)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("load policy: %w", err)
	}
	if currency != nil {
		p.Currency = *currency
	}
	p.CoverageBP, p.ValidFrom, p.ValidTo = int64(coverage), scheduling.DateOf(from), scheduling.DateOf(to)
	return &p, nil
}

func dateOfPtr(t *time.Time) *scheduling.Date {
	if t == nil {
		return nil
	}
	d := scheduling.DateOf(*t)
	return &d
}
