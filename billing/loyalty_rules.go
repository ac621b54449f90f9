package billing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Tier bases: what a tier's threshold counts.
const (
	// TierByPoints counts the points the patient holds.
	TierByPoints = "points"
	// TierBySpent counts what the patient has paid, in minor units of the visit's branch currency,
	// on invoices not credited.
	TierBySpent = "spent"
)

// Limits of the loyalty rules.
const (
	MaxTiers         = 20
	MaxTierName      = 60
	MaxTierThreshold = 1_000_000_000_000
)

// LoyaltyRules are the clinic's loyalty rules (DESIGN 3.4): the points a patient earns on what they
// pay, and the tiers whose discount a patient gets when staff have not set one.
type LoyaltyRules struct {
	// PointsRateBP is the points earned per minor unit paid, in basis points (100: one point per 100).
	PointsRateBP int64 `json:"points_rate_bp"`
	// TierBasis is what thresholds count: "points" or "spent".
	TierBasis string `json:"tier_basis"`
	// Tiers by threshold, lowest first; a patient reaches the highest whose threshold they meet.
	Tiers []LoyaltyTier `json:"tiers"`
}

// LoyaltyTier is one tier of the rules.
type LoyaltyTier struct {
	Name       string `json:"name"`
	Threshold  int64  `json:"threshold"`
	DiscountBP int64  `json:"discount_bp"`
}

// LoyaltyRulesInput replaces the rules: the fields given replace the current values; tiers, when
// given, replace every tier (an empty list removes them all).
type LoyaltyRulesInput struct {
	PointsRateBP *int64         `json:"points_rate_bp"`
	TierBasis    *string        `json:"tier_basis"`
	Tiers        *[]LoyaltyTier `json:"tiers"`
}

// Validate checks the rules as given, so that a refused change writes nothing.
func (in *LoyaltyRulesInput) Validate() error {
	switch {
	case in.PointsRateBP != nil && (*in.PointsRateBP < 0 || *in.PointsRateBP > BasisPoints):
		return scheduling.Rule("out_of_range", "points_rate_bp must be between 0 and 10000, got %d", *in.PointsRateBP)
	case in.TierBasis != nil && *in.TierBasis != TierByPoints && *in.TierBasis != TierBySpent:
		return scheduling.Rule("invalid_tier_basis", "tier_basis must be points or spent, got %q", *in.TierBasis)
	case in.Tiers != nil && len(*in.Tiers) > MaxTiers:
		return scheduling.Rule("too_many_tiers", "at most %d tiers, got %d", MaxTiers, len(*in.Tiers))
	}
	if in.Tiers == nil {
		return nil
	}
	names := map[string]bool{}
	thresholds := map[int64]bool{}
	for i, t := range *in.Tiers {
		field := fmt.Sprintf("tiers[%d]", i)
		name := strings.ToLower(strings.TrimSpace(t.Name))
		switch {
		case name == "":
			return scheduling.Rule("missing_name", "%s: a tier needs a name", field)
		case utf8.RuneCountInString(t.Name) > MaxTierName:
			return scheduling.Rule("name_too_long", "%s: a tier's name has at most %d characters", field, MaxTierName)
		case names[name]:
			return scheduling.Rule("duplicate_tier", "%s: there is already a tier named %q", field, strings.TrimSpace(t.Name))
		case t.Threshold < 0 || t.Threshold > MaxTierThreshold:
			return scheduling.Rule("out_of_range", "%s: threshold must be between 0 and %d, got %d", field, int64(MaxTierThreshold), t.Threshold)
		case thresholds[t.Threshold]:
			return scheduling.Rule("duplicate_threshold", "%s: another tier already starts at %d", field, t.Threshold)
		case t.DiscountBP < 0 || t.DiscountBP > BasisPoints:
			return scheduling.Rule("out_of_range", "%s: discount_bp must be between 0 and 10000, got %d", field, t.DiscountBP)
		}
		names[name], thresholds[t.Threshold] = true, true
	}
	return nil
}

// LoyaltyRules returns the clinic's loyalty rules.
func (s *Store) LoyaltyRules(ctx context.Context) (*LoyaltyRules, error) {
	return loadRules(ctx, s.db)
}

func loadRules(ctx context.Context, db scheduling.DB) (*LoyaltyRules, error) {
	r := &LoyaltyRules{Tiers: []LoyaltyTier{}}
	var rate int32
	if err := db.QueryRow(ctx, `SELECT points_rate_bp, tier_basis FROM billing_settings`).Scan(&rate, &r.TierBasis); err != nil {
		return nil, fmt.Errorf("load loyalty rules: %w", err)
	}
	r.PointsRateBP = int64(rate)
	rows, err := db.Query(ctx, `SELECT name, threshold, discount_bp FROM loyalty_tiers ORDER BY threshold`)
	if err != nil {
		return nil, fmt.Errorf("load loyalty tiers: %w", err)
	}
	var t LoyaltyTier
	var bp int32
	_, err = pgx.ForEachRow(rows, []any{&t.Name, &t.Threshold, &bp}, func() error {
		t.DiscountBP = int64(bp)
		r.Tiers = append(r.Tiers, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load loyalty tiers: %w", err)
	}
	return r, nil
}

// PutLoyaltyRules changes the clinic's loyalty rules in one transaction and returns them as saved.
func (s *Store) PutLoyaltyRules(ctx context.Context, in LoyaltyRulesInput) (*LoyaltyRules, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *LoyaltyRules
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if in.PointsRateBP != nil || in.TierBasis != nil {
			if _, err := tx.Exec(ctx, `UPDATE billing_settings SET points_rate_bp = COALESCE($1, points_rate_bp),
				tier_basis = COALESCE($2, tier_basis)`, in.PointsRateBP, in.TierBasis); err != nil {
				return fmt.Errorf("save loyalty rules: %w", err)
			}
		}
		if in.Tiers != nil {
			tiers := slices.Clone(*in.Tiers)
			names, thresholds, discounts := make([]string, len(tiers)), make([]int64, len(tiers)), make([]int64, len(tiers))
			for i, t := range tiers {
				names[i], thresholds[i], discounts[i] = strings.TrimSpace(t.Name), t.Threshold, t.DiscountBP
			}
			if _, err := tx.Exec(ctx, `DELETE FROM loyalty_tiers`); err != nil {
				return fmt.Errorf("replace loyalty tiers: %w", err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO loyalty_tiers (name, threshold, discount_bp)
				SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[])`, names, thresholds, discounts); err != nil {
				return fmt.Errorf("replace loyalty tiers: %w", err)
			}
		}
		var err error
		out, err = loadRules(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TierFor is the tier of rules that value reaches, or nil.
func (r *LoyaltyRules) TierFor(value int64) *LoyaltyTier {
	var best *LoyaltyTier
	for i := range r.Tiers {
		if r.Tiers[i].Threshold <= value && (best == nil || r.Tiers[i].Threshold > best.Threshold) {
			best = &r.Tiers[i]
		}
	}
	return best
}
