package billing

import (
	"context"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// CommissionLine is what one beneficiary earned at a branch in one currency over a report's range:
// the entries written when invoices were issued, less those their credit notes wrote (DESIGN 3.4).
// The manager's commission is the branch's, so it has no doctor.
type CommissionLine struct {
	BranchID    scheduling.ID  `json:"branch_id"`
	BranchName  string         `json:"branch_name"`
	Beneficiary string         `json:"beneficiary"`
	DoctorID    *scheduling.ID `json:"doctor_id"`
	DoctorName  *string        `json:"doctor_name"`
	Currency    string         `json:"currency"`
	Amount      int64          `json:"amount"`
	Entries     int64          `json:"entries"`
}

// CommissionReport is commission per doctor and manager over a range, with a total per currency.
type CommissionReport struct {
	From     string           `json:"from"`
	To       string           `json:"to"`
	BranchID *scheduling.ID   `json:"branch_id"`
	Items    []CommissionLine `json:"items"`
	Totals   []MoneyTotal     `json:"totals"`
}

// Commission reports commission entries written between q.From and q.To, each day read in its
// branch's time zone, summed per branch, beneficiary, doctor and currency.
func (s *Store) Commission(ctx context.Context, q ReportQuery) (*CommissionReport, error) {
	if err := s.checkRange(ctx, q); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT e.branch_id, b.name, e.beneficiary, e.doctor_id, d.name, i.currency,
			sum(e.amount), count(*)
		FROM commission_entries e
		JOIN branches b ON b.id = e.branch_id
		JOIN invoices i ON i.id = e.invoice_id
		LEFT JOIN doctors d ON d.id = e.doctor_id
		WHERE (e.created_at AT TIME ZONE b.timezone)::date BETWEEN $1::date AND $2::date
			AND ($3::bigint IS NULL OR e.branch_id = $3)
		GROUP BY e.branch_id, b.name, e.beneficiary, e.doctor_id, d.name, i.currency
		ORDER BY b.name, e.branch_id, e.beneficiary, d.name, e.doctor_id, i.currency`, q.From, q.To, q.BranchID)
	if err != nil {
		return nil, wrapReport("commission", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (CommissionLine, error) {
		var l CommissionLine
		return l, row.Scan(&l.BranchID, &l.BranchName, &l.Beneficiary, &l.DoctorID, &l.DoctorName, &l.Currency, &l.Amount, &l.Entries)
	})
	if err != nil {
		return nil, wrapReport("commission", err)
	}
	r := &CommissionReport{From: q.From, To: q.To, BranchID: q.BranchID, Items: items, Totals: []MoneyTotal{}}
	for _, l := range items {
		r.Totals = addTotal(r.Totals, l.Currency, l.Amount)
	}
	return r, nil
}
