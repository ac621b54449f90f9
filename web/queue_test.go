package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// queueDay books Ana's 09:00, 09:30 and 10:00 consultations for three patients on Monday 4 January
// 2027 and checks in the 10:00 one at 08:40 and the 09:00 one at 08:45; the clock stands at 08:50.
func queueDay(t *testing.T, tb *testBundle) (s09, s0930, s10 scheduling.ID) {
	t.Helper()
	c := tb.clinic
	ctx := context.Background()
	book := func(i, hour, minute int) scheduling.ID {
		in := c.Booking(c.At(4, hour, minute))
		in.PatientID = c.AddPatient(t, tb.Svc, i).ID
		return schedtest.Must(tb.Svc.Book(ctx, "desk", in))(t).ID
	}
	s09, s0930, s10 = book(1, 9, 0), book(2, 9, 30), book(3, 10, 0)
	*tb.Clock = c.At(4, 8, 40)
	schedtest.Must(tb.Svc.CheckIn(ctx, "desk", s10))(t)
	*tb.Clock = c.At(4, 8, 45)
	schedtest.Must(tb.Svc.CheckIn(ctx, "desk", s09))(t)
	*tb.Clock = c.At(4, 8, 50)
	return s09, s0930, s10
}

func queuePath(tb *testBundle, query string) string {
	return fmt.Sprintf("/api/v1/queue?branch_id=%d%s", tb.clinic.Branch.ID, query)
}

// itemIDs are the session ids of a queue answer, in order.
func itemIDs(t *testing.T, body map[string]any) []string {
	t.Helper()
	items, ok := body["items"].([]any)
	require.True(t, ok, "%v", body)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.(map[string]any)["session_id"].(string)
	}
	return out
}

func strs(ids ...scheduling.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}

func TestQueueOverHTTP(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	s09, s0930, s10 := queueDay(t, tb)

	status, body := tb.call(t, access.Receptionist, http.MethodGet, queuePath(tb, "&date=2027-01-04&sort=arrival"), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, strs(s10, s09, s0930), itemIDs(t, body))
	require.Equal(t, "2027-01-04", body["date"])
	first := body["items"].([]any)[0].(map[string]any)
	require.EqualValues(t, 1, first["position"])
	require.EqualValues(t, 0, first["ahead"])
	require.Equal(t, "2027-01-04T08:40:00Z", first["checked_in_at"])
	require.EqualValues(t, 10, first["waited_minutes"])
	require.Equal(t, map[string]any{"from": "2027-01-04T08:50:00Z", "to": "2027-01-04T08:50:00Z"}, first["eta"])
	require.Equal(t, []any{"open", "cancel"}, first["actions"])
	require.Equal(t, []any{"Consultation"}, first["examinations"])

	// No date: today at the branch.
	status, body = tb.call(t, access.Manager, http.MethodGet, queuePath(tb, "&sort=time"), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, strs(s09, s0930, s10), itemIDs(t, body))

	order := map[string]any{"branch_id": tb.clinic.Branch.ID.String(), "date": "2027-01-04", "session_ids": strs(s0930, s10, s09)}
	status, body = tb.call(t, access.Receptionist, http.MethodPut, "/api/v1/queue/order", order)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, strs(s0930, s10, s09), itemIDs(t, body))
	require.Equal(t, "manual", body["sort"])
	status, body = tb.call(t, access.Receptionist, http.MethodGet, queuePath(tb, "&date=2027-01-04&sort=manual"), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, strs(s0930, s10, s09), itemIDs(t, body))

	// A walk-in joins: the old order is stale and refused whole.
	in := tb.clinic.Booking(tb.clinic.At(4, 11, 0))
	in.PatientID = tb.clinic.AddPatient(t, tb.Svc, 9).ID
	walkIn := schedtest.Must(tb.Svc.Book(context.Background(), "desk", in))(t).ID
	order["session_ids"] = strs(s09, s0930, s10)
	status, body = tb.call(t, access.Receptionist, http.MethodPut, "/api/v1/queue/order", order)
	require.Equal(t, http.StatusConflict, status, "%v", body)
	require.Equal(t, "queue_changed", errCode(body))
	_, body = tb.call(t, access.Receptionist, http.MethodGet, queuePath(tb, "&date=2027-01-04&sort=manual"), nil)
	require.Equal(t, strs(s0930, s10, s09, walkIn), itemIDs(t, body), "the kept order is unchanged")

	status, body = tb.call(t, access.Doctor, http.MethodPut, "/api/v1/queue/order", order)
	require.Equal(t, http.StatusForbidden, status, "%v", body)
}

// TestQueueDoctorSeesOwnLine: a doctor's token lists only that doctor's sessions, and is refused
// another doctor's line.
func TestQueueDoctorSeesOwnLine(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	s09, s0930, s10 := queueDay(t, tb)
	c := tb.clinic
	bruno := c.AddDoctor(t, tb.Svc, "Bruno Costa")
	exam := c.AddExamination(t, tb.Svc, "GP2", false, bruno.ID)
	in := c.Booking(c.At(4, 9, 0), exam.ID)
	in.DoctorID, in.PatientID = bruno.ID, c.AddPatient(t, tb.Svc, 7).ID
	other := schedtest.Must(tb.Svc.Book(context.Background(), "desk", in))(t).ID

	_, body := tb.call(t, access.Receptionist, http.MethodGet, queuePath(tb, "&sort=time"), nil)
	require.Equal(t, strs(s09, other, s0930, s10), itemIDs(t, body))

	status, body := tb.call(t, access.Doctor, http.MethodGet, queuePath(tb, "&sort=time"), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, strs(s09, s0930, s10), itemIDs(t, body))
	require.Equal(t, c.Doctor.ID.String(), body["doctor_id"])
	status, _ = tb.call(t, access.Doctor, http.MethodGet, queuePath(tb, "&doctor_id="+c.Doctor.ID.String()), nil)
	require.Equal(t, http.StatusOK, status)
	status, body = tb.call(t, access.Doctor, http.MethodGet, queuePath(tb, "&doctor_id="+bruno.ID.String()), nil)
	require.Equal(t, http.StatusForbidden, status, "%v", body)
	require.Equal(t, "forbidden", errCode(body))

	status, body = tb.call(t, access.Receptionist, http.MethodGet, queuePath(tb, "&doctor_id="+bruno.ID.String()), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, strs(other), itemIDs(t, body))
}

func TestQueueBadInput(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	s09, s0930, s10 := queueDay(t, tb)
	branch := tb.clinic.Branch.ID.String()
	gets := []struct {
		path   string
		status int
		code   string
	}{
		{queuePath(tb, "&sort=alphabetical"), http.StatusBadRequest, "invalid_sort"},
		{queuePath(tb, "&date=2027-13-45"), http.StatusBadRequest, "invalid_date"},
		{queuePath(tb, "&date=tomorrow"), http.StatusBadRequest, "invalid_date"},
		{queuePath(tb, "&date=2031-01-04"), http.StatusUnprocessableEntity, "out_of_range"},
		{queuePath(tb, "&date=0001-01-01"), http.StatusUnprocessableEntity, "out_of_range"},
		{queuePath(tb, "&doctor_id=abc"), http.StatusBadRequest, "invalid_id"},
		{queuePath(tb, "&doctor_id=999"), http.StatusNotFound, "not_found"},
		{"/api/v1/queue", http.StatusBadRequest, "missing_branch_id"},
		{"/api/v1/queue?branch_id=0", http.StatusBadRequest, "invalid_id"},
		{"/api/v1/queue?branch_id=999", http.StatusNotFound, "not_found"},
	}
	for _, g := range gets {
		status, body := tb.call(t, access.Receptionist, http.MethodGet, g.path, nil, malformed)
		require.Equal(t, g.status, status, "%s: %v", g.path, body)
		require.Equal(t, g.code, errCode(body), g.path)
		msg := body["error"].(map[string]any)["message"].(string)
		require.NotContains(t, msg, "scheduling.", "a message for a person")
	}

	huge := make([]string, 1001)
	for i := range huge {
		huge[i] = fmt.Sprint(i + 1)
	}
	puts := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"huge list", map[string]any{"branch_id": branch, "date": "2027-01-04", "session_ids": huge}, http.StatusBadRequest, "too_many_sessions"},
		{"duplicates", map[string]any{"branch_id": branch, "date": "2027-01-04", "session_ids": strs(s09, s09, s0930, s10)}, http.StatusBadRequest, "duplicate_session"},
		{"unknown id", map[string]any{"branch_id": branch, "date": "2027-01-04", "session_ids": strs(s09, s0930, s10, 99999)}, http.StatusConflict, "queue_changed"},
		{"missing one", map[string]any{"branch_id": branch, "date": "2027-01-04", "session_ids": strs(s09, s10)}, http.StatusConflict, "queue_changed"},
		{"bad id", map[string]any{"branch_id": branch, "date": "2027-01-04", "session_ids": []any{"abc"}}, http.StatusBadRequest, "invalid_id"},
		{"no date", map[string]any{"branch_id": branch, "session_ids": strs(s09, s0930, s10)}, http.StatusBadRequest, "missing_date"},
		{"bad date", map[string]any{"branch_id": branch, "date": "04/01/2027", "session_ids": strs(s09, s0930, s10)}, http.StatusBadRequest, "invalid_date"},
		{"far date", map[string]any{"branch_id": branch, "date": "2040-01-04", "session_ids": []string{}}, http.StatusUnprocessableEntity, "out_of_range"},
		{"no branch", map[string]any{"date": "2027-01-04", "session_ids": strs(s09, s0930, s10)}, http.StatusBadRequest, "missing_branch_id"},
		{"unknown branch", map[string]any{"branch_id": "999", "date": "2027-01-04", "session_ids": []string{}}, http.StatusNotFound, "not_found"},
		{"not an object", `[1,2]`, http.StatusBadRequest, "invalid_json"},
	}
	for _, p := range puts {
		status, body := tb.call(t, access.Receptionist, http.MethodPut, "/api/v1/queue/order", p.body, malformed)
		require.Equal(t, p.status, status, "%s: %v", p.name, body)
		require.Equal(t, p.code, errCode(body), p.name)
	}
	// A list too long for any queue is cut off at the body's size limit.
	status, body := tb.call(t, access.Receptionist, http.MethodPut, "/api/v1/queue/order",
		`{"branch_id": "`+branch+`", "date": "2027-01-04", "session_ids": [`+strings.Repeat(`"123456789",`, 120000)+`"1"]}`, malformed)
	require.Equal(t, http.StatusRequestEntityTooLarge, status, "%v", body)
	require.Equal(t, "body_too_large", errCode(body))

	// Nothing was kept by any of them.
	var kept int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM queue_orders`).Scan(&kept))
	require.Zero(t, kept)
	_, body = tb.call(t, access.Receptionist, http.MethodGet, queuePath(tb, "&sort=manual"), nil)
	require.Equal(t, strs(s10, s09, s0930), itemIDs(t, body))
	require.Equal(t, false, body["ordered"])
	require.True(t, strings.HasPrefix(body["timezone"].(string), "Europe/"))
}
