package billing

import "clinic/scheduling"

// Invoice is a priced visit: its lines, totals and what the patient's money records hold after it.
// Amounts are integer minor units of Currency. The totals are sums of the lines, and
//
//	subtotal − package_covered − discount + tax = total = insurance_covered + patient_total
//	patient_total − points_redeemed = amount_due
type Invoice struct {
	Currency string `json:"currency"`
	// Status is "preview" for an invoice that is not saved.
	Status           string `json:"status"`
	Lines            []Line `json:"lines"`
	Subtotal         int64  `json:"subtotal"`
	PackageCovered   int64  `json:"package_covered"`
	Discount         int64  `json:"discount"`
	Tax              int64  `json:"tax"`
	Total            int64  `json:"total"`
	InsuranceCovered int64  `json:"insurance_covered"`
	// PatientTotal is the patient's share, before points are redeemed on it.
	PatientTotal   int64 `json:"patient_total"`
	PointsRedeemed int64 `json:"points_redeemed"`
	// AmountDue is what the patient still pays with money.
	AmountDue int64     `json:"amount_due"`
	Remaining Remaining `json:"remaining"`
	// Notes explain what was asked for and not applied, e.g. an expired policy.
	Notes []string `json:"notes"`
}

// Line is one examination or billable consumable, with each step of its pricing.
type Line struct {
	Kind          ItemKind      `json:"kind"`
	ExaminationID scheduling.ID `json:"examination_id,omitempty"`
	ItemID        scheduling.ID `json:"item_id,omitempty"`
	Description   string        `json:"description"`
	Quantity      int64         `json:"quantity"`
	UnitPrice     int64         `json:"unit_price"`
	// Subtotal is UnitPrice × Quantity.
	Subtotal int64 `json:"subtotal"`
	// PackageID is the package that covers the line, when one does; the line then costs nothing.
	PackageID      scheduling.ID `json:"package_id,omitempty"`
	PackageCovered int64         `json:"package_covered"`
	DiscountBP     int64         `json:"discount_bp"`
	Discount       int64         `json:"discount"`
	// Net is the subtotal less package cover and discount: the tax base.
	Net       int64 `json:"net"`
	Taxable   bool  `json:"taxable"`
	TaxRateBP int64 `json:"tax_rate_bp"`
	Tax       int64 `json:"tax"`
	// Total is Net + Tax = InsuranceCovered + PatientShare.
	Total int64 `json:"total"`
	// Deductible is the part of PatientShare that went to the policy's deductible.
	Deductible       int64 `json:"deductible"`
	InsuranceCovered int64 `json:"insurance_covered"`
	PatientShare     int64 `json:"patient_share"`
	PointsRedeemed   int64 `json:"points_redeemed"`
	AmountDue        int64 `json:"amount_due"`
	// Trace says, step by step, how the line was priced.
	Trace []string `json:"trace"`
}

// Remaining is what the patient's money records hold after the visit.
type Remaining struct {
	// Deductible and AnnualLimit are left of the policy's year; nil without a policy applied, or,
	// for the limit, when the policy has none.
	Deductible  *int64 `json:"deductible"`
	AnnualLimit *int64 `json:"annual_limit"`
	// Packages lists every package offered to the pricing with its uses left after the visit.
	Packages []PackageUses `json:"packages"`
	Points   int64         `json:"points"`
}

// PackageUses is a package's uses: used by this visit and left after it.
type PackageUses struct {
	PackageID scheduling.ID `json:"package_id"`
	Used      int64         `json:"used"`
	UsesLeft  int64         `json:"uses_left"`
}
