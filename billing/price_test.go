package billing

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
)

var visitDay = scheduling.Date{Year: 2027, Month: 3, Day: 15}

func exam(id scheduling.ID, price int64, taxable bool) Item {
	return Item{Kind: KindExamination, ExaminationID: id, Description: "exam " + id.String(), Quantity: 1, UnitPrice: price, Taxable: taxable, Billable: true}
}

func consumable(examID, itemID scheduling.ID, qty, price int64, billable bool) Item {
	return Item{Kind: KindConsumable, ExaminationID: examID, ItemID: itemID, Description: "item " + itemID.String(),
		Quantity: qty, UnitPrice: price, Taxable: true, Billable: billable}
}

func ptr[T any](v T) *T { return &v }

// lineWant is what a golden case checks of one line.
type lineWant struct {
	subtotal, packageCovered, discount, net, tax, total, deductible, insurer, patient, points, due int64
}

func TestPriceGolden(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    Input
		lines []lineWant
		// trace, when set, must appear in the trace of the line at traceLine.
		trace     string
		traceLine int
		check     func(t *testing.T, inv Invoice)
	}{
		{
			// 150.00 less 100% = 0.00; tax 23% of 0.00 = 0.00: nothing due, not a cent either way.
			name:  "full_discount_leaves_exactly_zero",
			in:    Input{Currency: "USD", TaxRateBP: 2300, Items: []Item{exam(1, 15000, true)}, ManualDiscountBP: 10000},
			lines: []lineWant{{subtotal: 15000, discount: 15000, net: 0, tax: 0, total: 0, patient: 0, due: 0}},
		},
		{
			// Two lines of 12.50 at 23%: 2.875 each rounds to 2.88, so 5.76 of tax; rounding the
			// invoice once would give 25.00 × 23% = 5.75. Each line is rounded on its own.
			name: "tax_rounds_per_line_not_globally",
			in:   Input{Currency: "EUR", TaxRateBP: 2300, Items: []Item{exam(1, 1250, true), exam(2, 1250, true)}},
			lines: []lineWant{
				{subtotal: 1250, net: 1250, tax: 288, total: 1538, patient: 1538, due: 1538},
				{subtotal: 1250, net: 1250, tax: 288, total: 1538, patient: 1538, due: 1538},
			},
			check: func(t *testing.T, inv Invoice) { require.EqualValues(t, 576, inv.Tax) },
		},
		{
			// 0.05 at 10% is 0.005: half a cent rounds away from zero to 0.01.
			name:  "half_a_minor_unit_rounds_away_from_zero",
			in:    Input{Currency: "EUR", TaxRateBP: 1000, Items: []Item{exam(1, 5, true)}},
			lines: []lineWant{{subtotal: 5, net: 5, tax: 1, total: 6, patient: 6, due: 6}},
		},
		{
			// 100.00 at 20% less 25% tier: discount 25.00, net 75.00, tax 20% of 75.00 = 15.00, total
			// 90.00 (taxing before the discount would have given 95.00).
			name: "tax_on_the_discounted_net",
			in: Input{Currency: "USD", TaxRateBP: 2000, Items: []Item{exam(1, 10000, true)},
				Loyalty: Loyalty{TierDiscountBP: 2500}},
			lines: []lineWant{{subtotal: 10000, discount: 2500, net: 7500, tax: 1500, total: 9000, patient: 9000, due: 9000}},
			trace: "discount 25% (loyalty tier)",
		},
		{
			// Tier 10%, manual 15%: the larger applies, not both. 200.00 − 30.00 = 170.00, exempt.
			name: "larger_of_tier_and_manual_discount",
			in: Input{Currency: "USD", TaxRateBP: 2000, Items: []Item{exam(1, 20000, false)},
				Loyalty: Loyalty{TierDiscountBP: 1000}, ManualDiscountBP: 1500},
			lines: []lineWant{{subtotal: 20000, discount: 3000, net: 17000, total: 17000, patient: 17000, due: 17000}},
			trace: "discount 15% (manual)",
		},
		{
			// Deductible 150.00, coverage 80%. Line 1 (100.00): all deductible, the patient pays
			// 100.00. Line 2 (200.00): the last 50.00 of deductible, then 80% of 150.00 = 120.00 to
			// the insurer; the patient pays 50.00 + 30.00 = 80.00. Nothing of the deductible is left.
			name: "deductible_used_up_across_two_lines",
			in: Input{Currency: "USD", Items: []Item{exam(1, 10000, false), exam(2, 20000, false)},
				Policy: &Policy{Insurer: "Acme", CoverageBP: 8000, DeductibleLeft: 15000, ValidFrom: visitDay, ValidTo: visitDay}},
			lines: []lineWant{
				{subtotal: 10000, net: 10000, total: 10000, deductible: 10000, insurer: 0, patient: 10000, due: 10000},
				{subtotal: 20000, net: 20000, total: 20000, deductible: 5000, insurer: 12000, patient: 8000, due: 8000},
			},
			check: func(t *testing.T, inv Invoice) {
				require.EqualValues(t, 0, *inv.Remaining.Deductible)
				require.Nil(t, inv.Remaining.AnnualLimit)
			},
		},
		{
			// Coverage 90%, 50.00 of annual limit left. Line 1 (40.00): the insurer pays 36.00, 14.00
			// left. Line 2 (40.00): 90% would be 36.00, capped at 14.00; the patient pays 26.00.
			name: "annual_limit_caps_the_insurer",
			in: Input{Currency: "USD", Items: []Item{exam(1, 4000, false), exam(2, 4000, false)},
				Policy: &Policy{Insurer: "Acme", CoverageBP: 9000, LimitLeft: ptr[int64](5000), ValidFrom: visitDay, ValidTo: visitDay}},
			lines: []lineWant{
				{subtotal: 4000, net: 4000, total: 4000, insurer: 3600, patient: 400, due: 400},
				{subtotal: 4000, net: 4000, total: 4000, insurer: 1400, patient: 2600, due: 2600},
			},
			trace: "capped by the annual limit at USD 14.00", traceLine: 1,
			check: func(t *testing.T, inv Invoice) {
				require.EqualValues(t, 0, *inv.Remaining.AnnualLimit)
				require.EqualValues(t, 5000, inv.InsuranceCovered)
			},
		},
		{
			// Two uses left, three lines of the same examination: two are covered (100.00 of package
			// cover), the third is billed 50.00. The package ends the visit with no uses.
			name: "package_with_fewer_uses_than_lines",
			in: Input{Currency: "USD", Items: []Item{exam(7, 5000, false), exam(7, 5000, false), exam(7, 5000, false)},
				Packages: []Package{{ID: 3, Name: "Physio x10", ExaminationIDs: []scheduling.ID{7}, UsesLeft: 2}}},
			lines: []lineWant{
				{subtotal: 5000, packageCovered: 5000},
				{subtotal: 5000, packageCovered: 5000},
				{subtotal: 5000, net: 5000, total: 5000, patient: 5000, due: 5000},
			},
			trace: `package "Physio x10" not applied: no uses left`, traceLine: 2,
			check: func(t *testing.T, inv Invoice) {
				require.Equal(t, []PackageUses{{PackageID: 3, Used: 2, UsesLeft: 0}}, inv.Remaining.Packages)
				require.EqualValues(t, 10000, inv.PackageCovered)
			},
		},
		{
			// A covered line skips discount, tax and insurance: the deductible stays whole for the
			// next line. Line 2 (30.00 less 10% = 27.00, tax 10% = 2.70, total 29.70) takes 29.70 of
			// the 100.00 deductible.
			name: "package_line_skips_discount_tax_and_insurance",
			in: Input{Currency: "USD", TaxRateBP: 1000, Items: []Item{exam(1, 8000, true), exam(2, 3000, true)},
				Packages: []Package{{ID: 1, Name: "Checkups", ExaminationIDs: []scheduling.ID{1}, UsesLeft: 5, ExpiresOn: &visitDay}},
				Policy:   &Policy{Insurer: "Acme", CoverageBP: 5000, DeductibleLeft: 10000, ValidFrom: visitDay, ValidTo: visitDay},
				Loyalty:  Loyalty{TierDiscountBP: 1000}},
			lines: []lineWant{
				{subtotal: 8000, packageCovered: 8000},
				{subtotal: 3000, discount: 300, net: 2700, tax: 270, total: 2970, deductible: 2970, patient: 2970, due: 2970},
			},
			check: func(t *testing.T, inv Invoice) { require.EqualValues(t, 7030, *inv.Remaining.Deductible) },
		},
		{
			// The package expired the day before: not applied, and the line says so.
			name: "expired_package_not_applied",
			in: Input{Currency: "USD", Items: []Item{exam(1, 8000, false)},
				Packages: []Package{{ID: 1, Name: "Checkups", ExaminationIDs: []scheduling.ID{1}, UsesLeft: 5,
					ExpiresOn: &scheduling.Date{Year: 2027, Month: 3, Day: 14}}}},
			lines: []lineWant{{subtotal: 8000, net: 8000, total: 8000, patient: 8000, due: 8000}},
			trace: `package "Checkups" not applied: it expired on 2027-03-14`,
		},
		{
			// The policy ended before the visit: the patient pays everything and the invoice says why.
			name: "expired_policy_not_applied",
			in: Input{Currency: "USD", Items: []Item{exam(1, 8000, false)},
				Policy: &Policy{Insurer: "Acme", CoverageBP: 10000, ValidFrom: scheduling.Date{Year: 2026, Month: 1, Day: 1},
					ValidTo: scheduling.Date{Year: 2026, Month: 12, Day: 31}}},
			lines: []lineWant{{subtotal: 8000, net: 8000, total: 8000, patient: 8000, due: 8000}},
			check: func(t *testing.T, inv Invoice) {
				require.Equal(t, []string{"insurance (Acme) not applied: the policy ended on 2026-12-31"}, inv.Notes)
				require.Nil(t, inv.Remaining.Deductible)
			},
		},
		{
			// A policy in euros at a dollar branch cannot have its deductible compared: not applied.
			name: "policy_in_another_currency_not_applied",
			in: Input{Currency: "USD", Items: []Item{exam(1, 8000, false)},
				Policy: &Policy{Insurer: "Acme", Currency: "EUR", CoverageBP: 10000, ValidFrom: visitDay, ValidTo: visitDay}},
			lines: []lineWant{{subtotal: 8000, net: 8000, total: 8000, patient: 8000, due: 8000}},
			check: func(t *testing.T, inv Invoice) { require.Contains(t, inv.Notes[0], "the policy is in EUR") },
		},
		{
			// Kuwaiti dinar, three decimals. 12.345 less 10% = 1.2345 → 1.235 (half away from zero),
			// net 11.110; tax 5% = 0.5555 → 0.556; total 11.666.
			name: "three_decimal_currency_KWD",
			in: Input{Currency: "KWD", TaxRateBP: 500, Items: []Item{exam(1, 12345, true)},
				Loyalty: Loyalty{TierDiscountBP: 1000}},
			lines: []lineWant{{subtotal: 12345, discount: 1235, net: 11110, tax: 556, total: 11666, patient: 11666, due: 11666}},
			trace: "price KWD 12.345 × 1 = KWD 12.345",
		},
		{
			// Yen, no decimals. 3333 less 15% = 499.95 → 500, net 2833; tax 10% = 283.3 → 283;
			// total 3116.
			name: "zero_decimal_currency_JPY",
			in: Input{Currency: "JPY", TaxRateBP: 1000, Items: []Item{exam(1, 3333, true)},
				ManualDiscountBP: 1500},
			lines: []lineWant{{subtotal: 3333, discount: 500, net: 2833, tax: 283, total: 3116, patient: 3116, due: 3116}},
			trace: "tax 10% on JPY 2833: JPY 283",
		},
		{
			// Consumables: 3 syringes at 1.20, billable, taxed 10% with the examination; gloves are
			// included in the price and make no line. The syringes' examination is insured at 50%,
			// so they are too: 3.60 + 0.36 = 3.96, the insurer 1.98.
			name: "consumables_billed_per_unit_and_insured_with_their_examination",
			in: Input{Currency: "EUR", TaxRateBP: 1000, Items: []Item{exam(4, 2000, true),
				consumable(4, 10, 3, 120, true), consumable(4, 11, 2, 50, false)},
				Policy: &Policy{Insurer: "Acme", CoverageBP: 5000, ValidFrom: visitDay, ValidTo: visitDay, ExaminationIDs: []scheduling.ID{4}}},
			lines: []lineWant{
				{subtotal: 2000, net: 2000, tax: 200, total: 2200, insurer: 1100, patient: 1100, due: 1100},
				{subtotal: 360, net: 360, tax: 36, total: 396, insurer: 198, patient: 198, due: 198},
			},
		},
		{
			// Policy limited to examination 1: examination 2 is the patient's in full.
			name: "policy_covers_only_its_examinations",
			in: Input{Currency: "USD", Items: []Item{exam(1, 1000, false), exam(2, 1000, false)},
				Policy: &Policy{Insurer: "Acme", CoverageBP: 10000, ValidFrom: visitDay, ValidTo: visitDay, ExaminationIDs: []scheduling.ID{1}}},
			lines: []lineWant{
				{subtotal: 1000, net: 1000, total: 1000, insurer: 1000},
				{subtotal: 1000, net: 1000, total: 1000, patient: 1000, due: 1000},
			},
		},
		{
			// 700 points asked, 500 held: 500 redeemed, line by line on the patient's shares (3.00
			// then 2.00 of the 4.00 second line). 5.00 of the 7.00 share paid in points, 2.00 due.
			name: "points_pay_the_patients_share_up_to_the_balance",
			in: Input{Currency: "USD", Items: []Item{exam(1, 300, false), exam(2, 400, false)},
				Loyalty: Loyalty{Points: 500}, RedeemPoints: 700},
			lines: []lineWant{
				{subtotal: 300, net: 300, total: 300, patient: 300, points: 300, due: 0},
				{subtotal: 400, net: 400, total: 400, patient: 400, points: 200, due: 200},
			},
			check: func(t *testing.T, inv Invoice) {
				require.EqualValues(t, 0, inv.Remaining.Points)
				require.EqualValues(t, 500, inv.PointsRedeemed)
				require.Len(t, inv.Notes, 1)
			},
		},
		{
			// Points pay only the patient's share, never the insurer's: 10.00 total, 80% insured,
			// 2.00 the patient's; 1000 points asked, 200 used, 800 kept.
			name: "points_never_pay_the_insurers_share",
			in: Input{Currency: "USD", Items: []Item{exam(1, 1000, false)},
				Policy:  &Policy{Insurer: "Acme", CoverageBP: 8000, ValidFrom: visitDay, ValidTo: visitDay},
				Loyalty: Loyalty{Points: 1000}, RedeemPoints: 1000},
			lines: []lineWant{{subtotal: 1000, net: 1000, total: 1000, insurer: 800, patient: 200, points: 200, due: 0}},
			check: func(t *testing.T, inv Invoice) { require.EqualValues(t, 800, inv.Remaining.Points) },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.in.Date = visitDay
			inv, err := Price(tc.in)
			require.NoError(t, err)
			require.Len(t, inv.Lines, len(tc.lines))
			for i, w := range tc.lines {
				l := inv.Lines[i]
				got := lineWant{l.Subtotal, l.PackageCovered, l.Discount, l.Net, l.Tax, l.Total, l.Deductible,
					l.InsuranceCovered, l.PatientShare, l.PointsRedeemed, l.AmountDue}
				require.Equalf(t, w, got, "line %d; trace:\n%s", i+1, strings.Join(l.Trace, "\n"))
			}
			if tc.trace != "" {
				require.Contains(t, strings.Join(inv.Lines[tc.traceLine].Trace, "\n"), tc.trace)
			}
			checkInvariants(t, tc.in, inv)
			if tc.check != nil {
				tc.check(t, inv)
			}
		})
	}
}

func TestPriceRefusesBadInput(t *testing.T) {
	t.Parallel()
	ok := func() Input {
		return Input{Date: visitDay, Currency: "USD", TaxRateBP: 2000, Items: []Item{exam(1, 1000, true)}}
	}
	cases := []struct {
		name, code string
		change     func(in *Input)
	}{
		{"negative_quantity", "invalid_quantity", func(in *Input) { in.Items[0].Quantity = -1 }},
		{"zero_quantity", "invalid_quantity", func(in *Input) { in.Items[0].Quantity = 0 }},
		{"negative_price", "negative_price", func(in *Input) { in.Items[0].UnitPrice = -1 }},
		{"price_beyond_bound", "price_too_large", func(in *Input) { in.Items[0].UnitPrice = MaxUnitPrice + 1 }},
		{"unknown_currency", "invalid_currency", func(in *Input) { in.Currency = "XYZ" }},
		{"negative_tax_rate", "out_of_range", func(in *Input) { in.TaxRateBP = -1 }},
		{"coverage_over_100_percent", "out_of_range", func(in *Input) {
			in.Policy = &Policy{CoverageBP: 10001, ValidFrom: visitDay, ValidTo: visitDay}
		}},
		{"policy_ends_before_it_starts", "invalid_validity", func(in *Input) {
			in.Policy = &Policy{CoverageBP: 100, ValidFrom: visitDay, ValidTo: scheduling.Date{Year: 2027, Month: 3, Day: 1}}
		}},
		{"negative_deductible", "negative_amount", func(in *Input) {
			in.Policy = &Policy{DeductibleLeft: -1, ValidFrom: visitDay, ValidTo: visitDay}
		}},
		{"negative_limit", "negative_amount", func(in *Input) {
			in.Policy = &Policy{LimitLeft: ptr[int64](-5), ValidFrom: visitDay, ValidTo: visitDay}
		}},
		{"discount_over_100_percent", "out_of_range", func(in *Input) { in.ManualDiscountBP = 10001 }},
		{"negative_points", "negative_amount", func(in *Input) { in.Loyalty.Points = -1 }},
		{"negative_redeem", "negative_amount", func(in *Input) { in.RedeemPoints = -1 }},
		{"negative_package_uses", "negative_amount", func(in *Input) {
			in.Packages = []Package{{ID: 1, ExaminationIDs: []scheduling.ID{1}, UsesLeft: -1}}
		}},
		{"too_many_lines", "too_many_lines", func(in *Input) {
			for range MaxLines {
				in.Items = append(in.Items, exam(1, 1, true))
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := ok()
			tc.change(&in)
			_, err := Price(in)
			require.Error(t, err)
			require.Truef(t, scheduling.IsCode(err, tc.code), "got %v", err)
		})
	}
}

// checkInvariants asserts what holds of every invoice: each line's steps and shares add up, no
// amount is negative, and the totals are the sums of the lines.
func checkInvariants(t *testing.T, in Input, inv Invoice) {
	t.Helper()
	var sum Invoice
	for i, l := range inv.Lines {
		require.Equalf(t, l.Subtotal-l.PackageCovered-l.Discount, l.Net, "line %d net", i)
		require.Equalf(t, l.Net+l.Tax, l.Total, "line %d total", i)
		require.Equalf(t, l.Total, l.InsuranceCovered+l.PatientShare, "line %d shares", i)
		require.Equalf(t, l.PatientShare, l.PointsRedeemed+l.AmountDue, "line %d points", i)
		require.LessOrEqualf(t, l.Deductible, l.PatientShare, "line %d deductible", i)
		for _, v := range []int64{l.Subtotal, l.PackageCovered, l.Discount, l.Net, l.Tax, l.Total, l.Deductible,
			l.InsuranceCovered, l.PatientShare, l.PointsRedeemed, l.AmountDue} {
			require.GreaterOrEqualf(t, v, int64(0), "line %d: %+v", i, l)
		}
		sum.Lines = append(sum.Lines, l)
	}
	sum.total()
	require.Equal(t, [9]int64{sum.Subtotal, sum.PackageCovered, sum.Discount, sum.Tax, sum.Total, sum.InsuranceCovered,
		sum.PatientTotal, sum.PointsRedeemed, sum.AmountDue},
		[9]int64{inv.Subtotal, inv.PackageCovered, inv.Discount, inv.Tax, inv.Total, inv.InsuranceCovered,
			inv.PatientTotal, inv.PointsRedeemed, inv.AmountDue})
	require.Equal(t, in.Loyalty.Points-inv.PointsRedeemed, inv.Remaining.Points)
	if p := in.Policy; p != nil && inv.Remaining.Deductible != nil {
		var ded, insured int64
		for _, l := range inv.Lines {
			ded += l.Deductible
			insured += l.InsuranceCovered
		}
		require.Equal(t, p.DeductibleLeft-ded, *inv.Remaining.Deductible)
		if p.LimitLeft != nil {
			require.LessOrEqual(t, insured, *p.LimitLeft)
			require.Equal(t, *p.LimitLeft-insured, *inv.Remaining.AnnualLimit)
		}
	}
}
