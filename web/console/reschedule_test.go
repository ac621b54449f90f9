package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// booked books the clinic's patient for the consultation at start.
func (tb *testBundle) booked(t *testing.T, start time.Time) *scheduling.Session {
	t.Helper()
	return schedtest.Must(tb.Svc.Book(context.Background(), "test", tb.clinic.Booking(start)))(t)
}

var moveStarts = regexp.MustCompile(`name="start" value="([^"]+)">\s*<input type="hidden" name="day"`)

func TestRescheduleMovesToAChosenFreeTime(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	s := tb.booked(t, c.At(4, 9, 0))
	br := tb.signedIn(t, access.Receptionist)
	path := fmt.Sprintf("/console/sessions/%d/reschedule", s.ID)
	p := br.get(path)
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, "now Monday 4 January 2027, 09:00–09:30 with Ana Ferreira")
	starts := moveStarts.FindAllStringSubmatch(p.body, -1)
	require.NotEmpty(t, starts)

	to := c.At(4, 11, 0)
	form := url.Values{"csrf": {csrf(t, p)}, "doctor": {fmt.Sprint(c.Doctor.ID)}, "start": {to.Format(time.RFC3339)}}
	p = br.post(path, form)
	require.Equal(t, fmt.Sprintf("/console/sessions/%d", s.ID), p.location())
	require.Contains(t, br.follow(p).body, "Moved Maria Silva&#39;s session to Monday 4 January at 11:00 with Ana Ferreira.")
	moved := schedtest.Must(tb.Svc.GetSession(context.Background(), s.ID))(t)
	require.True(t, moved.Start.Equal(to))

	// A taken time offers the nearest free ones, and moving to one of them works.
	in := c.Booking(c.At(4, 12, 0))
	in.PatientID = c.AddPatient(t, tb.Svc, 1).ID
	schedtest.Must(tb.Svc.Book(context.Background(), "test", in))(t)
	form.Set("start", c.At(4, 12, 0).Format(time.RFC3339))
	p = br.post(path, form)
	require.Equal(t, http.StatusConflict, p.status, p.body)
	require.Contains(t, p.body, "That time is no longer free.")
	alts := moveStarts.FindAllStringSubmatch(p.body, -1)
	require.NotEmpty(t, alts)
	form.Set("start", alts[0][1])
	require.Equal(t, http.StatusSeeOther, br.post(path, form).status)
	moved = schedtest.Must(tb.Svc.GetSession(context.Background(), s.ID))(t)
	require.Equal(t, alts[0][1], moved.Start.In(c.Loc).Format(time.RFC3339))

	// Without a time the form says so.
	p = br.post(path, url.Values{"csrf": {form.Get("csrf")}})
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Contains(t, p.body, "Choose one of the free times.")
}

func TestRescheduleAndCancelAreForTheDesk(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	s := tb.booked(t, tb.clinic.At(4, 9, 0))
	doc := tb.signedIn(t, access.Doctor)
	token := csrf(t, doc.get("/console/"))
	for _, action := range []string{"reschedule", "cancel"} {
		path := fmt.Sprintf("/console/sessions/%d/%s", s.ID, action)
		require.Equal(t, http.StatusForbidden, doc.get(path).status, action)
		require.Equal(t, http.StatusForbidden, doc.post(path, url.Values{"csrf": {token}, "reason": {"Illness"},
			"doctor": {fmt.Sprint(tb.clinic.Doctor.ID)}, "start": {tb.clinic.At(4, 11, 0).Format(time.RFC3339)}}).status, action)
		br := tb.signedIn(t, access.Receptionist)
		p := br.post(path, url.Values{"reason": {"Illness"}, "doctor": {fmt.Sprint(tb.clinic.Doctor.ID)},
			"start": {tb.clinic.At(4, 11, 0).Format(time.RFC3339)}})
		require.Equal(t, http.StatusForbidden, p.status, action)
		require.Contains(t, p.body, "This form has expired")
	}
	still := schedtest.Must(tb.Svc.GetSession(context.Background(), s.ID))(t)
	require.Equal(t, scheduling.StatusWaiting, still.Status)
	require.True(t, still.Start.Equal(tb.clinic.At(4, 9, 0)))
	require.Equal(t, http.StatusNotFound, tb.signedIn(t, access.Receptionist).get("/console/sessions/999999/cancel").status)
}

func TestCancelWithAListedOrWrittenReason(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	first := tb.booked(t, tb.clinic.At(4, 9, 0))
	path := fmt.Sprintf("/console/sessions/%d/cancel", first.ID)
	p := br.get(path)
	require.Equal(t, http.StatusOK, p.status, p.body)
	reasons := schedtest.Must(tb.Svc.CancelReasons(context.Background()))(t)
	for _, r := range reasons {
		require.Contains(t, p.body, `value="`+r+`"`)
	}
	token := csrf(t, p)

	// "Other" with nothing written is refused at the field and cancels nothing.
	p = br.post(path, url.Values{"csrf": {token}, "reason": {otherReason}})
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Regexp(t, `id="other"[^>]*>\s*<p class="field-error" role="alert">Write the reason`, p.body)
	require.Equal(t, scheduling.StatusWaiting, schedtest.Must(tb.Svc.GetSession(context.Background(), first.ID))(t).Status)

	p = br.post(path, url.Values{"csrf": {token}, "reason": {reasons[1]}})
	require.Contains(t, br.follow(p).body, "Cancelled Maria Silva&#39;s session of Monday 4 January 2027, 09:00–09:30 ("+reasons[1]+").")
	done := schedtest.Must(tb.Svc.GetSession(context.Background(), first.ID))(t)
	require.Equal(t, scheduling.StatusCancelled, done.Status)
	require.Equal(t, reasons[1], *done.CancelReason)

	// A cancelled session cannot be cancelled again: the page says why.
	p = br.post(path, url.Values{"csrf": {token}, "reason": {reasons[0]}})
	require.Equal(t, http.StatusConflict, p.status, p.body)
	require.Contains(t, p.body, "This session is cancelled and can no longer be cancelled.")

	second := tb.booked(t, tb.clinic.At(4, 10, 0))
	p = br.post(fmt.Sprintf("/console/sessions/%d/cancel", second.ID), url.Values{"csrf": {token}, "reason": {otherReason},
		"other": {"  Travelling abroad "}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "Travelling abroad", *schedtest.Must(tb.Svc.GetSession(context.Background(), second.ID))(t).CancelReason)
}
