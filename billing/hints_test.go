package billing_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// TestBookingsPricedFromMemoryFollowEveryChange: a listener that remembers how it priced bookings of
// patients without money records still writes, after each change to what an invoice is priced from,
// exactly the preview of the visit: a branch price, a consumable, a tier rule, a package of the
// patient's, a policy bought by another.
func TestBookingsPricedFromMemoryFollowEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{billing.NewSessionListener()}})
	c := schedtest.NewClinic(t, b.Svc)
	store := billing.NewStore(b.Pool, nil)
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := b.Pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	patients := make([]scheduling.ID, 8)
	for i := range patients {
		patients[i] = c.AddPatient(t, b.Svc, i).ID
	}
	slot := 0
	bookAndCompare := func(patient scheduling.ID, step string) billing.Invoice {
		t.Helper()
		in := c.Booking(c.At(5+slot/8, []int{8, 9, 10, 11, 14, 15, 16, 17}[slot%8], 0))
		in.PatientID = patient
		sess, err := b.Svc.Book(ctx, "desk", in)
		require.NoError(t, err, step)
		saved, err := store.SessionInvoice(ctx, sess.ID)
		require.NoError(t, err, step)
		preview, err := store.Preview(ctx, billing.PreviewInput{PatientID: patient, BranchID: c.Branch.ID,
			ExaminationIDs: in.ExaminationIDs, Date: sess.Start.Format("2006-01-02")})
		require.NoError(t, err, step)
		got := saved.Invoice
		got.Status = preview.Status
		require.Equal(t, preview, got, step)
		slot++
		return got
	}

	first := bookAndCompare(patients[0], "first booking, read from the database")
	again := bookAndCompare(patients[1], "second booking, priced from memory")
	require.Equal(t, first.Total, again.Total)

	exec(`INSERT INTO examination_prices (examination_id, branch_id, price) VALUES ($1, $2, 7777)`, c.Consultation.ID, c.Branch.ID)
	require.EqualValues(t, 7777, bookAndCompare(patients[2], "after a branch price").Subtotal)

	var item scheduling.ID
	require.NoError(t, b.Pool.QueryRow(ctx, `INSERT INTO inventory_items (code, name, unit_price, created_at)
		VALUES ('SW', 'Swab', 150, now()) RETURNING id`).Scan(&item))
	exec(`INSERT INTO examination_consumables (examination_id, item_id, quantity) VALUES ($1, $2, 2)`, c.Consultation.ID, item)
	require.Len(t, bookAndCompare(patients[3], "after a consumable").Lines, 2)

	exec(`INSERT INTO loyalty_tiers (name, threshold, discount_bp) VALUES ('Everyone', 0, 1000)`)
	require.Positive(t, bookAndCompare(patients[4], "after a tier rule").Discount)

	_, err := store.AddPackage(ctx, "test", patients[5], billing.PackageInput{Name: "One consultation",
		ExaminationIDs: []scheduling.ID{c.Consultation.ID}, Uses: ptr[int64](1)})
	require.NoError(t, err)
	require.Positive(t, bookAndCompare(patients[5], "after a package of the patient's").PackageCovered)

	_, err = store.PutInsurance(ctx, "test", patients[6], billing.PolicyInput{Insurer: "Acme", CoverageBP: ptr[int64](5000),
		AnnualDeductible: ptr[int64](0), ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
	require.NoError(t, err)
	require.Positive(t, bookAndCompare(patients[6], "after a policy of the patient's").InsuranceCovered)
	bookAndCompare(patients[7], "a patient without records after all that")
}
