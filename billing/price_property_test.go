package billing

import (
	"math/rand/v2"
	"testing"
	"testing/quick"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
)

// randomInput builds a visit with everything varying at once: currencies of 0, 2 and 3 decimals,
// prices up to the bound, packages, a policy with deductible and limit, loyalty and points.
func randomInput(r *rand.Rand) Input {
	amount := func() int64 {
		switch r.IntN(4) {
		case 0:
			return r.Int64N(10)
		case 1:
			return r.Int64N(MaxUnitPrice + 1)
		default:
			return r.Int64N(100000)
		}
	}
	bp := func() int64 { return r.Int64N(BasisPoints + 1) }
	in := Input{Date: visitDay, Currency: []string{"USD", "JPY", "KWD", "BHD", "EUR"}[r.IntN(5)],
		TaxRateBP: r.Int64N(MaxTaxRateBP/10 + 1), Loyalty: Loyalty{TierDiscountBP: bp() * int64(r.IntN(2)), Points: r.Int64N(1e6)}}
	if r.IntN(3) == 0 {
		in.ManualDiscountBP = bp()
	}
	if r.IntN(2) == 0 {
		in.RedeemPoints = r.Int64N(2e6)
	}
	for range 1 + r.IntN(12) {
		id := scheduling.ID(1 + r.IntN(4))
		if r.IntN(3) == 0 {
			in.Items = append(in.Items, consumable(id, scheduling.ID(10+r.IntN(3)), 1+r.Int64N(MaxQuantity), amount(), r.IntN(4) > 0))
		} else {
			in.Items = append(in.Items, exam(id, amount(), r.IntN(2) == 0))
		}
	}
	for i := range r.IntN(3) {
		in.Packages = append(in.Packages, Package{ID: scheduling.ID(i + 1), Name: "p",
			ExaminationIDs: []scheduling.ID{scheduling.ID(1 + r.IntN(4))}, UsesLeft: r.Int64N(3)})
	}
	if r.IntN(4) > 0 {
		p := &Policy{Insurer: "x", CoverageBP: bp(), DeductibleLeft: amount(), ValidFrom: visitDay, ValidTo: visitDay}
		if r.IntN(2) == 0 {
			p.LimitLeft = ptr(amount())
		}
		if r.IntN(2) == 0 {
			p.ExaminationIDs = []scheduling.ID{1, 3}
		}
		in.Policy = p
	}
	return in
}

// TestPriceProperties: for any valid visit, the insurer's and the patient's shares add up to each
// line exactly, no amount is negative, the totals are the sums of the lines, and what remains of the
// deductible, limit and points is what the lines consumed.
func TestPriceProperties(t *testing.T) {
	t.Parallel()
	prop := func(seed uint64) bool {
		in := randomInput(rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)))
		inv, err := Price(in)
		require.NoError(t, err)
		checkInvariants(t, in, inv)
		return true
	}
	require.NoError(t, quick.Check(prop, &quick.Config{MaxCount: 3000}))
}

// TestPriceIsDeterministic: the preview and the saved invoice get the same answer for the same input.
func TestPriceIsDeterministic(t *testing.T) {
	t.Parallel()
	prop := func(seed uint64) bool {
		in := randomInput(rand.New(rand.NewPCG(seed, 1)))
		a, errA := Price(in)
		b, errB := Price(in)
		require.NoError(t, errA)
		require.NoError(t, errB)
		require.Equal(t, a, b)
		return true
	}
	require.NoError(t, quick.Check(prop, &quick.Config{MaxCount: 300}))
}

func TestMulDivRound(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ a, b, d, want int64 }{
		{5, 1000, 10000, 1},   // 0.5 → 1
		{-5, 1000, 10000, -1}, // −0.5 → −1: away from zero, not up
		{4, 1000, 10000, 0},   // 0.4 → 0
		{15, 1000, 10000, 2},  // 1.5 → 2
		{25, 1000, 10000, 3},  // 2.5 → 3, not banker's 2
		{MaxUnitPrice * MaxQuantity * 11, MaxTaxRateBP, 10000, MaxUnitPrice * MaxQuantity * 110}, // 128-bit product
	} {
		require.Equalf(t, c.want, mulDivRound(c.a, c.b, c.d), "%d × %d / %d", c.a, c.b, c.d)
	}
}

func TestFormatMinor(t *testing.T) {
	t.Parallel()
	require.Equal(t, "150.00", formatMinor(15000, 2))
	require.Equal(t, "0.05", formatMinor(5, 2))
	require.Equal(t, "0.005", formatMinor(5, 3))
	require.Equal(t, "1500", formatMinor(1500, 0))
	require.Equal(t, "-1.20", formatMinor(-120, 2))
	require.Equal(t, "23.5%", formatBP(2350))
	require.Equal(t, "15%", formatBP(1500))
}

// BenchmarkPriceSession prices a 10-line visit with a package, insurance with deductible and limit,
// a loyalty tier and points (DESIGN 6 budget: 50 µs per invoice).
func BenchmarkPriceSession(b *testing.B) {
	in := Input{Date: visitDay, Currency: "EUR", TaxRateBP: 2300,
		Packages: []Package{{ID: 1, Name: "Physio x10", ExaminationIDs: []scheduling.ID{1}, UsesLeft: 1}},
		Policy: &Policy{Insurer: "Acme", CoverageBP: 8000, DeductibleLeft: 5000, LimitLeft: ptr[int64](20000),
			ValidFrom: visitDay, ValidTo: visitDay, ExaminationIDs: []scheduling.ID{1, 2, 3}},
		Loyalty: Loyalty{TierDiscountBP: 500, Points: 3000}, RedeemPoints: 2000}
	for i := range 10 {
		if i%3 == 2 {
			in.Items = append(in.Items, consumable(scheduling.ID(i%4+1), scheduling.ID(10+i), 2, 350, true))
		} else {
			in.Items = append(in.Items, exam(scheduling.ID(i%4+1), int64(4500+i*250), i%2 == 0))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Price(in); err != nil {
			b.Fatal(err)
		}
	}
}
