package billing

import (
	"context"
	"fmt"
	"time"

	"clinic/scheduling"
)

// MaxReportDays bounds a report's date range, both days included.
const MaxReportDays = 366

// ReportQuery chooses what a report covers: the days From to To (YYYY-MM-DD, both included, read at
// each branch in its own time zone) and optionally one branch.
type ReportQuery struct {
	From     string
	To       string
	BranchID *scheduling.ID
}

// checkRange validates the dates of q, and its branch when one is named.
func (s *Store) checkRange(ctx context.Context, q ReportQuery) error {
	if q.From == "" || q.To == "" {
		return scheduling.Invalid("missing_range", "a report needs both from and to dates (YYYY-MM-DD)")
	}
	from, err := scheduling.ParseDate(q.From)
	if err != nil {
		return err
	}
	to, err := scheduling.ParseDate(q.To)
	if err != nil {
		return err
	}
	a := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, time.UTC)
	if b.Before(a) {
		return scheduling.Invalid("invalid_range", "the report ends on %s, before it starts on %s", q.To, q.From)
	}
	if days := int(b.Sub(a).Hours()/24) + 1; days > MaxReportDays {
		return scheduling.Invalid("range_too_long", "a report covers at most %d days; %s to %s is %d days", MaxReportDays, q.From, q.To, days)
	}
	return s.checkBranch(ctx, q.BranchID)
}

func (s *Store) checkBranch(ctx context.Context, id *scheduling.ID) error {
	if id == nil {
		return nil
	}
	return rowExists(ctx, s.db, "branches", "branch", *id)
}

// FormatMoney writes an amount in minor units as a decimal in its currency's digits (12345 EUR →
// "123.45"), for exports; an unknown currency is written with two digits.
func FormatMoney(amount int64, currency string) string {
	digits, ok := scheduling.CurrencyDigits(currency)
	if !ok {
		digits = 2
	}
	return formatMinor(amount, digits)
}

// MoneyTotal is a sum in one currency: amounts of different currencies are never added together.
type MoneyTotal struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

// addTotal adds amount to the total of its currency in totals, keeping first-seen order.
func addTotal(totals []MoneyTotal, currency string, amount int64) []MoneyTotal {
	for i := range totals {
		if totals[i].Currency == currency {
			totals[i].Amount += amount
			return totals
		}
	}
	return append(totals, MoneyTotal{Currency: currency, Amount: amount})
}

func wrapReport(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s report: %w", what, err)
}
