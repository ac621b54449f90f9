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

func (tb *testBundle) patientPath() string {
	return fmt.Sprintf("/console/patients/%d", tb.clinic.Patient.ID)
}

func (tb *testBundle) moneyStore() *billing.Store { return billing.NewStore(tb.Pool, tb.clock.Now) }

func TestPatientMoneyShowsPackagesInsuranceAndLoyaltyToTheDeskOnly(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.withCover(t)
	points, tier := int64(340), int64(500)
	_, err := tb.moneyStore().PutLoyalty(context.Background(), "test", tb.clinic.Patient.ID, billing.LoyaltyInput{Points: &points, TierDiscountBP: &tier})
	require.NoError(t, err)

	p := tb.signedIn(t, access.Receptionist).get(tb.patientPath())
	require.Equal(t, http.StatusOK, p.status)
	for _, want := range []string{`<h2>Money</h2>`, "<strong>Two consultations</strong> · 2 of 2 uses left · expires never",
		"<dd>Médis</dd>", "<dd>80% of all examinations</dd>", "<dd>€10.00 of €10.00</dd>", "<dd>€500.00 of €500.00</dd>",
		`<dd class="loyalty-points">340</dd>`, `<dd class="loyalty-tier">5%</dd>`, "Add a package", "Replace the insurance"} {
		require.Contains(t, p.body, want)
	}
	require.NotContains(t, p.body, "Adjust loyalty", "loyalty is the managers'")
	require.Contains(t, tb.signedIn(t, access.Manager).get(tb.patientPath()).body, "Adjust loyalty")

	doc := tb.signedIn(t, access.Doctor).get(tb.patientPath())
	require.Equal(t, http.StatusOK, doc.status)
	for _, money := range []string{"Money", "Médis", "Two consultations", "€"} {
		require.NotContains(t, doc.body, money, "doctors see no money")
	}
}

func TestPatientMoneyFormsSaveOrRefuseAtTheField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	token := csrf(t, br.get(tb.patientPath()))
	exam := fmt.Sprint(tb.clinic.Consultation.ID)
	ctx := context.Background()

	// A package without examinations and with words for uses: both fields say why, nothing is saved.
	p := br.post(tb.patientPath()+"/packages", url.Values{"csrf": {token}, "name": {"Ten sessions"}, "uses": {"ten"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Write the number of uses as a whole number, such as 10.")
	require.Contains(t, p.body, "Tick the examinations the package covers.")
	require.Contains(t, p.body, `value="Ten sessions"`, "the form keeps what was typed")
	// An expiry in the past is the store's refusal, shown at its field.
	p = br.post(tb.patientPath()+"/packages", url.Values{"csrf": {token}, "name": {"Ten sessions"}, "uses": {"10"},
		"expires_on": {"2026-12-31"}, "exam": {exam}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Regexp(t, `id="package-expires"[^>]*>\s*<span class="field-error">That day is past: the package could never be used.`, p.body)
	list, err := tb.moneyStore().Packages(ctx, tb.clinic.Patient.ID)
	require.NoError(t, err)
	require.Empty(t, list)

	p = br.post(tb.patientPath()+"/packages", url.Values{"csrf": {token}, "name": {"Ten sessions"}, "uses": {"10"},
		"expires_on": {"2027-06-30"}, "exam": {exam}})
	require.Contains(t, br.follow(p).body, "Package Ten sessions added.")
	require.Contains(t, br.get(tb.patientPath()).body, "<strong>Ten sessions</strong> · 10 of 10 uses left · expires 2027-06-30")

	// Insurance: a coverage over 100% and a missing end are refused at their fields.
	p = br.post(tb.patientPath()+"/insurance", url.Values{"csrf": {token}, "insurer": {"Médis"}, "coverage": {"120"},
		"deductible": {"10"}, "valid_from": {"2027-01-01"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Regexp(t, `id="insurance-coverage"[^>]*aria-invalid="true"[^>]*>\s*<span class="field-error"[^>]*>Write a percentage`, p.body)
	require.Regexp(t, `id="insurance-valid_to"[^>]*aria-invalid="true"[^>]*>\s*<span class="field-error"[^>]*>This is required.`, p.body)
	_, err = tb.moneyStore().Insurance(ctx, tb.clinic.Patient.ID)
	require.Error(t, err, "no policy saved")

	p = br.post(tb.patientPath()+"/insurance", url.Values{"csrf": {token}, "insurer": {"Médis"}, "coverage": {"80"},
		"deductible": {"10,50"}, "limit": {"1,500.00"}, "valid_from": {"2027-01-01"}, "valid_to": {"2027-12-31"}, "exam": {exam}})
	require.Contains(t, br.follow(p).body, "Insurance saved.")
	pol, err := tb.moneyStore().Insurance(ctx, tb.clinic.Patient.ID)
	require.NoError(t, err)
	require.Equal(t, int64(8000), pol.CoverageBP)
	require.Equal(t, int64(1050), pol.AnnualDeductible)
	require.Equal(t, int64(150000), *pol.AnnualLimit)
	require.Equal(t, []scheduling.ID{tb.clinic.Consultation.ID}, pol.ExaminationIDs)
}

func TestPatientLoyaltyIsAdjustedByManagersWithTheFormsToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	path := tb.patientPath() + "/loyalty"

	desk := tb.signedIn(t, access.Receptionist)
	token := csrf(t, desk.get(tb.patientPath()))
	require.Equal(t, http.StatusForbidden, desk.post(path, url.Values{"csrf": {token}, "points": {"100"}}).status)
	doc := tb.signedIn(t, access.Doctor)
	docToken := csrf(t, doc.get("/console/"))
	require.Equal(t, http.StatusForbidden, doc.post(tb.patientPath()+"/packages", url.Values{"csrf": {docToken}, "name": {"x"}}).status)

	mgr := tb.signedIn(t, access.Manager)
	token = csrf(t, mgr.get(tb.patientPath()))
	p := mgr.post(path, url.Values{"points": {"100"}})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "This form has expired")

	p = mgr.post(path, url.Values{"csrf": {token}, "points": {"many"}, "tier": {"5"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Write the points as a whole number, such as 250.")
	acc, err := tb.moneyStore().Loyalty(ctx, tb.clinic.Patient.ID)
	require.NoError(t, err)
	require.Nil(t, acc.UpdatedAt, "nothing half-saved: the tier was not kept either")

	p = mgr.post(path, url.Values{"csrf": {token}, "points": {"250"}, "tier": {"7.5"}})
	require.Contains(t, mgr.follow(p).body, "Loyalty account saved.")
	acc, err = tb.moneyStore().Loyalty(ctx, tb.clinic.Patient.ID)
	require.NoError(t, err)
	require.Equal(t, int64(250), acc.Points)
	require.Equal(t, int64(750), acc.TierDiscountBP)
}
