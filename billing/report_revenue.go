package billing

import (
	"context"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// RevenueDay is what a branch invoiced on one of its days in one currency: issued invoices counted on
// the day they were issued, less the credit notes written that day (a credit note reverses its
// invoice whole, DESIGN 3.4). Amounts are minor units of Currency.
type RevenueDay struct {
	BranchID    scheduling.ID `json:"branch_id"`
	BranchName  string        `json:"branch_name"`
	Date        string        `json:"date"`
	Currency    string        `json:"currency"`
	Invoices    int64         `json:"invoices"`
	CreditNotes int64         `json:"credit_notes"`
	// PatientShare is what patients owe, before loyalty points; InsurerShare what insurers owe.
	PatientShare int64 `json:"patient_share"`
	InsurerShare int64 `json:"insurer_share"`
	Tax          int64 `json:"tax"`
	Total        int64 `json:"total"`
}

// RevenueTotal sums the report's days of one currency.
type RevenueTotal struct {
	Currency     string `json:"currency"`
	Invoices     int64  `json:"invoices"`
	CreditNotes  int64  `json:"credit_notes"`
	PatientShare int64  `json:"patient_share"`
	InsurerShare int64  `json:"insurer_share"`
	Tax          int64  `json:"tax"`
	Total        int64  `json:"total"`
}

// RevenueReport is revenue per branch and day over a range, with a total per currency.
type RevenueReport struct {
	From     string         `json:"from"`
	To       string         `json:"to"`
	BranchID *scheduling.ID `json:"branch_id"`
	Days     []RevenueDay   `json:"days"`
	Totals   []RevenueTotal `json:"totals"`
}

// Revenue reports revenue per branch and day between q.From and q.To, each day read in its branch's
// time zone. Drafts and void invoices are no revenue.
func (s *Store) Revenue(ctx context.Context, q ReportQuery) (*RevenueReport, error) {
	if err := s.checkRange(ctx, q); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `WITH moves AS (
			SELECT i.branch_id, (i.issued_at AT TIME ZONE b.timezone)::date AS day, i.currency,
				1 AS invoices, 0 AS credit_notes, i.patient_total, i.insurance_covered, i.tax, i.total
			FROM invoices i JOIN branches b ON b.id = i.branch_id
			WHERE i.status IN ('issued', 'credited')
			UNION ALL
			SELECT n.branch_id, (n.created_at AT TIME ZONE b.timezone)::date, i.currency,
				0, 1, -i.patient_total, -i.insurance_covered, -i.tax, -i.total
			FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id JOIN branches b ON b.id = n.branch_id)
		SELECT m.branch_id, b.name, to_char(m.day, 'YYYY-MM-DD'), m.currency, sum(m.invoices), sum(m.credit_notes),
			sum(m.patient_total), sum(m.insurance_covered), sum(m.tax), sum(m.total)
		FROM moves m JOIN branches b ON b.id = m.branch_id
		WHERE m.day BETWEEN $1::date AND $2::date AND ($3::bigint IS NULL OR m.branch_id = $3)
		GROUP BY m.branch_id, b.name, m.day, m.currency
		ORDER BY m.day, b.name, m.branch_id, m.currency`, q.From, q.To, q.BranchID)
	if err != nil {
		return nil, wrapReport("revenue", err)
	}
	days, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RevenueDay, error) {
		var d RevenueDay
		return d, row.Scan(&d.BranchID, &d.BranchName, &d.Date, &d.Currency, &d.Invoices, &d.CreditNotes,
			&d.PatientShare, &d.InsurerShare, &d.Tax, &d.Total)
	})
	if err != nil {
		return nil, wrapReport("revenue", err)
	}
	r := &RevenueReport{From: q.From, To: q.To, BranchID: q.BranchID, Days: days, Totals: []RevenueTotal{}}
	for _, d := range days {
		t := revenueTotal(r, d.Currency)
		t.Invoices += d.Invoices
		t.CreditNotes += d.CreditNotes
		t.PatientShare += d.PatientShare
		t.InsurerShare += d.InsurerShare
		t.Tax += d.Tax
		t.Total += d.Total
	}
	return r, nil
}

func revenueTotal(r *RevenueReport, currency string) *RevenueTotal {
	for i := range r.Totals {
		if r.Totals[i].Currency == currency {
			return &r.Totals[i]
		}
	}
	r.Totals = append(r.Totals, RevenueTotal{Currency: currency})
	return &r.Totals[len(r.Totals)-1]
}
