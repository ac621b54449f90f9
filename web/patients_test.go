package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// itemNames returns the name of each item of a list answer.
func itemNames(body map[string]any) []string {
	var out []string
	for _, it := range body["items"].([]any) {
		out = append(out, it.(map[string]any)["name"].(string))
	}
	return out
}

func patientsQuery(v url.Values) string { return "/api/v1/patients?" + v.Encode() }

// bad marks a request a table sends broken on purpose.
var bad = []callOption{malformed}

func TestSearchPatientsAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	for i, name := range []string{"Ana Mariz", "Mário Teixeira", "Rosemarie Dias", "Teste 1", "Teste 2", "Teste 3", "Teste 4", "Teste 5"} {
		schedtest.Must(tb.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: name, Phone: fmt.Sprintf("+35193100000%d", i)}))(t)
	}

	status, body := tb.call(t, access.Doctor, http.MethodGet, patientsQuery(url.Values{"q": {"MARI"}}), nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, []string{"Maria Silva", "Mário Teixeira", "Ana Mariz", "Rosemarie Dias"}, itemNames(body))
	require.NotContains(t, body, "next_cursor", "one page holds them all")
	first := body["items"].([]any)[0].(map[string]any)
	require.Equal(t, "+351912345671", first["phone"])
	require.Equal(t, "2027-01-04T06:00:00Z", first["created_at"], "registered at the service's clock")

	for _, q := range []string{"912 345", "+351 912-345-671", "(912) 345 671", "00351912345671"} {
		_, body = tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(url.Values{"q": {q}}), nil)
		require.Equal(t, []string{"Maria Silva"}, itemNames(body), q)
	}
	_, body = tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(url.Values{"phone": {"+351 912 345 671"}}), nil)
	require.Equal(t, []string{"Maria Silva"}, itemNames(body), "?phone= still finds the one patient")
	_, body = tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(url.Values{"phone": {"+351 912 000 000"}}), nil)
	require.Empty(t, body["items"])

	// Five "Teste" patients two at a time: three pages, each patient once.
	var got []string
	v := url.Values{"q": {"teste"}, "limit": {"2"}}
	var cursor string
	for range 3 {
		status, body = tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(v), nil)
		require.Equal(t, http.StatusOK, status, body)
		got = append(got, itemNames(body)...)
		next, _ := body["next_cursor"].(string)
		if cursor == "" {
			cursor = next
		}
		v.Set("cursor", next)
	}
	require.Equal(t, []string{"Teste 1", "Teste 2", "Teste 3", "Teste 4", "Teste 5"}, got)
	require.Empty(t, v.Get("cursor"), "the last page has no next_cursor")

	tampered := []byte(cursor)
	tampered[3] ^= 2
	status, body = tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(url.Values{"q": {"teste"}, "cursor": {string(tampered)}}), nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "invalid_cursor", errCode(body))
	status, body = tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(url.Values{"q": {"mari"}, "cursor": {cursor}}), nil)
	require.Equal(t, http.StatusBadRequest, status, "a cursor belongs to its query")
	require.Equal(t, "invalid_cursor", errCode(body))
}

func TestSearchPatientsAPIRefusals(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, tc := range []struct {
		query  url.Values
		status int
		code   string
		opts   []callOption // malformed: the request breaks openapi.json on purpose
	}{
		{url.Values{}, http.StatusUnprocessableEntity, "missing_query", nil},
		{url.Values{"q": {""}}, http.StatusUnprocessableEntity, "query_too_short", nil},
		{url.Values{"q": {"M"}}, http.StatusUnprocessableEntity, "query_too_short", nil},
		{url.Values{"q": {"91"}}, http.StatusUnprocessableEntity, "query_too_short", nil},
		{url.Values{"q": {"maria"}, "phone": {"+351912345671"}}, http.StatusUnprocessableEntity, "conflicting_query", nil},
		{url.Values{"phone": {""}}, http.StatusUnprocessableEntity, "missing_phone", nil},
		{url.Values{"q": {"maria"}, "limit": {"many"}}, http.StatusBadRequest, "invalid_limit", bad},
		{url.Values{"q": {"maria"}, "limit": {"0"}}, http.StatusBadRequest, "invalid_limit", bad},
		{url.Values{"q": {"maria"}, "limit": {"101"}}, http.StatusUnprocessableEntity, "invalid_limit", bad},
		{url.Values{"q": {"maria"}, "cursor": {"x"}}, http.StatusBadRequest, "invalid_cursor", nil},
	} {
		status, body := tb.call(t, access.Receptionist, http.MethodGet, patientsQuery(tc.query), nil, tc.opts...)
		require.Equal(t, tc.status, status, "%v: %v", tc.query, body)
		require.Equal(t, tc.code, errCode(body), tc.query)
		msg := body["error"].(map[string]any)["message"].(string)
		require.NotContains(t, msg, "scheduling.", "messages are for people")
	}
}

func TestUpdatePatientAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	other := schedtest.Must(tb.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Sousa", Phone: "+351934567890"}))(t)
	path := fmt.Sprintf("/api/v1/patients/%d", tb.clinic.Patient.ID)
	patch := func(body any) (int, map[string]any) {
		return tb.call(t, access.Receptionist, http.MethodPatch, path, body)
	}

	status, body := patch(map[string]any{"name": " Maria da Silva ", "phone": "00351 912 000 111"})
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "Maria da Silva", body["name"])
	require.Equal(t, "+351912000111", body["phone"])
	require.Nil(t, body["email"])
	status, body = patch(map[string]any{"email": "maria@example.org", "birth_date": "1980-02-29"})
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "maria@example.org", body["email"])
	require.Equal(t, "1980-02-29", body["birth_date"])
	require.Equal(t, "Maria da Silva", body["name"], "fields not given keep their value")
	status, body = patch(map[string]any{"email": nil, "birth_date": ""})
	require.Equal(t, http.StatusOK, status, body)
	require.Nil(t, body["email"])
	require.Nil(t, body["birth_date"])

	status, body = patch(map[string]any{"name": "Changed", "phone": "+351 934 567 890"})
	require.Equal(t, http.StatusConflict, status)
	require.Equal(t, "duplicate_phone", errCode(body))
	require.Equal(t, fmt.Sprint(other.ID), body["error"].(map[string]any)["details"].(map[string]any)["patient_id"])

	for _, tc := range []struct {
		body   any
		status int
		code   string
		opts   []callOption
	}{
		{map[string]any{"name": ""}, http.StatusUnprocessableEntity, "missing_name", bad},
		{map[string]any{"phone": nil}, http.StatusUnprocessableEntity, "missing_phone", bad},
		{map[string]any{"email": "not an address"}, http.StatusUnprocessableEntity, "invalid_email", nil},
		{map[string]any{"birth_date": "29.02.1980"}, http.StatusBadRequest, "invalid_date", nil},
		{map[string]any{"name": 5}, http.StatusBadRequest, "invalid_field", bad},
		{map[string]any{}, http.StatusUnprocessableEntity, "nothing_to_change", bad},
		{`[]`, http.StatusBadRequest, "invalid_json", bad},
	} {
		status, body = tb.call(t, access.Receptionist, http.MethodPatch, path, tc.body, tc.opts...)
		require.Equal(t, tc.status, status, "%v: %v", tc.body, body)
		require.Equal(t, tc.code, errCode(body), tc.body)
	}
	_, body = tb.call(t, access.Doctor, http.MethodGet, path, nil)
	require.Equal(t, "Maria da Silva", body["name"], "refused changes change nothing")
	require.Equal(t, "+351912000111", body["phone"])

	status, _ = tb.call(t, access.Receptionist, http.MethodPatch, "/api/v1/patients/987654", map[string]any{"name": "X"})
	require.Equal(t, http.StatusNotFound, status)
}

func TestPatientSessionsAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	var booked []string
	for _, start := range []string{"2027-01-06T09:00:00Z", "2027-01-05T09:00:00Z", "2027-01-07T09:00:00Z"} {
		status, body := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/sessions", map[string]any{
			"patient_id": fmt.Sprint(c.Patient.ID), "branch_id": fmt.Sprint(c.Branch.ID), "doctor_id": fmt.Sprint(c.Doctor.ID),
			"examination_ids": []string{fmt.Sprint(c.Consultation.ID)}, "start": start})
		require.Equal(t, http.StatusCreated, status, body)
		booked = append(booked, body["id"].(string))
	}
	path := fmt.Sprintf("/api/v1/patients/%d/sessions", c.Patient.ID)
	items, sizes := tb.pages(t, path, url.Values{"limit": {"2"}})
	require.Equal(t, []int{2, 1}, sizes)
	var got []string
	for _, it := range items {
		got = append(got, it["id"].(string))
	}
	require.Equal(t, []string{booked[2], booked[0], booked[1]}, got, "newest first")
	require.Equal(t, "Maria Silva", items[0]["patient_name"])
	require.Equal(t, "Ana Ferreira", items[0]["doctor_name"])

	status, body := tb.call(t, access.Doctor, http.MethodGet, "/api/v1/sessions/"+booked[0], nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "Maria Silva", body["patient_name"])
	require.Equal(t, "Ana Ferreira", body["doctor_name"])

	status, body = tb.call(t, access.Doctor, http.MethodGet, "/api/v1/patients/987654/sessions", nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, "not_found", errCode(body))
	status, body = tb.call(t, access.Doctor, http.MethodGet, path+"?cursor=abc", nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "invalid_cursor", errCode(body))
}
