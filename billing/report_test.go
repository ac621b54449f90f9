package billing_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
)

// TestReportsOfADay: two visits issued on 4 January, the second credited late that evening. Revenue
// counts both invoices and takes the credited one back; commission keeps only what the first visit
// earned; the electrodes fall below their reorder level.
func TestReportsOfADay(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	*d.Clock = d.c.At(4, 18, 0)
	first := d.book(t, d.c.At(4, 8, 0), d.ecg)
	second := d.book(t, d.c.At(4, 9, 0), d.consultation, d.ecg)
	a, err := d.store.SessionInvoice(ctx, first.ID)
	require.NoError(t, err)
	b, err := d.store.SessionInvoice(ctx, second.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusIssued, a.Status)
	require.Equal(t, billing.StatusIssued, b.Status)
	*d.Clock = d.c.At(4, 23, 30)
	_, err = d.store.Credit(ctx, "owner", b.ID, billing.CreditNoteInput{Reason: "wrong patient"})
	require.NoError(t, err)
	require.NoError(t, d.store.SetReorderLevel(ctx, d.electrode, d.branch, 9))

	day := billing.ReportQuery{From: "2027-01-04", To: "2027-01-04"}
	rev, err := d.store.Revenue(ctx, day)
	require.NoError(t, err)
	require.Len(t, rev.Days, 1)
	got := rev.Days[0]
	require.Equal(t, "2027-01-04", got.Date)
	require.Equal(t, "Lisbon", got.BranchName)
	require.Equal(t, "EUR", got.Currency)
	require.Equal(t, int64(2), got.Invoices)
	require.Equal(t, int64(1), got.CreditNotes)
	require.Equal(t, a.Total, got.Total)
	require.Equal(t, a.Tax, got.Tax)
	require.Equal(t, a.PatientTotal, got.PatientShare)
	require.Equal(t, a.InsuranceCovered, got.InsurerShare)
	require.Equal(t, got.Total, got.PatientShare+got.InsurerShare)
	require.Equal(t, []billing.RevenueTotal{{Currency: "EUR", Invoices: 2, CreditNotes: 1, PatientShare: a.PatientTotal,
		InsurerShare: a.InsuranceCovered, Tax: a.Tax, Total: a.Total}}, rev.Totals)

	next, err := d.store.Revenue(ctx, billing.ReportQuery{From: "2027-01-05", To: "2027-01-31", BranchID: &d.branch})
	require.NoError(t, err)
	require.Empty(t, next.Days)
	require.Empty(t, next.Totals)

	com, err := d.store.Commission(ctx, day)
	require.NoError(t, err)
	require.Len(t, com.Items, 2)
	doctor, manager := com.Items[0], com.Items[1]
	require.Equal(t, billing.BeneficiaryDoctor, doctor.Beneficiary)
	require.Equal(t, d.doc, *doctor.DoctorID)
	require.Equal(t, int64(700), doctor.Amount) // two ECGs at 7.00, one taken back
	require.Equal(t, int64(3), doctor.Entries)
	require.Equal(t, billing.BeneficiaryManager, manager.Beneficiary)
	require.Nil(t, manager.DoctorID)
	require.Equal(t, int64(0), manager.Amount) // the credited consultation's 5.00 and its reversal
	require.Equal(t, []billing.MoneyTotal{{Currency: "EUR", Amount: 700}}, com.Totals)

	stock, err := d.store.StockLevels(ctx, &d.branch)
	require.NoError(t, err)
	require.Len(t, stock.Items, 2)
	require.Equal(t, 1, stock.Below)
	require.Equal(t, d.electrode, stock.Items[0].ItemID)
	require.Equal(t, int64(8), stock.Items[0].Quantity) // 10, two ECGs, one credited
	require.True(t, stock.Items[0].Below)
	require.False(t, stock.Items[1].Below) // the gel has no level
	require.NoError(t, d.store.SetReorderLevel(ctx, d.electrode, d.branch, 8))
	stock, err = d.store.StockLevels(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, stock.Below)
}

// TestReportRefusals: reversed, over-long or unreadable ranges and unknown branches are refused.
func TestReportRefusals(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	missing := scheduling.ID(999999)
	for name, q := range map[string]billing.ReportQuery{
		"to before from": {From: "2027-01-05", To: "2027-01-04"},
		"over 366 days":  {From: "2027-01-01", To: "2028-01-02"},
		"not a date":     {From: "2027-13-01", To: "2027-12-01"},
		"missing to":     {From: "2027-01-01"},
		"unknown branch": {From: "2027-01-01", To: "2027-01-31", BranchID: &missing},
	} {
		_, err := d.store.Revenue(ctx, q)
		require.Error(t, err, name)
		var de *scheduling.Error
		require.ErrorAs(t, err, &de, name)
		_, err = d.store.Commission(ctx, q)
		require.ErrorAs(t, err, &de, name)
	}
	_, err := d.store.Revenue(ctx, billing.ReportQuery{From: "2027-01-01", To: "2028-01-01"})
	require.NoError(t, err, "366 days are allowed")
	_, err = d.store.StockLevels(ctx, &missing)
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), "%v", err)
	require.Error(t, d.store.SetReorderLevel(ctx, d.electrode, d.branch, -1))
}
