package console

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/web/access"
)

// templateID is the id of the built-in template of that name, as the chooser offers it.
func templateID(t *testing.T, p page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<option value="(\d+)"[^>]*>` + name + `</option>`).FindStringSubmatch(p.body)
	require.NotNilf(t, m, "no template %q offered:\n%s", name, p.body)
	return m[1]
}

// fieldError is the message shown at the input of that name, or "".
func fieldError(p page, name string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(name) + `-error">([^<]*)<`).FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return m[1]
}

// stored is the session's record as the store has it.
func (tb *testBundle) stored(t *testing.T, id scheduling.ID) *record.Record {
	t.Helper()
	rec, err := record.NewStore(tb.Pool, tb.clock.Now).Get(context.Background(),
		record.Caller{Actor: "test", Access: record.WriteAll}, id)
	require.NoError(t, err)
	return rec
}

// recordForm is a filled record form with the General practice template.
func recordForm(csrf, template string) url.Values {
	return url.Values{"csrf": {csrf}, "template": {template},
		"vitals.systolic": {"128"}, "vitals.diastolic": {"82"}, "vitals.pulse": {"71"}, "vitals.temperature_c": {"36,8"},
		"vitals.spo2": {"98"}, "vitals.weight_kg": {"70"}, "vitals.height_cm": {"175"},
		"complaint": {"Sore throat for three days"}, "findings": {"Red pharynx, no exudate"},
		"diagnoses[0].icd10": {"J06.9"}, "diagnoses[0].text": {"viral"}, "notes": {"Fluids and rest"},
		"fields.pain_score": {"3"}, "fields.smoking": {"never"}, "fields.follow_up": {"no"}}
}

func TestVisitRecordSavesWithATemplateAndShowsErrorsAtTheField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	id, path := tb.book(t)
	doc := tb.signedIn(t, access.Doctor)
	require.Equal(t, http.StatusSeeOther, doc.move(path, "open").status)

	// Choosing a template shows its fields.
	p := doc.get(path)
	gp := templateID(t, p, "General practice")
	p = doc.get(path + "?template=" + gp)
	for _, want := range []string{`name="fields.pain_score"`, "Range 0–10", `name="fields.smoking"`, `<option>current</option>`,
		`name="fields.follow_up"`, `name="vitals.spo2"`, "SpO₂", `name="diagnoses[1].icd10"`} {
		require.Contains(t, p.body, want)
	}

	// A vital out of range: the page comes back with what was typed and the message at the field.
	form := recordForm(csrf(t, p), gp)
	form.Set("vitals.systolic", "300")
	p = doc.post(path+"/record", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, fieldError(p, "vitals.systolic"), "Systolic blood pressure must be between 50 and 260 mmHg")
	require.NotContains(t, fieldError(p, "vitals.systolic"), "vitals.")
	require.Contains(t, p.body, "Sore throat for three days")
	require.Empty(t, tb.stored(t, id).Complaint, "a refused save writes nothing")

	// A template field out of its range, and an unknown code on the second diagnosis row.
	form.Set("vitals.systolic", "128")
	form.Set("fields.pain_score", "11")
	p = doc.post(path+"/record", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, fieldError(p, "fields.pain_score"), "Pain score must be between 0 and 10")
	form.Set("fields.pain_score", "3")
	form.Set("diagnoses[1].icd10", "")
	form.Set("diagnoses[2].icd10", "Q99.9X")
	p = doc.post(path+"/record", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `name="diagnoses[2].icd10" value="Q99.9X"`)
	require.Contains(t, p.body, "is not on the clinic")
	require.NotContains(t, p.body, "/api/v1")

	form.Del("diagnoses[2].icd10")
	p = doc.post(path+"/record", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	rec := tb.stored(t, id)
	require.Equal(t, "36.8", rec.Vitals.TemperatureC.String())
	require.Equal(t, "J06.9", rec.Diagnoses[0].ICD10)
	require.Equal(t, false, rec.Fields["follow_up"])
	require.Equal(t, "never", rec.Fields["smoking"])
	p = doc.get(path)
	require.Contains(t, p.body, "Clinical record saved.")
	require.Contains(t, p.body, `data-bmi>22.9<`)
	require.Contains(t, p.body, `<option value="no" selected>No</option>`)

	// The manager reads the record and cannot write it; the receptionist neither reads nor writes it.
	mgr := tb.signedIn(t, access.Manager)
	p = mgr.get(path)
	require.Contains(t, p.body, "Red pharynx, no exudate")
	require.NotContains(t, p.body, `action="`+path+`/record"`)
	require.Equal(t, http.StatusForbidden, mgr.post(path+"/record", recordForm(csrf(t, p), gp)).status)
	desk := tb.signedIn(t, access.Receptionist)
	p = desk.get(path)
	require.NotContains(t, p.body, "Red pharynx")
	require.Equal(t, http.StatusForbidden, desk.post(path+"/record", recordForm(csrf(t, p), gp)).status)
	// Without the CSRF token the doctor's save is refused too.
	form.Set("complaint", "changed")
	form.Del("csrf")
	require.Equal(t, http.StatusForbidden, doc.post(path+"/record", form).status)
	require.Equal(t, "Sore throat for three days", tb.stored(t, id).Complaint)
}

func TestVisitRecordIsLockedAfterCompletionAndAmendedWithAReason(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	id, path := tb.book(t)
	doc := tb.signedIn(t, access.Doctor)
	require.Equal(t, http.StatusSeeOther, doc.move(path, "open").status)
	p := doc.get(path)
	gp := templateID(t, p, "General practice")
	require.Equal(t, http.StatusSeeOther, doc.post(path+"/record", recordForm(csrf(t, p), gp)).status)
	require.Equal(t, http.StatusSeeOther, doc.move(path, "complete").status)

	p = doc.get(path)
	require.Contains(t, p.body, ">Locked<")
	require.NotContains(t, p.body, `action="`+path+`/record"`, "a locked record is shown, not offered for editing")
	require.Contains(t, p.body, "Correct the record")

	// A plain save of a locked record is refused and says how to correct it.
	form := recordForm(csrf(t, p), gp)
	form.Set("findings", "Red pharynx, tonsils enlarged")
	p = doc.post(path+"/record", form)
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, "amendment with a reason")

	// An amendment needs its reason, shown at the field.
	p = doc.get(path + "?amend=1")
	require.Contains(t, p.body, `name="amendment.reason"`)
	form.Set("amend", "1")
	p = doc.post(path+"/record", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status, p.body)
	require.NotEmpty(t, fieldError(p, "amendment.reason"))
	require.Equal(t, "Red pharynx, no exudate", tb.stored(t, id).Findings)

	form.Set("amendment.reason", "Tonsils left out by mistake")
	require.Equal(t, http.StatusSeeOther, doc.post(path+"/record", form).status)
	rec := tb.stored(t, id)
	require.Equal(t, "Red pharynx, tonsils enlarged", rec.Findings)
	p = doc.get(path)
	require.Contains(t, p.body, "The correction is saved")
	require.Contains(t, p.body, "Tonsils left out by mistake")
	require.Contains(t, p.body, "(changed findings)")
	require.True(t, strings.Contains(p.body, "by user:") && strings.Contains(p.body, tb.emails[access.Doctor]))
}

func TestVisitRecordOfAnotherDoctorIsNotShown(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	_, path := tb.book(t)
	other := tb.clinic.AddDoctor(t, tb.Svc, "Rui Costa")
	tb.addUser(t, "other@clinic.test", access.Doctor, other.ID)
	br := tb.browser(t)
	require.Equal(t, http.StatusSeeOther, br.signin("other@clinic.test", testPassword, "").status)
	p := br.get(path)
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "is for its own doctor")
	require.NotContains(t, p.body, ">Open<")
	require.Equal(t, http.StatusSeeOther, br.move(path, "open").status)
	require.Contains(t, br.get(path).body, "another doctor")
}
