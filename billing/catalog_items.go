package billing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"clinic/scheduling"
)

// InventoryItem is a consumable the clinic uses and may bill (DESIGN 3.4).
type InventoryItem struct {
	ID   scheduling.ID `json:"id"`
	Code string        `json:"code"`
	Name string        `json:"name"`
	Unit string        `json:"unit"`
	// UnitPrice is in minor units of the currency of the branch that bills it.
	UnitPrice int64 `json:"unit_price"`
	Billable  bool  `json:"billable"`
	Taxable   bool  `json:"taxable"`
}

// ItemInput is what creating or changing an inventory item takes; Unit empty means "unit".
type ItemInput struct {
	Code      string
	Name      string
	Unit      string
	UnitPrice *int64
	Billable  bool
	Taxable   bool
}

func (in *ItemInput) validate() (err error) {
	if in.Code, err = cleanName("code", in.Code); err != nil {
		return err
	}
	if in.Name, err = cleanName("name", in.Name); err != nil {
		return err
	}
	in.Unit = strings.TrimSpace(in.Unit)
	switch {
	case in.Unit == "":
		in.Unit = "unit"
	case !utf8.ValidString(in.Unit) || utf8.RuneCountInString(in.Unit) > 40:
		return scheduling.Rule("invalid_unit", "unit must be a short word such as ml or piece")
	}
	switch {
	case in.UnitPrice == nil:
		return scheduling.Rule("missing_price", "unit_price is required")
	case *in.UnitPrice < 0 || *in.UnitPrice > MaxUnitPrice:
		return scheduling.Rule("invalid_price", "unit_price must be between 0 and %d", int64(MaxUnitPrice))
	}
	return nil
}

// Items lists the inventory items by name.
func (s *Store) Items(ctx context.Context) ([]InventoryItem, error) {
	rows, err := s.db.Query(ctx, `SELECT id, code, name, unit, unit_price, billable, taxable FROM inventory_items ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (InventoryItem, error) {
		var it InventoryItem
		err := row.Scan(&it.ID, &it.Code, &it.Name, &it.Unit, &it.UnitPrice, &it.Billable, &it.Taxable)
		return it, err
	})
}

// CreateItem adds an inventory item; its code must be new.
func (s *Store) CreateItem(ctx context.Context, in ItemInput) (*InventoryItem, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	it := &InventoryItem{Code: in.Code, Name: in.Name, Unit: in.Unit, UnitPrice: *in.UnitPrice, Billable: in.Billable, Taxable: in.Taxable}
	err := s.db.QueryRow(ctx, `INSERT INTO inventory_items (code, name, unit, unit_price, billable, taxable, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, it.Code, it.Name, it.Unit, it.UnitPrice, it.Billable, it.Taxable, s.now()).
		Scan(&it.ID)
	if err != nil {
		return nil, itemError(err, it.Code)
	}
	return it, nil
}

// UpdateItem changes an inventory item; invoices already written keep the price they were given.
func (s *Store) UpdateItem(ctx context.Context, id scheduling.ID, in ItemInput) (*InventoryItem, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	it := &InventoryItem{ID: id, Code: in.Code, Name: in.Name, Unit: in.Unit, UnitPrice: *in.UnitPrice, Billable: in.Billable, Taxable: in.Taxable}
	tag, err := s.db.Exec(ctx, `UPDATE inventory_items SET code = $2, name = $3, unit = $4, unit_price = $5, billable = $6, taxable = $7
		WHERE id = $1`, id, it.Code, it.Name, it.Unit, it.UnitPrice, it.Billable, it.Taxable)
	if err != nil {
		return nil, itemError(err, it.Code)
	}
	if tag.RowsAffected() == 0 {
		return nil, scheduling.NotFound("inventory item", id)
	}
	return it, nil
}

// itemError turns a taken code into a conflict.
func itemError(err error, code string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return scheduling.Conflict("code_taken", "another item already has the code %q", code)
	}
	return fmt.Errorf("save item: %w", err)
}

// ExaminationConsumable is how many of an item an examination uses; Billable nil takes the item's flag.
type ExaminationConsumable struct {
	ExaminationID scheduling.ID `json:"examination_id"`
	ItemID        scheduling.ID `json:"item_id"`
	Quantity      int64         `json:"quantity"`
	Billable      *bool         `json:"billable"`
}

// ExaminationConsumables lists every examination's consumables.
func (s *Store) ExaminationConsumables(ctx context.Context) ([]ExaminationConsumable, error) {
	rows, err := s.db.Query(ctx, `SELECT examination_id, item_id, quantity, billable FROM examination_consumables ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("list examination consumables: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ExaminationConsumable, error) {
		var c ExaminationConsumable
		var qty int32
		err := row.Scan(&c.ExaminationID, &c.ItemID, &qty, &c.Billable)
		c.Quantity = int64(qty)
		return c, err
	})
}

// SetExaminationConsumable sets how many of an item an examination uses; 0 stops using it.
func (s *Store) SetExaminationConsumable(ctx context.Context, c ExaminationConsumable) error {
	if c.Quantity < 0 || c.Quantity > MaxQuantity {
		return scheduling.Rule("invalid_quantity", "quantity must be between 0 and %d, got %d", MaxQuantity, c.Quantity)
	}
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := rowExists(ctx, tx, "examinations", "examination", c.ExaminationID); err != nil {
			return err
		}
		if err := rowExists(ctx, tx, "inventory_items", "inventory item", c.ItemID); err != nil {
			return err
		}
		var err error
		if c.Quantity == 0 {
			_, err = tx.Exec(ctx, `DELETE FROM examination_consumables WHERE examination_id = $1 AND item_id = $2`, c.ExaminationID, c.ItemID)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO examination_consumables (examination_id, item_id, quantity, billable) VALUES ($1, $2, $3, $4)
				ON CONFLICT (examination_id, item_id) DO UPDATE SET quantity = $3, billable = $4`, c.ExaminationID, c.ItemID, c.Quantity, c.Billable)
		}
		if err != nil {
			return fmt.Errorf("save examination consumable: %w", err)
		}
		return nil
	})
}

// rowExists answers not found when table has no row with id; table is a constant of this package.
func rowExists(ctx context.Context, db scheduling.DB, table, what string, id scheduling.ID) error {
	var found bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE id = $1)`, id).Scan(&found); err != nil {
		return fmt.Errorf("check %s: %w", what, err)
	}
	if !found {
		return scheduling.NotFound(what, id)
	}
	return nil
}
