package scheduling

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// BranchPrice is an examination's price at one branch, in minor units of that branch's currency.
type BranchPrice struct {
	BranchID ID    `json:"branch_id"`
	Price    int64 `json:"price"`
}

// PriceInput overrides an examination's default price at one of the branches that offer it.
type PriceInput struct {
	BranchID ID     `json:"branch_id"`
	Price    *int64 `json:"price"`
}

// PriceAt is the price to charge for the examination at a branch, in minor units of the branch's
// currency: the branch's own price when it has one, the default price otherwise.
func (e *Examination) PriceAt(branchID ID) int64 {
	for _, p := range e.Prices {
		if p.BranchID == branchID {
			return p.Price
		}
	}
	return e.Price
}

// checkPrices refuses a price for a branch that does not offer the examination, a branch priced
// twice, and a missing or negative price.
func checkPrices(prices []PriceInput, branchIDs []ID) error {
	seen := make(map[ID]bool, len(prices))
	for i, p := range prices {
		field := fmt.Sprintf("prices[%d]", i)
		switch {
		case p.BranchID == 0:
			return rule("missing_branch", "%s: branch_id is required", field)
		case p.Price == nil:
			return rule("missing_price", "%s: price is required (minor units of the branch's currency)", field)
		case *p.Price < 0:
			return rule("negative_price", "%s: price must not be negative", field)
		case !slices.Contains(branchIDs, p.BranchID):
			return rule("price_branch_not_offered", "%s: branch %d does not offer this examination (it is not in branch_ids)", field, p.BranchID)
		case seen[p.BranchID]:
			return rule("duplicate_price", "%s: branch %d has more than one price", field, p.BranchID)
		}
		seen[p.BranchID] = true
	}
	return nil
}

// insertPrices writes the per-branch prices of an examination in one statement.
func insertPrices(ctx context.Context, tx pgx.Tx, examID ID, prices []PriceInput) error {
	if len(prices) == 0 {
		return nil
	}
	branches, amounts := make([]ID, len(prices)), make([]int64, len(prices))
	for i, p := range prices {
		branches[i], amounts[i] = p.BranchID, *p.Price
	}
	_, err := tx.Exec(ctx, `INSERT INTO examination_prices (examination_id, branch_id, price)
		SELECT $1, b, p FROM unnest($2::bigint[], $3::bigint[]) AS x(b, p)`, examID, branches, amounts)
	if err != nil {
		return fmt.Errorf("insert prices: %w", err)
	}
	return nil
}
