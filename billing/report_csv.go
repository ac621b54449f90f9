package billing

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSV exports of the reports: a header row, amounts as decimals in their currency's digits, quoted
// as RFC 4180 says, with CRLF line ends.

// safeCell keeps a text cell from being read as a formula by a spreadsheet: one that starts with
// = + - @ (or a tab or carriage return, which some spreadsheets skip before such a sign) is
// prefixed with an apostrophe. Amounts and counts are written by us as plain numbers and need none.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// WriteCSV writes the report one row per branch, day and currency.
func (r *RevenueReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, 0, len(r.Days))
	for _, d := range r.Days {
		rows = append(rows, []string{d.Date, d.BranchID.String(), safeCell(d.BranchName), d.Currency, itoa(d.Invoices),
			itoa(d.CreditNotes), FormatMoney(d.PatientShare, d.Currency), FormatMoney(d.InsurerShare, d.Currency),
			FormatMoney(d.Tax, d.Currency), FormatMoney(d.Total, d.Currency)})
	}
	return writeCSV(w, []string{"date", "branch_id", "branch", "currency", "invoices", "credit_notes",
		"patient_share", "insurer_share", "tax", "total"}, rows)
}

// WriteCSV writes the report one row per branch, beneficiary, doctor and currency.
func (r *CommissionReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, 0, len(r.Items))
	for _, l := range r.Items {
		doctorID, doctor := "", ""
		if l.DoctorID != nil {
			doctorID = l.DoctorID.String()
		}
		if l.DoctorName != nil {
			doctor = *l.DoctorName
		}
		rows = append(rows, []string{l.BranchID.String(), safeCell(l.BranchName), l.Beneficiary, doctorID, safeCell(doctor),
			l.Currency, FormatMoney(l.Amount, l.Currency), itoa(l.Entries)})
	}
	return writeCSV(w, []string{"branch_id", "branch", "beneficiary", "doctor_id", "doctor", "currency", "amount", "entries"}, rows)
}

// WriteCSV writes the report one row per branch and item.
func (r *StockReport) WriteCSV(w io.Writer) error {
	rows := make([][]string, 0, len(r.Items))
	for _, l := range r.Items {
		below := "no"
		if l.Below {
			below = "yes"
		}
		rows = append(rows, []string{l.BranchID.String(), safeCell(l.BranchName), l.ItemID.String(), safeCell(l.Code),
			safeCell(l.Name), safeCell(l.Unit), itoa(l.Quantity), itoa(l.ReorderLevel), below})
	}
	return writeCSV(w, []string{"branch_id", "branch", "item_id", "code", "item", "unit", "quantity", "reorder_level",
		"below_reorder_level"}, rows)
}
