// Package billing prices visits (DESIGN 3.4): one pure function turns a visit's examinations and
// consumables, the branch's currency and tax and the patient's packages, insurance and loyalty into
// invoice lines and totals, and a store loads that input from the database and keeps patients'
// money records. billing may use scheduling; scheduling never uses billing.
package billing

import (
	"fmt"
	"math/bits"
	"strconv"

	"clinic/scheduling"
)

// BasisPoints is the denominator of every rate: 10000 bp = 100%.
const BasisPoints = 10000

// Bounds that keep every amount of an invoice far inside int64: a line is at most
// MaxUnitPrice × MaxQuantity = 10^15 minor units before tax, at most 11 times that after the
// highest tax rate, and an invoice of MaxLines such lines still fits.
const (
	MaxUnitPrice = 1_000_000_000_000 // 10^12 minor units: ten billion of a two-decimal currency
	MaxQuantity  = 1000
	MaxLines     = 500
	MaxTaxRateBP = 100000 // 1000%, the branches' own bound
	MaxAmount    = 1_000_000_000_000_000
)

// scale returns amount × rateBP / 10000, rounded half away from zero to a whole minor unit. It is
// the one rounding rule of billing (DESIGN 3.4): discounts, tax and insurance shares all go through
// it. The product is taken in 128 bits, so no intermediate overflows; callers keep amount and
// rateBP within the bounds above, which keeps the result within int64.
func scale(amount, rateBP int64) int64 {
	return mulDivRound(amount, rateBP, BasisPoints)
}

// mulDivRound is a × b / d rounded half away from zero, for d > 0.
func mulDivRound(a, b, d int64) int64 {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absU(a), absU(b))
	if hi >= uint64(d) {
		panic("billing: amount out of range") // unreachable within the documented bounds
	}
	q, r := bits.Div64(hi, lo, uint64(d))
	if r >= uint64(d)-r { // r ≥ d/2 without overflow: a half rounds away from zero
		q++
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// formatMinor writes an amount in minor units with the currency's digits: 15000 with 2 → "150.00",
// 1500 with 3 → "1.500", 1500 with 0 → "1500". No floating point is involved.
func formatMinor(amount int64, digits int) string { return string(appendMinor(nil, amount, digits)) }

// appendMinor is formatMinor appending to b.
func appendMinor(b []byte, amount int64, digits int) []byte {
	if amount < 0 {
		b = append(b, '-')
	}
	var tmp [24]byte
	s := strconv.AppendUint(tmp[:0], absU(amount), 10)
	if digits == 0 {
		return append(b, s...)
	}
	if len(s) <= digits {
		b = append(b, "0."...)
		for range digits - len(s) {
			b = append(b, '0')
		}
		return append(b, s...)
	}
	cut := len(s) - digits
	b = append(b, s[:cut]...)
	b = append(b, '.')
	return append(b, s[cut:]...)
}

// formatBP writes a rate in basis points as a percentage: 1500 → "15%", 2350 → "23.5%".
func formatBP(bp int64) string { return string(appendBP(nil, bp)) }

// appendBP is formatBP appending to b.
func appendBP(b []byte, bp int64) []byte {
	start := len(b)
	b = appendMinor(b, bp, 2)
	for len(b) > start && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	return append(b, '%')
}

// dateKey orders dates as integers (YYYYMMDD).
func dateKey(d scheduling.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// dateString writes a date as YYYY-MM-DD.
func dateString(d scheduling.Date) string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}
