package billing_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// porto is a branch billing in euros at 23% tax with a taxable blood panel (its own price here),
// a tax-exempt physiotherapy session, and the consumables of the panel: two billable syringes and a
// pair of gloves included in the price.
type porto struct {
	*schedtest.Bundle
	store                    *billing.Store
	branch, panel, physio    scheduling.ID
	lisbonOnly               scheduling.ID
	patient                  scheduling.ID
	syringe, gloves, bandage scheduling.ID
}

func newPorto(t *testing.T) *porto {
	t.Helper()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	p := &porto{Bundle: b, store: billing.NewStore(b.Pool, func() time.Time { return *b.Clock }),
		lisbonOnly: c.Consultation.ID, patient: c.Patient.ID}
	tax, thirty, yes, no := 2300, 30, true, false
	p.branch = schedtest.Must(b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon",
		Currency: "EUR", TaxRateBP: &tax, Hours: schedtest.Hours()}))(t).ID
	def, here, physio := int64(5000), int64(4000), int64(3000)
	p.panel = schedtest.Must(b.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "PANEL", Name: "Blood panel",
		Price: &def, Prices: []scheduling.PriceInput{{BranchID: p.branch, Price: &here}}, DurationMinutes: &thirty,
		Taxable: &yes, BranchIDs: []scheduling.ID{p.branch}}))(t).ID
	p.physio = schedtest.Must(b.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "PHYSIO", Name: "Physiotherapy",
		Price: &physio, DurationMinutes: &thirty, Taxable: &no, BranchIDs: []scheduling.ID{p.branch}}))(t).ID
	item := func(code string, price int64, billable bool) scheduling.ID {
		var id scheduling.ID
		require.NoError(t, b.Pool.QueryRow(ctx, `INSERT INTO inventory_items (code, name, unit_price, billable, created_at)
			VALUES ($1, $1, $2, $3, $4) RETURNING id`, code, price, billable, *b.Clock).Scan(&id))
		return id
	}
	p.syringe, p.gloves, p.bandage = item("Syringe", 150, true), item("Gloves", 50, false), item("Bandage", 80, true)
	_, err := b.Pool.Exec(ctx, `INSERT INTO examination_consumables (examination_id, item_id, quantity) VALUES ($1, $2, 2), ($1, $3, 1)`,
		p.panel, p.syringe, p.gloves)
	require.NoError(t, err)
	return p
}

func ptr[T any](v T) *T { return &v }

// TestPreviewFromTheDatabase prices a visit with everything loaded from the tables: the branch's
// own price, consumables, a package, a policy with this year's usage, and loyalty. Worked by hand:
//
//	panel 40.00 − 10% = 36.00, tax 23% = 8.28, total 44.28; the last 10.00 of deductible, then 80%
//	  of 34.28 = 27.42, capped by the 10.00 of limit left: insurer 10.00, patient 34.28, of which
//	  5.00 paid in points: 29.28 due.
//	syringes 2 × 1.50 = 3.00 − 0.30 = 2.70, tax 0.621 → 0.62, total 3.32; no limit left: patient.
//	gloves: included, no line. physio 30.00: covered by the package.
func TestPreviewFromTheDatabase(t *testing.T) {
	t.Parallel()
	p := newPorto(t)
	ctx := context.Background()
	pkg, err := p.store.AddPackage(ctx, "test", p.patient, billing.PackageInput{Name: "Physio x2",
		ExaminationIDs: []scheduling.ID{p.physio}, Uses: ptr[int64](2)})
	require.NoError(t, err)
	pol, err := p.store.PutInsurance(ctx, "test", p.patient, billing.PolicyInput{Insurer: "Acme", CoverageBP: ptr[int64](8000),
		AnnualDeductible: ptr[int64](10000), AnnualLimit: ptr[int64](100000), ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
	require.NoError(t, err)
	_, err = p.Pool.Exec(ctx, `INSERT INTO policy_usage (policy_id, year, deductible_used, insurer_paid) VALUES ($1, 2027, 9000, 99000),
		($1, 2026, 10000, 100000)`, pol.ID)
	require.NoError(t, err)
	_, err = p.store.PutLoyalty(ctx, "test", p.patient, billing.LoyaltyInput{TierDiscountBP: ptr[int64](1000), Points: ptr[int64](500)})
	require.NoError(t, err)

	inv, err := p.store.Preview(ctx, billing.PreviewInput{PatientID: p.patient, BranchID: p.branch,
		ExaminationIDs: []scheduling.ID{p.panel, p.physio}, RedeemPoints: ptr[int64](10000)})
	require.NoError(t, err)
	require.Equal(t, "preview", inv.Status)
	require.Equal(t, "EUR", inv.Currency)
	require.Len(t, inv.Lines, 3)
	require.Equal(t, []int64{4428, 332, 0}, []int64{inv.Lines[0].Total, inv.Lines[1].Total, inv.Lines[2].Total})
	require.Equal(t, p.syringe, inv.Lines[1].ItemID)
	require.Equal(t, pkg.ID, inv.Lines[2].PackageID)
	require.Equal(t, [9]int64{7300, 3000, 430, 890, 4760, 1000, 3760, 500, 3260},
		[9]int64{inv.Subtotal, inv.PackageCovered, inv.Discount, inv.Tax, inv.Total, inv.InsuranceCovered, inv.PatientTotal,
			inv.PointsRedeemed, inv.AmountDue})
	require.EqualValues(t, 0, *inv.Remaining.Deductible)
	require.EqualValues(t, 0, *inv.Remaining.AnnualLimit)
	require.Equal(t, []billing.PackageUses{{PackageID: pkg.ID, Used: 1, UsesLeft: 1}}, inv.Remaining.Packages)
	require.EqualValues(t, 0, inv.Remaining.Points)

	// Nothing was written: the records are as they were.
	var uses, points int64
	require.NoError(t, p.Pool.QueryRow(ctx, `SELECT uses_left FROM patient_packages WHERE id = $1`, pkg.ID).Scan(&uses))
	require.NoError(t, p.Pool.QueryRow(ctx, `SELECT points FROM loyalty_accounts WHERE patient_id = $1`, p.patient).Scan(&points))
	require.Equal(t, []int64{2, 500}, []int64{uses, points})

	// An extra bandage used in the panel is billed after the examinations' own lines.
	inv, err = p.store.Preview(ctx, billing.PreviewInput{PatientID: p.patient, BranchID: p.branch,
		ExaminationIDs: []scheduling.ID{p.panel}, Consumables: []billing.ConsumableUse{{ItemID: p.bandage, Quantity: ptr[int64](3), ExaminationID: p.panel}}})
	require.NoError(t, err)
	require.Len(t, inv.Lines, 3)
	require.Equal(t, p.bandage, inv.Lines[2].ItemID)
	require.EqualValues(t, 240, inv.Lines[2].Subtotal)

	// After the policy's end, it is not applied and the invoice says why.
	*p.Clock = p.Clock.AddDate(1, 0, 0)
	inv, err = p.store.Preview(ctx, billing.PreviewInput{PatientID: p.patient, BranchID: p.branch, ExaminationIDs: []scheduling.ID{p.panel}})
	require.NoError(t, err)
	require.Zero(t, inv.InsuranceCovered)
	require.Equal(t, []string{"insurance (Acme) not applied: the policy ended on 2027-12-31"}, inv.Notes)
}

func TestPreviewRefusals(t *testing.T) {
	t.Parallel()
	p := newPorto(t)
	ctx := context.Background()
	ok := func() billing.PreviewInput {
		return billing.PreviewInput{PatientID: p.patient, BranchID: p.branch, ExaminationIDs: []scheduling.ID{p.panel}}
	}
	for _, tc := range []struct {
		name, code string
		change     func(in *billing.PreviewInput)
	}{
		{"unknown_patient", scheduling.CodeNotFound, func(in *billing.PreviewInput) { in.PatientID = 999999 }},
		{"unknown_branch", scheduling.CodeNotFound, func(in *billing.PreviewInput) { in.BranchID = 999999 }},
		{"unknown_examination", scheduling.CodeNotFound, func(in *billing.PreviewInput) { in.ExaminationIDs = []scheduling.ID{999999} }},
		{"examination_of_another_branch", "examination_not_offered", func(in *billing.PreviewInput) { in.ExaminationIDs = []scheduling.ID{p.lisbonOnly} }},
		{"unknown_item", scheduling.CodeNotFound, func(in *billing.PreviewInput) {
			in.Consumables = []billing.ConsumableUse{{ItemID: 999999, Quantity: ptr[int64](1)}}
		}},
		{"negative_quantity", "invalid_quantity", func(in *billing.PreviewInput) {
			in.Consumables = []billing.ConsumableUse{{ItemID: p.bandage, Quantity: ptr[int64](-1)}}
		}},
		{"consumable_of_another_examination", "examination_not_in_visit", func(in *billing.PreviewInput) {
			in.Consumables = []billing.ConsumableUse{{ItemID: p.bandage, Quantity: ptr[int64](1), ExaminationID: p.physio}}
		}},
		{"no_examinations", "missing_examinations", func(in *billing.PreviewInput) { in.ExaminationIDs = nil }},
		{"too_many_examinations", "too_many_examinations", func(in *billing.PreviewInput) {
			in.ExaminationIDs = make([]scheduling.ID, 21)
		}},
		{"discount_over_100_percent", "out_of_range", func(in *billing.PreviewInput) { in.ManualDiscountBP = ptr[int64](10001) }},
		{"negative_points", "negative_amount", func(in *billing.PreviewInput) { in.RedeemPoints = ptr[int64](-1) }},
		{"bad_date", "invalid_date", func(in *billing.PreviewInput) { in.Date = "2027-02-30" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok()
			tc.change(&in)
			_, err := p.store.Preview(ctx, in)
			require.Truef(t, scheduling.IsCode(err, tc.code), "got %v", err)
		})
	}
}

func TestPatientMoneyRecords(t *testing.T) {
	t.Parallel()
	p := newPorto(t)
	ctx := context.Background()

	_, err := p.store.AddPackage(ctx, "test", 999999, billing.PackageInput{Name: "x", ExaminationIDs: []scheduling.ID{p.physio}, Uses: ptr[int64](1)})
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), err)
	_, err = p.store.AddPackage(ctx, "test", p.patient, billing.PackageInput{Name: "x", ExaminationIDs: []scheduling.ID{999999}, Uses: ptr[int64](1)})
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), err)
	_, err = p.store.AddPackage(ctx, "test", p.patient, billing.PackageInput{Name: "x", ExaminationIDs: []scheduling.ID{p.physio}, Uses: ptr[int64](0)})
	require.True(t, scheduling.IsCode(err, "invalid_uses"), err)
	_, err = p.store.AddPackage(ctx, "test", p.patient, billing.PackageInput{Name: "x", ExaminationIDs: []scheduling.ID{p.physio},
		Uses: ptr[int64](1), ExpiresOn: ptr("2026-12-31")})
	require.True(t, scheduling.IsCode(err, "expires_in_past"), err)
	pkg, err := p.store.AddPackage(ctx, "test", p.patient, billing.PackageInput{Name: " Physio x10 ",
		ExaminationIDs: []scheduling.ID{p.physio, p.physio}, Uses: ptr[int64](10), ExpiresOn: ptr("2027-06-30")})
	require.NoError(t, err)
	require.Equal(t, "Physio x10", pkg.Name)
	require.Equal(t, []scheduling.ID{p.physio}, pkg.ExaminationIDs)
	require.Equal(t, "2027-06-30", *pkg.ExpiresOn)

	policy := func() billing.PolicyInput {
		return billing.PolicyInput{Insurer: "Acme", CoverageBP: ptr[int64](8000), AnnualDeductible: ptr[int64](0),
			ValidFrom: "2027-01-01", ValidTo: "2027-12-31"}
	}
	for _, tc := range []struct {
		name, code string
		change     func(in *billing.PolicyInput)
	}{
		{"coverage_10001", "invalid_coverage", func(in *billing.PolicyInput) { in.CoverageBP = ptr[int64](10001) }},
		{"negative_deductible", "negative_amount", func(in *billing.PolicyInput) { in.AnnualDeductible = ptr[int64](-1) }},
		{"negative_limit", "negative_amount", func(in *billing.PolicyInput) { in.AnnualLimit = ptr[int64](-1) }},
		{"ends_before_it_starts", "invalid_validity", func(in *billing.PolicyInput) { in.ValidTo = "2026-12-31"; in.ValidFrom = "2027-01-01" }},
		{"already_expired", "policy_expired", func(in *billing.PolicyInput) { in.ValidFrom, in.ValidTo = "2026-01-01", "2026-12-31" }},
		{"unknown_currency", "invalid_currency", func(in *billing.PolicyInput) { in.Currency = ptr("ABC") }},
		{"no_insurer", "missing_insurer", func(in *billing.PolicyInput) { in.Insurer = " " }},
	} {
		in := policy()
		tc.change(&in)
		_, err := p.store.PutInsurance(ctx, "test", p.patient, in)
		require.Truef(t, scheduling.IsCode(err, tc.code), "%s: got %v", tc.name, err)
	}
	first, err := p.store.PutInsurance(ctx, "test", p.patient, policy())
	require.NoError(t, err)
	in := policy()
	in.Insurer, in.ExaminationIDs = "Other", []scheduling.ID{p.panel}
	second, err := p.store.PutInsurance(ctx, "test", p.patient, in)
	require.NoError(t, err)
	require.Equal(t, first.ID, second.ID, "a replaced policy keeps its id")
	var insurer string
	var covered []scheduling.ID
	require.NoError(t, p.Pool.QueryRow(ctx, `SELECT insurer, array(SELECT examination_id FROM policy_examinations WHERE policy_id = p.id)
		FROM insurance_policies p WHERE patient_id = $1`, p.patient).Scan(&insurer, &covered))
	require.Equal(t, "Other", insurer)
	require.Equal(t, []scheduling.ID{p.panel}, covered)

	acct, err := p.store.PutLoyalty(ctx, "test", p.patient, billing.LoyaltyInput{Points: ptr[int64](120)})
	require.NoError(t, err)
	require.Equal(t, [2]int64{120, 0}, [2]int64{acct.Points, acct.TierDiscountBP})
	acct, err = p.store.PutLoyalty(ctx, "test", p.patient, billing.LoyaltyInput{TierDiscountBP: ptr[int64](500)})
	require.NoError(t, err)
	require.Equal(t, [2]int64{120, 500}, [2]int64{acct.Points, acct.TierDiscountBP}, "a field left out keeps its value")
	_, err = p.store.PutLoyalty(ctx, "test", p.patient, billing.LoyaltyInput{Points: ptr[int64](-1)})
	require.True(t, scheduling.IsCode(err, "negative_amount"), err)
	_, err = p.store.PutLoyalty(ctx, "test", p.patient, billing.LoyaltyInput{TierDiscountBP: ptr[int64](10001)})
	require.True(t, scheduling.IsCode(err, "out_of_range"), err)
	_, err = p.store.PutLoyalty(ctx, "test", 999999, billing.LoyaltyInput{})
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), err)
}

// TestPolicyWithoutLimitStaysUnlimited: a policy with no annual limit is loaded without one, whatever
// this year's usage, so the insurer's share is not capped at zero.
func TestPolicyWithoutLimitStaysUnlimited(t *testing.T) {
	t.Parallel()
	p := newPorto(t)
	ctx := context.Background()
	pol, err := p.store.PutInsurance(ctx, "test", p.patient, billing.PolicyInput{Insurer: "Acme", CoverageBP: ptr[int64](10000),
		AnnualDeductible: ptr[int64](0), ValidFrom: "2027-01-01", ValidTo: "2027-12-31", ExaminationIDs: []scheduling.ID{p.physio}})
	require.NoError(t, err)
	_, err = p.Pool.Exec(ctx, `INSERT INTO policy_usage (policy_id, year, insurer_paid) VALUES ($1, 2027, 50000)`, pol.ID)
	require.NoError(t, err)
	in, err := p.store.LoadInput(ctx, billing.Visit{PatientID: p.patient, BranchID: p.branch,
		ExaminationIDs: []scheduling.ID{p.physio}, Date: scheduling.Date{Year: 2027, Month: 1, Day: 4}})
	require.NoError(t, err)
	require.NotNil(t, in.Policy)
	require.Nil(t, in.Policy.LimitLeft)
	inv, err := billing.Price(in)
	require.NoError(t, err)
	require.EqualValues(t, 3000, inv.InsuranceCovered)
	require.Nil(t, inv.Remaining.AnnualLimit)
}
