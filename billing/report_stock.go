package billing

import (
	"context"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// StockReportLine is an item's stock at a branch. ReorderLevel 0 means none is set; Below says the
// stock has fallen under a level that is set.
type StockReportLine struct {
	BranchID     scheduling.ID `json:"branch_id"`
	BranchName   string        `json:"branch_name"`
	ItemID       scheduling.ID `json:"item_id"`
	Code         string        `json:"code"`
	Name         string        `json:"name"`
	Unit         string        `json:"unit"`
	Quantity     int64         `json:"quantity"`
	ReorderLevel int64         `json:"reorder_level"`
	Below        bool          `json:"below_reorder_level"`
}

// StockReport is the stock of every counted item per branch, and how many are below their level.
type StockReport struct {
	BranchID *scheduling.ID    `json:"branch_id"`
	Items    []StockReportLine `json:"items"`
	Below    int               `json:"below_reorder_level"`
}

// StockLevels reports the stock of each item at each branch (or at one), the items below their
// reorder level first.
func (s *Store) StockLevels(ctx context.Context, branchID *scheduling.ID) (*StockReport, error) {
	if err := s.checkBranch(ctx, branchID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT st.branch_id, b.name, st.item_id, it.code, it.name, it.unit, st.quantity, st.reorder_level,
			st.reorder_level > 0 AND st.quantity < st.reorder_level AS below
		FROM inventory_stock st
		JOIN branches b ON b.id = st.branch_id
		JOIN inventory_items it ON it.id = st.item_id
		WHERE $1::bigint IS NULL OR st.branch_id = $1
		ORDER BY below DESC, b.name, st.branch_id, it.name, it.id`, branchID)
	if err != nil {
		return nil, wrapReport("stock", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (StockReportLine, error) {
		var l StockReportLine
		return l, row.Scan(&l.BranchID, &l.BranchName, &l.ItemID, &l.Code, &l.Name, &l.Unit, &l.Quantity, &l.ReorderLevel, &l.Below)
	})
	if err != nil {
		return nil, wrapReport("stock", err)
	}
	r := &StockReport{BranchID: branchID, Items: items}
	for _, l := range items {
		if l.Below {
			r.Below++
		}
	}
	return r, nil
}

// SetReorderLevel sets the level under which an item's stock at a branch should be ordered again;
// 0 removes it. The item must have been counted at the branch.
func (s *Store) SetReorderLevel(ctx context.Context, itemID, branchID scheduling.ID, level int64) error {
	if level < 0 || level > MaxStock {
		return scheduling.Rule("invalid_reorder_level", "a reorder level must be between 0 and %d, got %d", int64(MaxStock), level)
	}
	tag, err := s.db.Exec(ctx, `UPDATE inventory_stock SET reorder_level = $3, updated_at = $4 WHERE item_id = $1 AND branch_id = $2`,
		itemID, branchID, level, s.now())
	if err != nil {
		return wrapReport("reorder level", err)
	}
	if tag.RowsAffected() == 0 {
		return scheduling.Rule("stock_not_counted", "count the item's stock at the branch before setting its reorder level")
	}
	return nil
}
