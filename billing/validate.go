package billing

import (
	"fmt"

	"clinic/scheduling"
)

// validate refuses input that would price wrongly rather than not at all: amounts, quantities and
// rates outside their ranges, an unknown currency, a policy ending before it starts. What is merely
// not applicable (an expired package, a policy in another currency) is not an error: Price says on
// the line or in the notes why it was not applied.
func (in *Input) validate() (digits int, err error) {
	digits, ok := scheduling.CurrencyDigits(in.Currency)
	if !ok {
		return 0, scheduling.Rule("invalid_currency", "currency %q is not an active ISO 4217 currency code", in.Currency)
	}
	if in.TaxRateBP < 0 || in.TaxRateBP > MaxTaxRateBP {
		return 0, scheduling.Rule("out_of_range", "the tax rate must be between 0 and %d basis points, got %d", MaxTaxRateBP, in.TaxRateBP)
	}
	if len(in.Items) > MaxLines {
		return 0, scheduling.Rule("too_many_lines", "an invoice holds at most %d lines, got %d", MaxLines, len(in.Items))
	}
	for i, it := range in.Items {
		if err := it.validate(i); err != nil {
			return 0, err
		}
	}
	for _, p := range in.Packages {
		if p.UsesLeft < 0 {
			return 0, scheduling.Rule("negative_amount", "package %d has a negative number of uses left", p.ID)
		}
	}
	if err := checkBP("manual discount", in.ManualDiscountBP); err != nil {
		return 0, err
	}
	if err := checkBP("loyalty tier discount", in.Loyalty.TierDiscountBP); err != nil {
		return 0, err
	}
	switch {
	case in.Loyalty.Points < 0:
		return 0, scheduling.Rule("negative_amount", "the loyalty points balance must not be negative")
	case in.RedeemPoints < 0:
		return 0, scheduling.Rule("negative_amount", "points to redeem must not be negative")
	}
	if p := in.Policy; p != nil {
		if err := checkBP("insurance coverage", p.CoverageBP); err != nil {
			return 0, err
		}
		switch {
		case p.DeductibleLeft < 0 || p.DeductibleLeft > MaxAmount:
			return 0, scheduling.Rule("negative_amount", "the remaining deductible must be between 0 and %d", int64(MaxAmount))
		case p.LimitLeft != nil && (*p.LimitLeft < 0 || *p.LimitLeft > MaxAmount):
			return 0, scheduling.Rule("negative_amount", "the remaining annual limit must be between 0 and %d", int64(MaxAmount))
		case dateKey(p.ValidFrom) > dateKey(p.ValidTo):
			return 0, scheduling.Rule("invalid_validity", "the policy's valid_from (%s) is after its valid_to (%s)", dateString(p.ValidFrom), dateString(p.ValidTo))
		}
	}
	return digits, nil
}

func (it Item) validate(i int) error {
	what := fmt.Sprintf("line %d (%s)", i+1, it.Description)
	switch {
	case it.Kind != KindExamination && it.Kind != KindConsumable:
		return scheduling.Rule("invalid_line", "%s is neither an examination nor a consumable", what)
	case it.Quantity < 1 || it.Quantity > MaxQuantity:
		return scheduling.Rule("invalid_quantity", "%s: quantity must be between 1 and %d, got %d", what, MaxQuantity, it.Quantity)
	case it.UnitPrice < 0:
		return scheduling.Rule("negative_price", "%s: the price must not be negative", what)
	case it.UnitPrice > MaxUnitPrice:
		return scheduling.Rule("price_too_large", "%s: the price may be at most %d minor units", what, int64(MaxUnitPrice))
	}
	return nil
}

func checkBP(what string, bp int64) error {
	if bp < 0 || bp > BasisPoints {
		return scheduling.Rule("out_of_range", "the %s must be between 0 and 10000 basis points (0–100%%), got %d", what, bp)
	}
	return nil
}
