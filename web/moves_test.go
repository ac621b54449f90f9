package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

func (tb *testBundle) book(t *testing.T, start time.Time, exams ...scheduling.ID) *scheduling.Session {
	t.Helper()
	return schedtest.Must(tb.Svc.Book(context.Background(), "desk", tb.clinic.Booking(start, exams...)))(t)
}

func sessionPath(id scheduling.ID, tail string) string {
	return "/api/v1/sessions/" + id.String() + tail
}

// TestRescheduleOverHTTP: the same id at the new time with its draft invoice; a taken slot is 409 with
// alternatives at the top level; a receptionist may, a doctor may not.
func TestRescheduleOverHTTP(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	s := tb.book(t, c.At(5, 10, 0))
	status, body := tb.call(t, access.Receptionist, http.MethodPost, sessionPath(s.ID, "/reschedule"),
		map[string]any{"start": c.At(6, 9, 0).Format(time.RFC3339)})
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, s.ID.String(), body["id"])
	require.Equal(t, "2027-01-06T09:00:00Z", body["start"])
	invoice, ok := body["invoice"].(map[string]any)
	require.True(t, ok, "the session answers with its invoice: %v", body["invoice"])
	require.Equal(t, "draft", invoice["status"], "priced again at the new time, still a draft")
	require.Equal(t, s.ID.String(), invoice["session_id"])

	other := c.AddPatient(t, tb.Svc, 1)
	in := c.Booking(c.At(7, 9, 0))
	in.PatientID = other.ID
	schedtest.Must(tb.Svc.Book(context.Background(), "desk", in))(t)
	status, body = tb.call(t, access.Receptionist, http.MethodPost, sessionPath(s.ID, "/reschedule"),
		map[string]any{"start": c.At(7, 9, 0).Format(time.RFC3339)})
	require.Equal(t, http.StatusConflict, status, "%v", body)
	require.Equal(t, scheduling.CodeSlotTaken, errCode(body))
	require.NotEmpty(t, body["alternatives"])

	status, body = tb.call(t, access.Doctor, http.MethodPost, sessionPath(s.ID, "/reschedule"),
		map[string]any{"start": c.At(8, 9, 0).Format(time.RFC3339)})
	require.Equal(t, http.StatusForbidden, status, "%v", body)
	status, body = tb.call(t, access.Receptionist, http.MethodPost, sessionPath(s.ID, "/reschedule"), map[string]any{}, malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", body)
	require.Equal(t, "missing_start", errCode(body))
}

// TestNoShowAndExaminationsOverHTTP walks the two new moves, and a doctor's token on another doctor's
// session.
func TestNoShowAndExaminationsOverHTTP(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	ctx := context.Background()
	s := tb.book(t, c.At(4, 10, 0))
	status, body := tb.call(t, access.Receptionist, http.MethodPost, sessionPath(s.ID, "/no-show"), nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", body)
	require.Equal(t, "too_early", errCode(body))
	*tb.Clock = c.At(4, 10, 15)
	status, body = tb.call(t, access.Receptionist, http.MethodPost, sessionPath(s.ID, "/no-show"), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, scheduling.StatusNoShow, body["status"])

	next := tb.book(t, c.At(4, 11, 0))
	status, body = tb.call(t, access.Doctor, http.MethodPut, sessionPath(next.ID, "/examinations"),
		map[string]any{"examination_ids": []string{c.Consultation.ID.String(), c.ECG.ID.String()}})
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, "2027-01-04T11:50:00Z", body["end"])
	require.Len(t, body["examinations"], 2)

	// The doctor's token acts for the clinic's doctor only.
	bruno := c.AddDoctor(t, tb.Svc, "Bruno Dias")
	derm := c.AddExamination(t, tb.Svc, "DERM", false, bruno.ID)
	in := c.Booking(c.At(4, 12, 0), derm.ID)
	in.DoctorID = bruno.ID
	his := schedtest.Must(tb.Svc.Book(ctx, "desk", in))(t)
	for _, move := range []string{"/open", "/complete"} {
		status, body = tb.call(t, access.Doctor, http.MethodPost, sessionPath(his.ID, move), nil)
		require.Equal(t, http.StatusForbidden, status, "%s: %v", move, body)
		require.Equal(t, "forbidden", errCode(body))
	}
	status, body = tb.call(t, access.Doctor, http.MethodPost, sessionPath(next.ID, "/open"), nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	status, body = tb.call(t, access.Manager, http.MethodPost, sessionPath(his.ID, "/open"), nil)
	require.Equal(t, http.StatusOK, status, "a manager acts for every doctor: %v", body)
}
