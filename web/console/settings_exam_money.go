package console

import (
	"strconv"
	"strings"

	"github.com/bojanz/currency"

	"clinic/scheduling"
)

// priceFormatter writes amounts as a person reads them (€85.00, $120.00, ¥3,000).
var priceFormatter = currency.NewFormatter(currency.NewLocale("en"))

// priceText is an amount in minor units of a currency, written as money: 8500 EUR is "€85.00". An
// unknown currency shows the bare number of minor units with its code, never a guess.
func priceText(minor int64, code string) string {
	a, err := currency.NewAmountFromInt64(minor, code)
	if err != nil {
		return strings.TrimSpace(strconv.FormatInt(minor, 10) + " " + code)
	}
	return priceFormatter.Format(a)
}

// priceInput is an amount as a form field shows it for editing: digits and the currency's decimal
// point, no symbol or grouping ("85.00", "3000").
func priceInput(minor int64, code string) string {
	digits, ok := scheduling.CurrencyDigits(code)
	if !ok {
		digits = 2
	}
	s := strconv.FormatInt(minor, 10)
	if digits == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= digits {
		s = "0" + s
	}
	s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	if neg {
		s = "-" + s
	}
	return s
}

// maxPriceDigits bounds the whole part of a typed price: a trillion is more than any examination costs,
// and far from the limit of the minor units' 64 bits.
const maxPriceDigits = 12

// parsePrice reads a price as a person types it ("85", "85.5", "85,50", "1,234.50", "€ 85") into
// minor units of the currency. ok is false for anything else: letters, a negative amount, more decimals
// than the currency has.
func parsePrice(s, code string) (minor int64, ok bool) {
	digits, known := scheduling.CurrencyDigits(code)
	if !known {
		digits = 2
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if sym, ok := currency.GetSymbol(code, currency.NewLocale("en")); ok {
		s = strings.TrimPrefix(s, sym)
	}
	s = strings.TrimPrefix(strings.TrimSuffix(s, code), code)
	if strings.Contains(s, ".") {
		s = strings.ReplaceAll(s, ",", "") // 1,234.50
	} else if strings.Count(s, ",") == 1 && len(s)-strings.Index(s, ",")-1 <= digits {
		s = strings.Replace(s, ",", ".", 1) // 85,50
	} else {
		s = strings.ReplaceAll(s, ",", "") // 1,234
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(whole) > maxPriceDigits || len(frac) > digits || !allDigits(whole) || !allDigits(frac) {
		return 0, false
	}
	frac += strings.Repeat("0", digits-len(frac))
	for _, r := range whole + frac {
		minor = minor*10 + int64(r-'0')
	}
	return minor, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
