package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// otherDoctor is the key of a token that acts for a doctor who is not the clinic's.
const otherDoctor access.Role = "other doctor"

// recordBundle is the standard server with one more token, for a second doctor, and sessions on the
// clinic's day to write records for.
func recordBundle(t *testing.T) *testBundle {
	t.Helper()
	tb := setup(t)
	ctx := context.Background()
	other := schedtest.Must(tb.Svc.CreateDoctor(ctx, "Rui Costa", "Dermatology"))(t)
	acc := access.NewStore(tb.Pool, tb.Svc.Now)
	tok, err := acc.CreateToken(ctx, access.Doctor, "rui", other.ID)
	require.NoError(t, err)
	tb.tokens[otherDoctor] = tok
	return tb
}

// openSession books a consultation at hour:00 on the fixture's day and opens it.
func (tb *testBundle) openSession(t *testing.T, hour int) scheduling.ID {
	t.Helper()
	ctx := context.Background()
	sess := schedtest.Must(tb.Svc.Book(ctx, "desk", tb.clinic.Booking(tb.clinic.At(4, hour, 0))))(t)
	schedtest.Must(tb.Svc.Open(ctx, "doctor", sess.ID))(t)
	return sess.ID
}

func recordPath(id scheduling.ID) string { return fmt.Sprintf("/api/v1/sessions/%d/record", id) }

func TestRecordAPI(t *testing.T) {
	t.Parallel()
	tb := recordBundle(t)
	id := tb.openSession(t, 9)
	body := map[string]any{
		"template":  "1",
		"vitals":    map[string]any{"systolic": 128, "diastolic": 84, "pulse": 72, "temperature_c": 36.6, "spo2": 98, "weight_kg": 72.5, "height_cm": 180},
		"complaint": "Sore throat", "findings": "Red pharynx",
		"diagnoses": []any{map[string]any{"icd10": "j06.9", "text": "viral"}},
		"notes":     "Fluids", "fields": map[string]any{"smoking": "never", "follow_up": false, "pain_score": 3},
	}
	status, rec := tb.call(t, access.Doctor, http.MethodPut, recordPath(id), body)
	require.Equal(t, http.StatusOK, status, rec)
	require.Equal(t, 22.4, rec["bmi"])
	require.Equal(t, 36.6, rec["vitals"].(map[string]any)["temperature_c"])
	require.Equal(t, "General practice", rec["template_name"])
	require.Equal(t, []any{map[string]any{"icd10": "J06.9", "title": "Acute upper respiratory infection, unspecified", "text": "viral"}}, rec["diagnoses"])
	require.Equal(t, map[string]any{"smoking": "never", "follow_up": false, "pain_score": 3.0}, rec["fields"])
	require.Equal(t, "token:"+strings.Split(rec["written_by"].(string), ":")[1], rec["written_by"], "an actor")
	require.Contains(t, rec["written_by"], "doctor")
	require.Equal(t, "2027-01-04T06:00:00Z", rec["written_at"], "the server's clock, in the branch's zone (Lisbon, UTC in winter)")
	require.Equal(t, false, rec["locked"])
	require.Equal(t, []any{}, rec["amendments"])

	for _, role := range []access.Role{access.Owner, access.Manager, access.Doctor} {
		status, got := tb.call(t, role, http.MethodGet, recordPath(id), nil)
		require.Equal(t, http.StatusOK, status, role)
		require.Equal(t, rec, got, role)
	}
	for _, role := range []access.Role{access.Receptionist, otherDoctor} {
		status, got := tb.call(t, role, http.MethodGet, recordPath(id), nil)
		require.Equal(t, http.StatusForbidden, status, role)
		require.Equal(t, "forbidden", errCode(got))
	}
	for _, role := range []access.Role{access.Manager, access.Receptionist, otherDoctor} {
		status, got := tb.call(t, role, http.MethodPut, recordPath(id), map[string]any{"notes": "overwritten"})
		require.Equal(t, http.StatusForbidden, status, role)
		require.Equal(t, "forbidden", errCode(got))
	}
	status, rec = tb.call(t, access.Owner, http.MethodPut, recordPath(id), map[string]any{"notes": "owner's note"})
	require.Equal(t, http.StatusOK, status, rec)
	require.Equal(t, nil, rec["bmi"], "a PUT replaces the record")
	require.Equal(t, "owner's note", rec["notes"])

	// Every successful read was kept: owner, manager, doctor; the refused ones were not.
	status, views := tb.call(t, access.Manager, http.MethodGet, recordPath(id)+"/views", nil)
	require.Equal(t, http.StatusOK, status, views)
	var by []string
	for _, v := range views["items"].([]any) {
		view := v.(map[string]any)
		require.Equal(t, fmt.Sprint(tb.clinic.Patient.ID), view["patient_id"])
		by = append(by, strings.SplitN(view["by"].(string), " ", 2)[1])
	}
	require.ElementsMatch(t, []string{"owner", "manager", "doctor"}, by)
	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		status, got := tb.call(t, role, http.MethodGet, recordPath(id)+"/views", nil)
		require.Equal(t, http.StatusForbidden, status, role)
		require.Equal(t, "forbidden", errCode(got))
	}

	status, got := tb.call(t, access.Owner, http.MethodGet, recordPath(987654), nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, "not_found", errCode(got))
}

// TestRecordAPIRefusals: each broken rule gets its status, code and a message naming the field, and
// nothing is written.
func TestRecordAPIRefusals(t *testing.T) {
	t.Parallel()
	tb := recordBundle(t)
	id := tb.openSession(t, 9)
	waiting := schedtest.Must(tb.Svc.Book(context.Background(), "desk", tb.clinic.Booking(tb.clinic.At(4, 10, 0))))(t).ID
	for _, tc := range []struct {
		name    string
		body    any
		status  int
		code    string
		field   string
		invalid bool // the request breaks openapi.json on purpose
	}{
		{"systolic too high", `{"vitals": {"systolic": 300}}`, 422, "out_of_range", "vitals.systolic", true},
		{"temperature too low", `{"vitals": {"temperature_c": 29.9}}`, 422, "out_of_range", "vitals.temperature_c", true},
		{"diastolic above systolic", `{"vitals": {"systolic": 100, "diastolic": 110}}`, 422, "out_of_range", "vitals.diastolic", false},
		{"pulse with decimals", `{"vitals": {"pulse": 72.5}}`, 422, "not_whole", "vitals.pulse", true},
		{"pulse as text", `{"vitals": {"pulse": "fast"}}`, 400, "invalid_field", "vitals.pulse", true},
		{"unknown code", `{"diagnoses": [{"icd10": "Q99.9"}]}`, 422, "unknown_icd10", "diagnoses[0].icd10", false},
		{"unknown template field", `{"template": "2", "fields": {"colour": "red"}}`, 422, "unknown_field", "fields.colour", false},
		{"out of the field's range", `{"template": "1", "fields": {"pain_score": 11}}`, 422, "out_of_range", "fields.pain_score", false},
		{"not an option", `{"template": "1", "fields": {"smoking": "sometimes"}}`, 422, "invalid_choice", "fields.smoking", false},
		{"fields without a template", `{"fields": {"smoking": "never"}}`, 422, "fields_without_template", "fields", false},
		{"amendment before completion", `{"notes": "x", "amendment": {"reason": "typo"}}`, 422, "record_not_locked", "", false},
		{"unknown template", `{"template": "987654"}`, 404, "not_found", "", false},
		{"template that is no id", `{"template": "abc"}`, 400, "invalid_id", "template", true},
		{"fields that are no object", `{"fields": [1]}`, 400, "invalid_field", "fields", true},
	} {
		opts := []callOption{}
		if tc.invalid {
			opts = append(opts, malformed)
		}
		status, got := tb.call(t, access.Doctor, http.MethodPut, recordPath(id), tc.body, opts...)
		require.Equal(t, tc.status, status, "%s: %v", tc.name, got)
		require.Equal(t, tc.code, errCode(got), tc.name)
		e := got["error"].(map[string]any)
		require.Contains(t, e["message"], tc.field, tc.name)
		if tc.field != "" && tc.status == 422 {
			require.Equal(t, tc.field, e["details"].(map[string]any)["field"], tc.name)
		}
	}
	_, rec := tb.call(t, access.Doctor, http.MethodGet, recordPath(id), nil)
	require.Nil(t, rec["written_by"], "nothing refused was written")

	status, got := tb.call(t, access.Doctor, http.MethodPut, recordPath(waiting), map[string]any{"notes": "early"})
	require.Equal(t, http.StatusConflict, status)
	require.Equal(t, "invalid_transition", errCode(got))
	require.Contains(t, got["error"].(map[string]any)["message"], "still waiting")
}

func TestRecordAPILockAndAmend(t *testing.T) {
	t.Parallel()
	tb := recordBundle(t)
	id := tb.openSession(t, 9)
	status, _ := tb.call(t, access.Doctor, http.MethodPut, recordPath(id), map[string]any{"vitals": map[string]any{"systolic": 150, "diastolic": 90}})
	require.Equal(t, http.StatusOK, status)
	status, sess := tb.call(t, access.Doctor, http.MethodPost, fmt.Sprintf("/api/v1/sessions/%d/complete", id), nil)
	require.Equal(t, http.StatusOK, status, sess)

	status, got := tb.call(t, access.Doctor, http.MethodPut, recordPath(id), map[string]any{"vitals": map[string]any{"systolic": 140, "diastolic": 90}})
	require.Equal(t, http.StatusConflict, status)
	require.Equal(t, "record_locked", errCode(got))

	status, rec := tb.call(t, access.Doctor, http.MethodPut, recordPath(id), map[string]any{
		"vitals": map[string]any{"systolic": 140, "diastolic": 90}, "amendment": map[string]any{"reason": "misread"}})
	require.Equal(t, http.StatusOK, status, rec)
	require.Equal(t, true, rec["locked"])
	amendments := rec["amendments"].([]any)
	require.Len(t, amendments, 1)
	a := amendments[0].(map[string]any)
	require.Equal(t, "misread", a["reason"])
	require.Contains(t, a["by"], "doctor")
	require.Equal(t, []any{map[string]any{"field": "vitals.systolic", "before": 150.0, "after": 140.0}}, a["changes"])
	require.Equal(t, 150.0, a["previous"].(map[string]any)["vitals"].(map[string]any)["systolic"])
}

func TestRecordTemplatesAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	status, list := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/record-templates", nil)
	require.Equal(t, http.StatusOK, status)
	var names []string
	for _, it := range list["items"].([]any) {
		names = append(names, it.(map[string]any)["name"].(string))
	}
	require.Equal(t, []string{"Dentistry", "Dermatology", "General practice", "Ophthalmology"}, names)

	tmpl := map[string]any{"name": "Cardiology", "specialty": "Cardiology", "fields": []any{
		map[string]any{"key": "qtc_ms", "label": "QTc", "type": "number", "unit": "ms", "min": 300, "max": 700},
		map[string]any{"key": "rhythm", "label": "Rhythm", "type": "choice", "options": []string{"sinus", "atrial fibrillation"}, "required": true}}}
	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		status, got := tb.call(t, role, http.MethodPost, "/api/v1/record-templates", tmpl)
		require.Equal(t, http.StatusForbidden, status, role)
		require.Equal(t, "forbidden", errCode(got))
	}
	status, created := tb.call(t, access.Manager, http.MethodPost, "/api/v1/record-templates", tmpl)
	require.Equal(t, http.StatusCreated, status, created)
	require.Equal(t, false, created["built_in"])
	require.Equal(t, "2027-01-04T06:00:00Z", created["created_at"])
	status, got := tb.call(t, access.Doctor, http.MethodGet, "/api/v1/record-templates/"+created["id"].(string), nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, created, got)

	status, got = tb.call(t, access.Owner, http.MethodPost, "/api/v1/record-templates", tmpl)
	require.Equal(t, http.StatusConflict, status)
	require.Equal(t, "duplicate_template", errCode(got))
	tmpl["name"] = "Other"
	tmpl["fields"] = []any{map[string]any{"key": "a", "label": "A", "type": "number", "min": 5, "max": 1}}
	status, got = tb.call(t, access.Owner, http.MethodPost, "/api/v1/record-templates", tmpl)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "invalid_range", errCode(got))
	status, got = tb.call(t, access.Owner, http.MethodGet, "/api/v1/record-templates/987654", nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, "not_found", errCode(got))
}

func TestICD10SearchAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	search := func(q string, opts ...callOption) (int, map[string]any) {
		return tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/icd10?"+url.Values{"q": {q}}.Encode(), nil, opts...)
	}
	status, got := search("j06")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []any{
		map[string]any{"code": "J06.0", "title": "Acute laryngopharyngitis"},
		map[string]any{"code": "J06.8", "title": "Other acute upper respiratory infections of multiple sites"},
		map[string]any{"code": "J06.9", "title": "Acute upper respiratory infection, unspecified"},
	}, got["items"])
	status, got = search("hypertension essential")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "I10", got["items"].([]any)[0].(map[string]any)["code"])
	_, got = search("unspecified")
	require.Len(t, got["items"], 20)
	_, got = search("no such disease")
	require.Equal(t, []any{}, got["items"])

	status, got = search("", malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "missing_query", errCode(got))
	status, got = search(strings.Repeat("a", 201), malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "too_long", errCode(got))
}
