package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/web/access"
)

// withCover gives the clinic's patient two prepaid consultations and an 80% policy with a €10.00
// deductible and a €500.00 yearly limit.
func (tb *testBundle) withCover(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	store := billing.NewStore(tb.Pool, tb.clock.Now)
	uses, coverage, deductible, limit := int64(2), int64(8000), int64(1000), int64(50000)
	_, err := store.AddPackage(ctx, "test", tb.clinic.Patient.ID, billing.PackageInput{Name: "Two consultations",
		ExaminationIDs: []scheduling.ID{tb.clinic.Consultation.ID}, Uses: &uses})
	require.NoError(t, err)
	_, err = store.PutInsurance(ctx, "test", tb.clinic.Patient.ID, billing.PolicyInput{Insurer: "Médis", CoverageBP: &coverage,
		AnnualDeductible: &deductible, AnnualLimit: &limit, ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
	require.NoError(t, err)
}

func (tb *testBundle) previewPath(patient int64, exams ...int64) string {
	q := url.Values{"branch": {fmt.Sprint(tb.clinic.Branch.ID)}, "day": {"2027-01-04"}}
	if patient != 0 {
		q.Set("patient", fmt.Sprint(patient))
	}
	for _, e := range exams {
		q.Add("exam", fmt.Sprint(e))
	}
	return "/console/book/invoice?" + q.Encode()
}

func TestInvoicePreviewCountsThePatientsPackageAndInsurance(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.withCover(t)
	br := tb.signedIn(t, access.Receptionist)
	c := tb.clinic
	p := br.get(tb.previewPath(int64(c.Patient.ID), int64(c.Consultation.ID), int64(c.ECG.ID)))
	require.Equal(t, http.StatusOK, p.status, p.body)
	// The consultation is prepaid; of the ECG's €60.00 the patient pays the €10.00 deductible and 20% of
	// the €50.00 left, the insurer the other €40.00.
	for _, want := range []string{"Consultation", "ECG", "package −€60.00", "insurance −€40.00",
		"<dt>Subtotal</dt><dd>€120.00</dd>", "<dt>Packages cover</dt><dd>−€60.00</dd>", "<dt>Total</dt><dd>€60.00</dd>",
		"<dt>Insurance pays</dt><dd>−€40.00</dd>", `<div class="invoice-strong"><dt>Patient pays</dt><dd>€20.00</dd>`,
		"After this visit: 1 use left on a package; €0.00 of the deductible left this year; €460.00 of the insurance limit left this year.",
		"<summary>How this was priced</summary>"} {
		require.Contains(t, p.body, want)
	}
	require.NotContains(t, p.body, "<html", "a fragment, not a page")

	// Only the consultation: nothing to pay.
	p = br.get(tb.previewPath(int64(c.Patient.ID), int64(c.Consultation.ID)))
	require.Contains(t, p.body, "<dt>Patient pays</dt><dd>€0.00</dd>")

	// The page itself shows the same preview before any script runs.
	p = br.get(fmt.Sprintf("/console/book?branch=%d&day=2027-01-04&exam=%d&exam=%d&patient=%d", c.Branch.ID, c.Consultation.ID, c.ECG.ID, c.Patient.ID))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `id="invoice-preview"`)
	require.Contains(t, p.body, "<dt>Patient pays</dt><dd>€20.00</dd>")
}

func TestInvoicePreviewSaysWhatIsMissing(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	c := tb.clinic
	p := br.get(tb.previewPath(0, int64(c.Consultation.ID)))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "Pick the patient to see what they will pay")
	require.Contains(t, br.get(tb.previewPath(int64(c.Patient.ID))).body, "Tick the examinations to see the invoice.")
	p = br.get(tb.previewPath(99999, int64(c.Consultation.ID)))
	require.Equal(t, http.StatusNotFound, p.status)
	require.Contains(t, p.body, "Patient 99999 not found.")

	// Without cover the patient pays the list price.
	p = br.get(tb.previewPath(int64(c.Patient.ID), int64(c.Consultation.ID)))
	require.Contains(t, p.body, "<dt>Patient pays</dt><dd>€60.00</dd>")
}

func TestInvoicePreviewIsForTheDesk(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	path := tb.previewPath(int64(c.Patient.ID), int64(c.Consultation.ID))
	require.Equal(t, http.StatusForbidden, tb.signedIn(t, access.Doctor).get(path).status)
	require.Equal(t, http.StatusSeeOther, tb.browser(t).get(path).status, "signed out: to the sign-in page")
	for _, role := range []access.Role{access.Owner, access.Manager} {
		require.Equal(t, http.StatusOK, tb.signedIn(t, role).get(path).status, role)
	}
}

func TestPercentWritesBasisPointsAsPeopleReadThem(t *testing.T) {
	t.Parallel()
	for bp, want := range map[int64]string{0: "0%", 5: "0.05%", 500: "5%", 750: "7.5%", 1000: "10%", 2350: "23.5%", 10000: "100%"} {
		require.Equal(t, want, percent(bp), bp)
	}
	require.Equal(t, "12.5", percentInput(1250))
}

// TestAMissingMoneyFragmentStopsStartUp: the invoice and money fragments are partials parsed with the
// layout; without one of them, or with one that no longer defines its fragment, the console does not start.
func TestAMissingMoneyFragmentStopsStartUp(t *testing.T) {
	t.Parallel()
	a, err := loadAssets(assetFS)
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		file    string
		replace []byte
	}{
		"no invoice fragment":        {file: "templates/partials/billing_invoice.html"},
		"no money fragment":          {file: "templates/partials/billing_money.html"},
		"money defined under a typo": {file: "templates/partials/billing_money.html", replace: []byte(`{{define "mony"}}x{{end}}`)},
	} {
		_, err := parsePages(withoutFile(t, tc.file, tc.replace), a)
		require.Errorf(t, err, name)
	}
}
