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

// Limits of one preview request.
const (
	MaxExaminations = 20 // as a session holds
	MaxConsumables  = 100
)

// PreviewInput is what POST /api/v1/invoices/preview takes.
type PreviewInput struct {
	PatientID      scheduling.ID   `json:"patient_id"`
	BranchID       scheduling.ID   `json:"branch_id"`
	ExaminationIDs []scheduling.ID `json:"examination_ids"`
	Consumables    []ConsumableUse `json:"consumables"`
	// Date is the visit's day (YYYY-MM-DD); empty: today at the branch.
	Date             string `json:"date"`
	ManualDiscountBP *int64 `json:"manual_discount_bp"`
	RedeemPoints     *int64 `json:"redeem_points"`
}

func (in *PreviewInput) validate() error {
	switch {
	case in.PatientID == 0:
		return scheduling.Rule("missing_patient", "patient_id is required")
	case in.BranchID == 0:
		return scheduling.Rule("missing_branch", "branch_id is required")
	case len(in.ExaminationIDs) == 0:
		return scheduling.Rule("missing_examinations", "examination_ids needs at least one examination")
	case len(in.ExaminationIDs) > MaxExaminations:
		return scheduling.Rule("too_many_examinations", "a visit holds at most %d examinations, got %d", MaxExaminations, len(in.ExaminationIDs))
	case len(in.Consumables) > MaxConsumables:
		return scheduling.Rule("too_many_consumables", "consumables may list at most %d items, got %d", MaxConsumables, len(in.Consumables))
	case in.ManualDiscountBP != nil && (*in.ManualDiscountBP < 0 || *in.ManualDiscountBP > BasisPoints):
		return scheduling.Rule("out_of_range", "manual_discount_bp must be between 0 and 10000, got %d", *in.ManualDiscountBP)
	case in.RedeemPoints != nil && *in.RedeemPoints < 0:
		return scheduling.Rule("negative_amount", "redeem_points must not be negative")
	}
	for i, c := range in.Consumables {
		field := fmt.Sprintf("consumables[%d]", i)
		switch {
		case c.ItemID == 0:
			return scheduling.Rule("missing_item", "%s: item_id is required", field)
		case c.Quantity == nil:
			return scheduling.Rule("missing_quantity", "%s: quantity is required", field)
		case *c.Quantity < 1 || *c.Quantity > MaxQuantity:
			return scheduling.Rule("invalid_quantity", "%s: quantity must be between 1 and %d, got %d", field, MaxQuantity, *c.Quantity)
		case c.ExaminationID != 0 && !slices.Contains(in.ExaminationIDs, c.ExaminationID):
			return scheduling.Rule("examination_not_in_visit", "%s: examination %d is not one of examination_ids", field, c.ExaminationID)
		}
	}
	return nil
}

// Preview prices a visit exactly as its invoice would be priced, writing nothing (DESIGN 3.4: the
// same function serves the preview and the saved invoice).
func (s *Store) Preview(ctx context.Context, in PreviewInput) (Invoice, error) {
	if err := in.validate(); err != nil {
		return Invoice{}, err
	}
	date, err := s.visitDate(ctx, in.BranchID, in.Date)
	if err != nil {
		return Invoice{}, err
	}
	v := Visit{PatientID: in.PatientID, BranchID: in.BranchID, ExaminationIDs: in.ExaminationIDs, Consumables: in.Consumables, Date: date}
	if in.ManualDiscountBP != nil {
		v.ManualDiscountBP = *in.ManualDiscountBP
	}
	if in.RedeemPoints != nil {
		v.RedeemPoints = *in.RedeemPoints
	}
	input, err := s.LoadInput(ctx, v)
	if err != nil {
		return Invoice{}, err
	}
	inv, err := Price(input)
	if err != nil {
		return Invoice{}, err
	}
	inv.Status = "preview"
	return inv, nil
}

// visitDate is the given date, or today in the branch's time zone.
func (s *Store) visitDate(ctx context.Context, branchID scheduling.ID, given string) (scheduling.Date, error) {
	if given != "" {
		return scheduling.ParseDate(given)
	}
	var zone string
	err := s.db.QueryRow(ctx, `SELECT timezone FROM branches WHERE id = $1`, branchID).Scan(&zone)
	if errors.Is(err, pgx.ErrNoRows) {
		return scheduling.Date{}, scheduling.NotFound("branch", branchID)
	} else if err != nil {
		return scheduling.Date{}, fmt.Errorf("load branch: %w", err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return scheduling.Date{}, fmt.Errorf("branch %d time zone: %w", branchID, err)
	}
	return scheduling.DateOf(s.now().In(loc)), nil
}
