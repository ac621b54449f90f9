package billing

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// MaxStock bounds a stock count as typed by staff.
const MaxStock = 1_000_000_000

// StockLevel is how many of an item a branch holds.
type StockLevel struct {
	ItemID   scheduling.ID `json:"item_id"`
	BranchID scheduling.ID `json:"branch_id"`
	Quantity int64         `json:"quantity"`
}

// Stock lists the stock of every item at every branch that has counted it.
func (s *Store) Stock(ctx context.Context) ([]StockLevel, error) {
	rows, err := s.db.Query(ctx, `SELECT item_id, branch_id, quantity FROM inventory_stock ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("list stock: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (StockLevel, error) {
		var l StockLevel
		return l, row.Scan(&l.ItemID, &l.BranchID, &l.Quantity)
	})
}

// SetStock records a count of an item at a branch.
func (s *Store) SetStock(ctx context.Context, l StockLevel) error {
	if l.Quantity < 0 || l.Quantity > MaxStock {
		return scheduling.Rule("invalid_quantity", "stock must be between 0 and %d, got %d", int64(MaxStock), l.Quantity)
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := rowExists(ctx, tx, "inventory_items", "inventory item", l.ItemID); err != nil {
			return err
		}
		if err := rowExists(ctx, tx, "branches", "branch", l.BranchID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO inventory_stock (item_id, branch_id, quantity, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (item_id, branch_id) DO UPDATE SET quantity = $3, updated_at = $4`, l.ItemID, l.BranchID, l.Quantity, s.now())
		if err != nil {
			return fmt.Errorf("save stock: %w", err)
		}
		return nil
	})
}

// Commission beneficiaries.
const (
	BeneficiaryDoctor  = "doctor"
	BeneficiaryManager = "manager"
)

// CommissionRule is what an examination earns its doctor or the manager: a percentage of the net
// after discount and before tax, or a fixed amount in the branch's currency; exactly one is set.
type CommissionRule struct {
	ExaminationID scheduling.ID `json:"examination_id"`
	Beneficiary   string        `json:"beneficiary"`
	PercentBP     *int64        `json:"percent_bp"`
	Fixed         *int64        `json:"fixed"`
}

// CommissionRules lists every examination's commission rules.
func (s *Store) CommissionRules(ctx context.Context) ([]CommissionRule, error) {
	rows, err := s.db.Query(ctx, `SELECT examination_id, beneficiary, percent_bp, fixed FROM commission_rules ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("list commission rules: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (CommissionRule, error) {
		var r CommissionRule
		var bp *int32
		err := row.Scan(&r.ExaminationID, &r.Beneficiary, &bp, &r.Fixed)
		if bp != nil {
			r.PercentBP = ptrTo(int64(*bp))
		}
		return r, err
	})
}

// SetCommissionRule sets an examination's rule for a beneficiary; neither a percentage nor an amount
// removes it.
func (s *Store) SetCommissionRule(ctx context.Context, r CommissionRule) error {
	switch {
	case r.Beneficiary != BeneficiaryDoctor && r.Beneficiary != BeneficiaryManager:
		return scheduling.Rule("invalid_beneficiary", "a commission is the doctor's or the manager's, not %q", r.Beneficiary)
	case r.PercentBP != nil && r.Fixed != nil:
		return scheduling.Rule("percent_and_fixed", "a commission is a percentage or a fixed amount, not both")
	case r.PercentBP != nil && (*r.PercentBP < 0 || *r.PercentBP > BasisPoints):
		return scheduling.Rule("out_of_range", "percent_bp must be between 0 and 10000, got %d", *r.PercentBP)
	case r.Fixed != nil && (*r.Fixed < 0 || *r.Fixed > MaxUnitPrice):
		return scheduling.Rule("negative_amount", "fixed must be between 0 and %d", int64(MaxUnitPrice))
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := rowExists(ctx, tx, "examinations", "examination", r.ExaminationID); err != nil {
			return err
		}
		var err error
		if r.PercentBP == nil && r.Fixed == nil {
			_, err = tx.Exec(ctx, `DELETE FROM commission_rules WHERE examination_id = $1 AND beneficiary = $2`, r.ExaminationID, r.Beneficiary)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO commission_rules (examination_id, beneficiary, percent_bp, fixed) VALUES ($1, $2, $3, $4)
				ON CONFLICT (examination_id, beneficiary) DO UPDATE SET percent_bp = $3, fixed = $4`,
				r.ExaminationID, r.Beneficiary, r.PercentBP, r.Fixed)
		}
		if err != nil {
			return fmt.Errorf("save commission rule: %w", err)
		}
		return nil
	})
}
