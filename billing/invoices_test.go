package billing_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// desk is the standard clinic with invoices kept: the branch taxes at 23%, the ECG is taxable and
// uses two billable electrodes and a tube of gel included in its price (10 electrodes and 5 tubes
// in stock); the consultation pays the doctor 10% and the manager 5.00, the ECG the doctor 7.00.
// The patient has a package of two consultations, a policy (80% after a 20.00 deductible, 100.00
// limit) and a 5% loyalty tier.
type desk struct {
	*schedtest.Bundle
	c                    *schedtest.Clinic
	store                *billing.Store
	electrode, gel, pkg  scheduling.ID
	policy               scheduling.ID
	consultation, ecg    scheduling.ID
	patient, branch, doc scheduling.ID
}

func newDesk(t *testing.T) *desk {
	t.Helper()
	ctx := context.Background()
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{billing.SessionListener}})
	clock := func() time.Time { return *b.Clock }
	c := schedtest.NewClinic(t, b.Svc)
	d := &desk{Bundle: b, c: c, store: billing.NewStore(b.Pool, clock), consultation: c.Consultation.ID, ecg: c.ECG.ID,
		patient: c.Patient.ID, branch: c.Branch.ID, doc: c.Doctor.ID}
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := b.Pool.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	exec(`UPDATE branches SET tax_rate_bp = 2300 WHERE id = $1`, d.branch)
	exec(`UPDATE examinations SET taxable = true WHERE id = $1`, d.ecg)
	require.NoError(t, b.Pool.QueryRow(ctx, `INSERT INTO inventory_items (code, name, unit_price, billable, created_at)
		VALUES ('EL', 'Electrode', 200, true, $1) RETURNING id`, *b.Clock).Scan(&d.electrode))
	require.NoError(t, b.Pool.QueryRow(ctx, `INSERT INTO inventory_items (code, name, unit_price, billable, created_at)
		VALUES ('GEL', 'Gel', 300, false, $1) RETURNING id`, *b.Clock).Scan(&d.gel))
	exec(`INSERT INTO examination_consumables (examination_id, item_id, quantity) VALUES ($1, $2, 2), ($1, $3, 1)`, d.ecg, d.electrode, d.gel)
	exec(`INSERT INTO inventory_stock (item_id, branch_id, quantity, updated_at) VALUES ($1, $3, 10, $4), ($2, $3, 5, $4)`,
		d.electrode, d.gel, d.branch, *b.Clock)
	exec(`INSERT INTO commission_rules (examination_id, beneficiary, percent_bp, fixed) VALUES
		($1, 'doctor', 1000, NULL), ($1, 'manager', NULL, 500), ($2, 'doctor', NULL, 700)`, d.consultation, d.ecg)
	pkg, err := d.store.AddPackage(ctx, "test", d.patient, billing.PackageInput{Name: "Two consultations",
		ExaminationIDs: []scheduling.ID{d.consultation}, Uses: ptr[int64](2)})
	require.NoError(t, err)
	d.pkg = pkg.ID
	pol, err := d.store.PutInsurance(ctx, "test", d.patient, billing.PolicyInput{Insurer: "Acme", CoverageBP: ptr[int64](8000),
		AnnualDeductible: ptr[int64](2000), AnnualLimit: ptr[int64](10000), ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
	require.NoError(t, err)
	d.policy = pol.ID
	_, err = d.store.PutLoyalty(ctx, "test", d.patient, billing.LoyaltyInput{TierDiscountBP: ptr[int64](500)})
	require.NoError(t, err)
	return d
}

// balances is every record an issued invoice moves.
type balances struct {
	UsesLeft, Points, DeductibleUsed, InsurerPaid, Electrodes, Gel, Commission int64
}

func (d *desk) balances(t *testing.T) balances {
	t.Helper()
	var b balances
	require.NoError(t, d.Pool.QueryRow(context.Background(), `SELECT
		(SELECT uses_left FROM patient_packages WHERE id = $1),
		(SELECT COALESCE(sum(points), 0) FROM loyalty_accounts WHERE patient_id = $2),
		(SELECT COALESCE(sum(deductible_used), 0) FROM policy_usage WHERE policy_id = $3),
		(SELECT COALESCE(sum(insurer_paid), 0) FROM policy_usage WHERE policy_id = $3),
		(SELECT quantity FROM inventory_stock WHERE item_id = $4),
		(SELECT quantity FROM inventory_stock WHERE item_id = $5),
		(SELECT COALESCE(sum(amount), 0) FROM commission_entries)`, d.pkg, d.patient, d.policy, d.electrode, d.gel).
		Scan(&b.UsesLeft, &b.Points, &b.DeductibleUsed, &b.InsurerPaid, &b.Electrodes, &b.Gel, &b.Commission))
	return b
}

func (d *desk) book(t *testing.T, start time.Time, exams ...scheduling.ID) *scheduling.Session {
	t.Helper()
	sess, err := d.Svc.Book(context.Background(), "desk", d.c.Booking(start, exams...))
	require.NoError(t, err)
	return sess
}

// TestSavedInvoiceEqualsPreview: the invoice built at booking is the preview of the same visit to the
// cent, over random prices, tax rates, discounts, consumables, packages and policies (DESIGN 3.4: one function serves both).
func TestSavedInvoiceEqualsPreview(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 24 {
		_, err := d.Pool.Exec(ctx, `UPDATE branches SET tax_rate_bp = $2 WHERE id = $1`, d.branch, rng.Int64N(3000))
		require.NoError(t, err)
		_, err = d.Pool.Exec(ctx, `UPDATE examinations SET price = $2 WHERE id = $1`, d.consultation, 1+rng.Int64N(100000))
		require.NoError(t, err)
		_, err = d.Pool.Exec(ctx, `UPDATE inventory_items SET unit_price = $2 WHERE id = $1`, d.electrode, rng.Int64N(5000))
		require.NoError(t, err)
		_, err = d.Pool.Exec(ctx, `UPDATE insurance_policies SET coverage_bp = $2, annual_deductible = $3 WHERE id = $1`,
			d.policy, rng.Int64N(10001), rng.Int64N(20000))
		require.NoError(t, err)
		_, err = d.Pool.Exec(ctx, `UPDATE loyalty_accounts SET tier_discount_bp = $2 WHERE patient_id = $1`, d.patient, rng.Int64N(5000))
		require.NoError(t, err)
		_, err = d.Pool.Exec(ctx, `UPDATE examination_consumables SET quantity = $2, billable = $3 WHERE item_id = $1`,
			d.electrode, 1+rng.Int64N(5), rng.IntN(2) == 0)
		require.NoError(t, err)
		_, err = d.Pool.Exec(ctx, `UPDATE insurance_policies SET annual_limit = $2 WHERE id = $1`, d.policy, rng.Int64N(30000))
		require.NoError(t, err)
		if rng.IntN(3) == 0 {
			exam := []scheduling.ID{d.ecg, d.consultation}[rng.IntN(2)]
			_, err = d.store.AddPackage(ctx, "test", d.patient, billing.PackageInput{Name: "Random",
				ExaminationIDs: []scheduling.ID{exam}, Uses: ptr(1 + rng.Int64N(3))})
			require.NoError(t, err)
		}
		exams := []scheduling.ID{d.ecg, d.consultation}
		if i%3 == 0 {
			exams = exams[:1]
		}
		sess := d.book(t, d.c.At(5+i/8, []int{8, 9, 10, 11, 14, 15, 16, 17}[i%8], 0), exams...)
		saved, err := d.store.SessionInvoice(ctx, sess.ID)
		require.NoError(t, err)
		require.NotNil(t, saved)
		require.Equal(t, billing.StatusDraft, saved.Status)
		preview, err := d.store.Preview(ctx, billing.PreviewInput{PatientID: d.patient, BranchID: d.branch,
			ExaminationIDs: exams, Date: sess.Start.Format("2006-01-02")})
		require.NoError(t, err)
		got := saved.Invoice
		got.Status = preview.Status
		require.Equal(t, preview, got, "booking %d", i)
	}
}

// TestCompletionSideEffectsOnce: two completions of one session at once issue one invoice with one
// number and move every balance once; the credit note brings every balance back.
func TestCompletionSideEffectsOnce(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	before := d.balances(t)
	sess := d.book(t, d.c.At(4, 9, 0), d.consultation, d.ecg)
	_, err := d.Svc.Open(ctx, "doctor", sess.ID)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = d.Svc.Complete(ctx, "doctor", sess.ID)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			require.True(t, scheduling.IsCode(err, scheduling.CodeInvalidTransition), "%v", err)
		}
	}
	require.Equal(t, 1, won)

	inv, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusIssued, inv.Status)
	require.Equal(t, "INV-"+sess.BranchID.String()+"-000001", *inv.Number)
	after := d.balances(t)
	// Consultation 60.00 by the package; ECG 60.00 − 5% = 57.00 + 23% = 70.11, electrodes 2 × 2.00
	// − 5% = 3.80 + 0.87 = 4.67; deductible 20.00 first, then 80%.
	require.Equal(t, before.UsesLeft-1, after.UsesLeft)
	require.Equal(t, int64(8), after.Electrodes)
	require.Equal(t, int64(4), after.Gel)
	require.Equal(t, int64(2000), after.DeductibleUsed)
	require.Equal(t, inv.InsuranceCovered, after.InsurerPaid)
	require.Equal(t, (inv.AmountDue+50)/100, after.Points) // 1 point per 1.00 paid, the default rate
	require.Equal(t, int64(500+700), after.Commission)     // the covered consultation's net is zero
	var entries, moves int
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM commission_entries), (SELECT count(*) FROM stock_movements)`).
		Scan(&entries, &moves))
	require.Equal(t, 2, entries)
	require.Equal(t, 2, moves)

	// A retry after completion is refused and moves nothing.
	_, err = d.Svc.Complete(ctx, "doctor", sess.ID)
	require.True(t, scheduling.IsCode(err, scheduling.CodeInvalidTransition))
	require.Equal(t, after, d.balances(t))

	note, err := d.store.Credit(ctx, "owner", inv.ID, billing.CreditNoteInput{Reason: "wrong examination"})
	require.NoError(t, err)
	require.Equal(t, inv.Total, note.Amount)
	require.Equal(t, before, d.balances(t))
	inv, err = d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusCredited, inv.Status)
	require.NotNil(t, inv.CreditNote)
	_, err = d.store.Credit(ctx, "owner", inv.ID, billing.CreditNoteInput{Reason: "again"})
	require.True(t, scheduling.IsCode(err, "invoice_not_issued"), "%v", err)
}

// TestDraftFollowsTheSession: changing examinations prices the draft again, cancelling voids it, and
// a back-dated visit is issued as it is booked.
func TestDraftFollowsTheSession(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	sess := d.book(t, d.c.At(5, 9, 0), d.ecg)
	first, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	_, err = d.Svc.SetExaminations(ctx, "desk", sess.ID, []scheduling.ID{d.ecg, d.consultation})
	require.NoError(t, err)
	second, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Equal(t, first.ID, second.ID)
	require.Len(t, second.Lines, len(first.Lines)+1)
	_, err = d.Svc.Cancel(ctx, "desk", sess.ID, "feels better")
	require.NoError(t, err)
	voided, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusVoid, voided.Status)

	*d.Clock = d.c.At(4, 18, 0)
	past := d.book(t, d.c.At(4, 8, 0), d.ecg)
	require.Equal(t, scheduling.StatusCompleted, past.Status)
	inv, err := d.store.SessionInvoice(ctx, past.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusIssued, inv.Status)
	require.Equal(t, int64(8), d.balances(t).Electrodes)
}

// TestDeleteRefusedOnceMoneyMoved: a draft goes with its session; a payment or an issued invoice
// keeps the session.
func TestDeleteRefusedOnceMoneyMoved(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	free := d.book(t, d.c.At(5, 9, 0), d.ecg)
	require.NoError(t, d.Svc.Delete(ctx, "owner", free.ID))

	paid := d.book(t, d.c.At(5, 10, 0), d.ecg)
	inv, err := d.store.SessionInvoice(ctx, paid.ID)
	require.NoError(t, err)
	_, err = d.store.AddPayment(ctx, "desk", inv.ID, billing.PaymentInput{Amount: ptr[int64](100), Method: "cash"})
	require.NoError(t, err)
	err = d.Svc.Delete(ctx, "owner", paid.ID)
	require.True(t, scheduling.IsCode(err, scheduling.CodeFinancialHistory), "%v", err)

	issued := d.book(t, d.c.At(5, 11, 0), d.ecg)
	inv, err = d.store.SessionInvoice(ctx, issued.ID)
	require.NoError(t, err)
	_, err = d.store.Issue(ctx, "desk", inv.ID)
	require.NoError(t, err)
	err = d.Svc.Delete(ctx, "owner", issued.ID)
	require.True(t, scheduling.IsCode(err, scheduling.CodeFinancialHistory), "%v", err)
	// Completing an invoice issued early moves nothing again.
	moved := d.balances(t)
	*d.Clock = d.c.At(5, 11, 5)
	_, err = d.Svc.Open(ctx, "doctor", issued.ID)
	require.NoError(t, err)
	_, err = d.Svc.Complete(ctx, "doctor", issued.ID)
	require.NoError(t, err)
	require.Equal(t, moved, d.balances(t))
}

// TestPaymentsNeverExceedDue: partial payments add up to the amount due and no further; a refused
// payment writes nothing.
func TestPaymentsNeverExceedDue(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	sess := d.book(t, d.c.At(5, 9, 0), d.ecg)
	inv, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Positive(t, inv.AmountDue)
	_, err = d.store.AddPayment(ctx, "desk", inv.ID, billing.PaymentInput{Amount: ptr(inv.AmountDue - 1), Method: "card"})
	require.NoError(t, err)
	for _, in := range []billing.PaymentInput{
		{Amount: ptr[int64](2), Method: "cash"},
		{Amount: ptr[int64](0), Method: "cash"},
		{Amount: ptr[int64](-5), Method: "cash"},
		{Amount: ptr[int64](1), Method: "cheque"},
		{Amount: ptr[int64](1), Method: "cash", Currency: "USD"},
		{Method: "cash"},
	} {
		_, err = d.store.AddPayment(ctx, "desk", inv.ID, in)
		require.Error(t, err)
	}
	_, err = d.store.AddPayment(ctx, "desk", 999999, billing.PaymentInput{Amount: ptr[int64](1), Method: "cash"})
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound))
	got, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Len(t, got.Payments, 1)
	require.Equal(t, int64(1), got.Due)
	_, err = d.store.AddPayment(ctx, "desk", inv.ID, billing.PaymentInput{Amount: ptr[int64](1), Method: "transfer", Currency: "EUR"})
	require.NoError(t, err)
	got, err = d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Zero(t, got.Due)
}

// TestIssueRacesCompletion: staff issuing the invoice while the doctor completes the visit give one
// issued invoice and one set of side effects, whichever comes first.
func TestIssueRacesCompletion(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	before := d.balances(t)
	sess := d.book(t, d.c.At(4, 9, 0), d.ecg)
	inv, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	_, err = d.Svc.Open(ctx, "doctor", sess.ID)
	require.NoError(t, err)
	var wg sync.WaitGroup
	var issueErr, completeErr error
	wg.Add(2)
	go func() { defer wg.Done(); _, issueErr = d.store.Issue(ctx, "desk", inv.ID) }()
	go func() { defer wg.Done(); _, completeErr = d.Svc.Complete(ctx, "doctor", sess.ID) }()
	wg.Wait()
	require.NoError(t, completeErr)
	if issueErr != nil {
		require.True(t, scheduling.IsCode(issueErr, "invoice_not_draft"), "%v", issueErr)
	}
	after := d.balances(t)
	require.Equal(t, before.Electrodes-2, after.Electrodes)
	require.Equal(t, before.Gel-1, after.Gel)
	require.Equal(t, int64(700), after.Commission)
	var series int64
	require.NoError(t, d.Pool.QueryRow(ctx, `SELECT last_number FROM invoice_series WHERE kind = 'invoice'`).Scan(&series))
	require.Equal(t, int64(1), series)
}

// TestCompletionAfterTheCatalogChanged: an examination no longer offered at the branch does not stop
// the visit it was booked in from ending: the draft is issued as last priced.
func TestCompletionAfterTheCatalogChanged(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	sess := d.book(t, d.c.At(4, 9, 0), d.ecg)
	draft, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	_, err = d.Pool.Exec(ctx, `DELETE FROM examination_branches WHERE examination_id = $1`, d.ecg)
	require.NoError(t, err)
	_, err = d.Svc.Open(ctx, "doctor", sess.ID)
	require.NoError(t, err)
	_, err = d.Svc.Complete(ctx, "doctor", sess.ID)
	require.NoError(t, err)
	inv, err := d.store.SessionInvoice(ctx, sess.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusIssued, inv.Status)
	require.Equal(t, draft.Lines, inv.Lines)
	require.Equal(t, int64(8), d.balances(t).Electrodes)
}

// TestSpendingTiersNeverAddCurrencies: with tiers by amount paid, what a patient paid in one currency
// does not count toward a tier in another; the account shows the tier reached in one currency, which
// is the tier the preview of a visit in that currency applies.
func TestSpendingTiersNeverAddCurrencies(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	_, err := d.store.PutLoyalty(ctx, "test", d.patient, billing.LoyaltyInput{TierFromRules: true})
	require.NoError(t, err)
	paid := func(day int) int64 {
		t.Helper()
		sess := d.book(t, d.c.At(day, 9, 0), d.ecg)
		inv, err := d.store.SessionInvoice(ctx, sess.ID)
		require.NoError(t, err)
		_, err = d.store.AddPayment(ctx, "desk", inv.ID, billing.PaymentInput{Amount: ptr(inv.AmountDue), Method: "cash"})
		require.NoError(t, err)
		return inv.AmountDue
	}
	first := paid(5)
	require.Positive(t, first)
	// The first visit was at a branch in pounds.
	_, err = d.Pool.Exec(ctx, `UPDATE invoices SET currency = 'GBP' WHERE patient_id = $1`, d.patient)
	require.NoError(t, err)
	_, err = d.store.PutLoyaltyRules(ctx, billing.LoyaltyRulesInput{TierBasis: ptr(billing.TierBySpent),
		Tiers: &[]billing.LoyaltyTier{{Name: "Gold", Threshold: first + 1, DiscountBP: 1000}}})
	require.NoError(t, err)
	second := paid(6)
	require.Equal(t, first, second, "the same visit costs the same")

	acct, err := d.store.Loyalty(ctx, d.patient)
	require.NoError(t, err)
	require.Equal(t, billing.TierNone, acct.TierSource, "%d GBP and %d EUR paid: neither reaches %d", first, second, first+1)
	preview, err := d.store.Preview(ctx, billing.PreviewInput{PatientID: d.patient, BranchID: d.branch,
		ExaminationIDs: []scheduling.ID{d.ecg}})
	require.NoError(t, err)
	require.Zero(t, preview.Discount)

	paid(7)
	acct, err = d.store.Loyalty(ctx, d.patient)
	require.NoError(t, err)
	require.Equal(t, "Gold", acct.TierName, "two visits paid in euros reach it")
	preview, err = d.store.Preview(ctx, billing.PreviewInput{PatientID: d.patient, BranchID: d.branch,
		ExaminationIDs: []scheduling.ID{d.ecg}})
	require.NoError(t, err)
	require.Positive(t, preview.Discount)
}
