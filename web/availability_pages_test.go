package web

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// slotPages follows next_cursor from the availability query and returns every slot and each page's size.
func (tb *testBundle) slotPages(t *testing.T, query url.Values) (slots []any, sizes []int) {
	t.Helper()
	return tb.follow(t, "/api/v1/availability", maps.Clone(query), "slots", 200)
}

// TestAvailabilityIsAnsweredInBoundedPages: the longest range with ten doctors and a one-minute
// rhythm (nearly half a million slots) answers one page of 2000 and a cursor; following the cursors
// of a smaller query gives exactly its one-piece answer; the page size and the cursor are checked.
func TestAvailabilityIsAnsweredInBoundedPages(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	ctx := context.Background()
	one, no, price := 1, false, int64(100)
	quick := schedtest.Must(tb.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "BP", Name: "Blood pressure",
		Price: &price, DurationMinutes: &one, Taxable: &no, BranchIDs: []scheduling.ID{c.Branch.ID},
		DoctorIDs: []scheduling.ID{c.Doctor.ID}}))(t)
	for i := 0; i < 9; i++ {
		d := schedtest.Must(tb.Svc.CreateDoctor(ctx, fmt.Sprintf("Doctor %d", i), ""))(t)
		schedtest.Must(tb.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: d.ID, BranchID: c.Branch.ID, Weekly: schedtest.Hours()}))(t)
		_, err := tb.Pool.Exec(ctx, `INSERT INTO examination_doctors (examination_id, doctor_id) VALUES ($1, $2)`, quick.ID, d.ID)
		require.NoError(t, err)
	}

	huge := url.Values{"branch_id": {c.Branch.ID.String()}, "examination_id": {quick.ID.String()},
		"from": {"2027-01-04"}, "to": {"2027-04-06"}}
	req, err := http.NewRequest(http.MethodGet, tb.url+"/api/v1/availability?"+huge.Encode(), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tb.tokens[access.Receptionist])
	resp, err := tb.client.Do(req)
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	require.Less(t, len(raw), 2000*120, "one page, not the whole range")
	status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/availability?"+huge.Encode(), nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, body["slots"], 2000)
	require.NotEmpty(t, body["next_cursor"])

	small := url.Values{"branch_id": {c.Branch.ID.String()}, "examination_id": {quick.ID.String()},
		"from": {"2027-01-05"}, "to": {"2027-01-05"}, "channel": {"web_form"}}
	whole, sizes := tb.slotPages(t, small)
	require.Equal(t, []int{2000, 2000, 2000}, sizes[:3], "the default page")
	small.Set("limit", "1999")
	paged, _ := tb.slotPages(t, small)
	require.Equal(t, whole, paged, "pages of 1999 give the same slots, none twice, none missing")
	require.Len(t, whole, 10*600)

	for _, bad := range []struct {
		name, param, value string
		status             int
		code               string
	}{
		{"a page of none", "limit", "0", http.StatusBadRequest, "invalid_limit"},
		{"a page size that is no number", "limit", "all", http.StatusBadRequest, "invalid_limit"},
		{"a page over the ceiling", "limit", "2001", http.StatusUnprocessableEntity, "invalid_limit"},
		{"a cursor edited by hand", "cursor", "eyJzdGFydCI6MH0", http.StatusBadRequest, "invalid_cursor"},
	} {
		q := url.Values{"branch_id": {c.Branch.ID.String()}, "examination_id": {quick.ID.String()},
			"from": {"2027-01-05"}, "to": {"2027-01-05"}, bad.param: {bad.value}}
		var opts []callOption
		if bad.param == "limit" { // outside the limit's schema on purpose
			opts = append(opts, malformed)
		}
		status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/availability?"+q.Encode(), nil, opts...)
		require.Equal(t, bad.status, status, bad.name)
		require.Equal(t, bad.code, body["error"].(map[string]any)["code"], bad.name)
	}
}
