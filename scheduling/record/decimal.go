package record

import (
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
)

const (
	// maxScale is the most decimal places any number in a record may carry.
	maxScale = 6
	// maxDigits bounds the text of a number and its exponent.
	maxDigits = 40
)

// Decimal is an exact decimal number: 36.6 is kept and answered as 36.6, never as a binary float's
// nearest neighbour. The zero value is no number (an absent vital).
type Decimal struct {
	s string // the number's shortest decimal text: "36.6", "72", "-0.25"
}

// ParseDecimal reads a JSON number (exponents allowed: 3.66e1 is 36.6). It reports false for
// anything else, or for a number with more than maxScale decimal places.
func ParseDecimal(s string) (Decimal, bool) {
	if len(s) > maxDigits || !json.Valid([]byte(s)) || s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return Decimal{}, false
	}
	// An exponent like 1e999999999 would cost time and memory to expand; no measure needs one.
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if exp, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+")); err != nil || exp < -maxDigits || exp > maxDigits {
			return Decimal{}, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return Decimal{}, false
	}
	return decimalOf(r)
}

// decimalOf writes r with the fewest decimal places that hold it exactly.
func decimalOf(r *big.Rat) (Decimal, bool) {
	scaled := new(big.Rat).Set(r)
	ten := big.NewRat(10, 1)
	for scale := 0; scale <= maxScale; scale++ {
		if scaled.IsInt() {
			return Decimal{s: r.FloatString(scale)}, true
		}
		scaled.Mul(scaled, ten)
	}
	return Decimal{}, false
}

// IsZero reports whether d holds no number.
func (d Decimal) IsZero() bool { return d.s == "" }

// String writes the number as it is answered.
func (d Decimal) String() string { return d.s }

// Rat is the number's exact value; zero when d holds no number.
func (d Decimal) Rat() *big.Rat {
	r, ok := new(big.Rat).SetString(d.s)
	if !ok {
		return new(big.Rat)
	}
	return r
}

// Cmp compares d with e: -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int { return d.Rat().Cmp(e.Rat()) }

// IsInt reports whether d is a whole number.
func (d Decimal) IsInt() bool { return d.Rat().IsInt() }

// Scale is the number of decimal places d is written with.
func (d Decimal) Scale() int {
	if i := strings.IndexByte(d.s, '.'); i >= 0 {
		return len(d.s) - i - 1
	}
	return 0
}

// MarshalJSON writes the number as a JSON number, digit for digit.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d.s == "" {
		return []byte("null"), nil
	}
	return []byte(d.s), nil
}

// UnmarshalJSON reads a JSON number; null leaves d empty.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Decimal{}
		return nil
	}
	v, ok := ParseDecimal(string(b))
	if !ok {
		return errors.New("not a decimal number")
	}
	*d = v
	return nil
}

// BMI is the body-mass index, weight / height² (kg/m²), rounded half up to one decimal place. It is
// zero when either measure is missing.
func BMI(weightKg, heightCm Decimal) Decimal {
	if weightKg.IsZero() || heightCm.IsZero() {
		return Decimal{}
	}
	h := heightCm.Rat()
	// weight / (height/100)² · 10, plus one half, floored: the index in tenths, rounded half up.
	tenths := new(big.Rat).Mul(weightKg.Rat(), big.NewRat(100000, 1))
	tenths.Quo(tenths, new(big.Rat).Mul(h, h))
	tenths.Add(tenths, big.NewRat(1, 2))
	n := new(big.Int).Quo(tenths.Num(), tenths.Denom())
	return Decimal{s: new(big.Rat).SetFrac(n, big.NewInt(10)).FloatString(1)}
}
