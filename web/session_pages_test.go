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

// pages follows next_cursor from path and returns every item and each page's size.
func (tb *testBundle) pages(t *testing.T, path string, query url.Values) (items []map[string]any, sizes []int) {
	t.Helper()
	all, sizes := tb.follow(t, path, query, "items", 20)
	for _, it := range all {
		items = append(items, it.(map[string]any))
	}
	return items, sizes
}

// follow reads path page after page by next_cursor, at most max pages, and returns what each page
// listed under field, in order, and each page's size. query is left holding the last cursor sent.
func (tb *testBundle) follow(t *testing.T, path string, query url.Values, field string, max int) (all []any, sizes []int) {
	t.Helper()
	for len(sizes) < max {
		status, body := tb.call(t, access.Doctor, http.MethodGet, path+"?"+query.Encode(), nil)
		require.Equal(t, http.StatusOK, status, body)
		page := body[field].([]any)
		all = append(all, page...)
		sizes = append(sizes, len(page))
		next, ok := body["next_cursor"].(string)
		if !ok {
			return all, sizes
		}
		query.Set("cursor", next)
	}
	require.FailNow(t, "paging does not end")
	return nil, nil
}

func TestSessionListPagesThrough1200Sessions(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	ctx := context.Background()
	bruno := schedtest.Must(tb.Svc.CreateDoctor(ctx, "Bruno Costa", ""))(t)
	rui := schedtest.Must(tb.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Sousa", Phone: "+351934567890"}))(t)
	ids := schedtest.InsertSessions(t, tb.Pool, c, c.At(5, 0, 0), 1200,
		[]scheduling.ID{c.Doctor.ID, bruno.ID}, []scheduling.ID{c.Patient.ID, rui.ID})

	query := url.Values{"branch_id": {fmt.Sprint(c.Branch.ID)}, "from": {"2027-01-05"}, "to": {"2027-01-10"}}
	items, sizes := tb.pages(t, "/api/v1/sessions", query)
	require.Equal(t, []int{500, 500, 200}, sizes, "500 a page by default")
	seen := map[string]bool{}
	for _, it := range items {
		require.False(t, seen[it["id"].(string)], "session %s twice", it["id"])
		seen[it["id"].(string)] = true
	}
	require.Len(t, seen, len(ids), "every session once")
	require.Equal(t, "Maria Silva", items[0]["patient_name"])
	require.Equal(t, "Ana Ferreira", items[0]["doctor_name"])
	require.Equal(t, "Rui Sousa", items[1]["patient_name"], "the second session of the first start")
	require.Equal(t, "Bruno Costa", items[1]["doctor_name"])

	_, sizes = tb.pages(t, "/api/v1/sessions", url.Values{"patient_id": {fmt.Sprint(rui.ID)}, "limit": {"1000"}})
	require.Equal(t, []int{600}, sizes)

	// A cursor belongs to its filter; a page size over the maximum is refused.
	status, body := tb.call(t, access.Doctor, http.MethodGet, "/api/v1/sessions?"+url.Values{"branch_id": {fmt.Sprint(c.Branch.ID)},
		"from": {"2027-01-05"}, "to": {"2027-01-10"}, "status": {"waiting"}, "cursor": {query.Get("cursor")}}.Encode(), nil)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "invalid_cursor", errCode(body))
	status, body = tb.call(t, access.Doctor, http.MethodGet, "/api/v1/sessions?"+url.Values{"patient_id": {fmt.Sprint(rui.ID)}, "limit": {"1001"}}.Encode(), nil, malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "invalid_limit", errCode(body))
}

func TestSessionListTakesTheLargestIDs(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	const big = "9223372036854775807"
	for _, q := range []url.Values{
		{"patient_id": {big}},
		{"branch_id": {fmt.Sprint(c.Branch.ID)}, "from": {"2027-01-05"}, "to": {"2027-01-05"}, "doctor_id": {big}},
		{"branch_id": {fmt.Sprint(c.Branch.ID)}, "from": {"2027-01-05"}, "to": {"2027-01-05"}, "patient_id": {big}},
	} {
		status, body := tb.call(t, access.Doctor, http.MethodGet, "/api/v1/sessions?"+q.Encode(), nil)
		require.Equal(t, http.StatusOK, status, "%v: %v", q, body)
		require.Empty(t, body["items"])
	}
	status, body := tb.call(t, access.Doctor, http.MethodGet, "/api/v1/sessions?"+url.Values{"branch_id": {big},
		"from": {"2027-01-05"}, "to": {"2027-01-05"}}.Encode(), nil)
	require.Equal(t, http.StatusNotFound, status, body)
}
