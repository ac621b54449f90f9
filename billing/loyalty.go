package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Where a patient's tier discount comes from.
const (
	TierFromStaff = "staff" // set on the patient's account
	TierFromRules = "rules" // the clinic's tier the patient reaches
	TierNone      = "none"  // neither: no discount
)

// LoyaltyAccount is a patient's loyalty points and tier discount.
type LoyaltyAccount struct {
	PatientID scheduling.ID `json:"patient_id"`
	Points    int64         `json:"points"`
	// TierDiscountBP is the discount the patient's visits get: the one staff set, or else the one of
	// the clinic's tier the patient reaches.
	TierDiscountBP int64 `json:"tier_discount_bp"`
	// TierSource says where TierDiscountBP comes from: staff, rules or none.
	TierSource string `json:"tier_source"`
	// TierName is the clinic's tier reached, when the discount comes from the rules.
	TierName string `json:"tier_name,omitempty"`
	// UpdatedAt is when the account last changed; nil while it has never been opened.
	UpdatedAt *time.Time `json:"updated_at"`
}

// LoyaltyInput is a staff adjustment: the fields given replace the current values, the others stay.
// TierFromRules hands the patient's tier back to the clinic's rules.
type LoyaltyInput struct {
	TierDiscountBP *int64 `json:"tier_discount_bp"`
	TierFromRules  bool   `json:"tier_from_rules"`
	Points         *int64 `json:"points"`
}

// PutLoyalty opens or adjusts a patient's loyalty account.
func (s *Store) PutLoyalty(ctx context.Context, actor scheduling.Actor, patientID scheduling.ID, in LoyaltyInput) (*LoyaltyAccount, error) {
	switch {
	case in.TierFromRules && in.TierDiscountBP != nil:
		return nil, scheduling.Rule("conflicting_tier", "give either tier_discount_bp or tier_from_rules, not both")
	case in.TierDiscountBP != nil && (*in.TierDiscountBP < 0 || *in.TierDiscountBP > BasisPoints):
		return nil, scheduling.Rule("out_of_range", "tier_discount_bp must be between 0 and 10000, got %d", *in.TierDiscountBP)
	case in.Points != nil && *in.Points < 0:
		return nil, scheduling.Rule("negative_amount", "points must not be negative")
	case in.Points != nil && *in.Points > MaxPoints:
		return nil, scheduling.Rule("out_of_range", "points may be at most %d", int64(MaxPoints))
	}
	var a *LoyaltyAccount
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := patientExists(ctx, tx, patientID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO loyalty_accounts (patient_id, points, tier_discount_bp, updated_at, updated_by)
			VALUES ($1, COALESCE($2, 0), $3, $4, $5)
			ON CONFLICT (patient_id) DO UPDATE SET
				points = COALESCE($2, loyalty_accounts.points),
				tier_discount_bp = CASE WHEN $6 THEN NULL ELSE COALESCE($3, loyalty_accounts.tier_discount_bp) END,
				updated_at = $4, updated_by = $5`, patientID, in.Points, in.TierDiscountBP, s.now(), string(actor), in.TierFromRules)
		if err != nil {
			return fmt.Errorf("save loyalty account: %w", err)
		}
		a, err = loyalty(ctx, tx, patientID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Loyalty returns a patient's loyalty account; a patient without one has no points, and the tier
// the rules give to none.
func (s *Store) Loyalty(ctx context.Context, patientID scheduling.ID) (*LoyaltyAccount, error) {
	if err := patientExists(ctx, s.db, patientID); err != nil {
		return nil, err
	}
	return loyalty(ctx, s.db, patientID)
}

// loyalty reads an account and works out its tier. Spending counts the invoices not credited in one
// currency, as pricing counts those in the visit's currency: the account shows the tier of the currency
// the patient has paid most in (with one currency, the tier every visit gets). Amounts in different
// currencies are never added up.
func loyalty(ctx context.Context, db scheduling.DB, patientID scheduling.ID) (*LoyaltyAccount, error) {
	rules, err := loadRules(ctx, db)
	if err != nil {
		return nil, err
	}
	a := &LoyaltyAccount{PatientID: patientID}
	var staff *int32
	var spent int64
	err = db.QueryRow(ctx, `SELECT COALESCE(la.points, 0), la.tier_discount_bp, la.updated_at,
			(SELECT COALESCE(max(paid), 0)::bigint FROM (SELECT sum(paid) AS paid FROM invoices
				WHERE patient_id = $1 AND status IN ('draft', 'issued') GROUP BY currency) per_currency)
		FROM (SELECT) one LEFT JOIN loyalty_accounts la ON la.patient_id = $1`, patientID).
		Scan(&a.Points, &staff, &a.UpdatedAt, &spent)
	if err != nil {
		return nil, fmt.Errorf("load loyalty account: %w", err)
	}
	value := a.Points
	if rules.TierBasis == TierBySpent {
		value = spent
	}
	switch tier := rules.TierFor(value); {
	case staff != nil:
		a.TierDiscountBP, a.TierSource = int64(*staff), TierFromStaff
	case tier != nil:
		a.TierDiscountBP, a.TierSource, a.TierName = tier.DiscountBP, TierFromRules, tier.Name
	default:
		a.TierSource = TierNone
	}
	return a, nil
}
