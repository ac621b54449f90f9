package billing

import (
	"clinic/scheduling"
)

// Input is everything one invoice is priced from: the visit's items, where and when it happens, and
// the patient's money records as they stand before the visit. Amounts are integer minor units of
// Currency; rates are basis points.
type Input struct {
	// Date is the visit's day in the branch's time zone: packages and policies are judged on it.
	Date scheduling.Date
	// Currency is the branch's ISO 4217 code; its exponent fixes the minor unit.
	Currency string
	// TaxRateBP is the branch's tax rate, paid by taxable lines.
	TaxRateBP int64
	// Items are the visit's examinations and consumables in line order: that order is the order in
	// which packages, deductible, annual limit and points are consumed.
	Items []Item
	// Packages are the patient's prepaid packages, in the order they are tried (see SortPackages).
	Packages []Package
	// Policy is the patient's insurance policy, or nil.
	Policy *Policy
	// Loyalty is the patient's loyalty account (zero: none).
	Loyalty Loyalty
	// ManualDiscountBP is a discount granted by staff for this visit; the larger of it and the
	// loyalty tier's discount applies, never both.
	ManualDiscountBP int64
	// RedeemPoints is how many loyalty points the patient wants to pay with; at most the balance
	// and the patient's share are used. One point pays one minor unit.
	RedeemPoints int64
}

// ItemKind says what a line bills.
type ItemKind string

// The kinds of line.
const (
	KindExamination ItemKind = "examination"
	KindConsumable  ItemKind = "consumable"
)

// Item is one examination or consumable of the visit, with its price snapshot.
type Item struct {
	Kind ItemKind
	// ExaminationID is the examination billed, or for a consumable the examination it is used in
	// (0: none). Packages and insurance cover by examination.
	ExaminationID scheduling.ID
	// ItemID is a consumable's inventory item.
	ItemID      scheduling.ID
	Description string
	Quantity    int64
	// UnitPrice is the price snapshot at the branch, in minor units.
	UnitPrice int64
	Taxable   bool
	// Billable is false for a consumable included in its examination's price: it makes no line.
	// Examinations are always billed.
	Billable bool
}

// Package is a prepaid package: a number of uses of some examinations, until an optional expiry.
type Package struct {
	ID             scheduling.ID
	Name           string
	ExaminationIDs []scheduling.ID
	UsesLeft       int64
	// ExpiresOn is the last day the package may be used; nil: it does not expire.
	ExpiresOn *scheduling.Date
}

// Policy is an insurance policy with what is left of its year's deductible and limit.
type Policy struct {
	ID      scheduling.ID
	Insurer string
	// Currency of the deductible and limit; "" means they are read in the branch's currency.
	Currency string
	// CoverageBP is the insurer's share of what the deductible leaves, 0–10000.
	CoverageBP int64
	// DeductibleLeft is what the patient still pays first this policy year.
	DeductibleLeft int64
	// LimitLeft caps what the insurer still pays this year; nil: no limit.
	LimitLeft *int64
	// ValidFrom and ValidTo bound the days the policy covers, both included.
	ValidFrom, ValidTo scheduling.Date
	// ExaminationIDs are the examinations covered; empty: all of them.
	ExaminationIDs []scheduling.ID
}

// Loyalty is a patient's loyalty account.
type Loyalty struct {
	TierDiscountBP int64
	Points         int64
}
