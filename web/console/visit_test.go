package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// book books the clinic's patient with its doctor today at 10:00 in Lisbon and answers the session
// page's path.
func (tb *testBundle) book(t *testing.T) (scheduling.ID, string) {
	t.Helper()
	in := tb.clinic.Booking(tb.clinic.At(4, 10, 0))
	in.RoomID = &tb.clinic.Rooms[1]
	s := schedtest.Must(tb.Svc.Book(context.Background(), "test", in))(t)
	return s.ID, "/console/sessions/" + strconv.FormatInt(int64(s.ID), 10)
}

// status is the session's status as stored.
func (tb *testBundle) status(t *testing.T, id scheduling.ID) string {
	t.Helper()
	return schedtest.Must(tb.Svc.GetSession(context.Background(), id))(t).Status
}

// move posts a lifecycle move from the session page, with the page's CSRF token.
func (br *browser) move(path, move string) page {
	br.t.Helper()
	return br.post(path+"/"+move, url.Values{"csrf": {csrf(br.t, br.get(path))}})
}

func TestVisitPageShowsTheSessionAndTheMovesOfTheRole(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	_, path := tb.book(t)

	desk := tb.signedIn(t, access.Receptionist).get(path)
	require.Equal(t, http.StatusOK, desk.status, desk.body)
	for _, want := range []string{"Maria Silva", `href="/console/patients/`, "Ana Ferreira", "Room 2", "Consultation (10:00–10:30)",
		"Monday 4 January 2027", "Europe/Lisbon", "Waiting", ">Check in<", ">No-show<", path + "/cancel", path + "/reschedule", "Booked"} {
		require.Contains(t, desk.body, want)
	}
	require.NotContains(t, desk.body, ">Open<", "the front desk does not open a session for the doctor")
	require.NotContains(t, desk.body, "Clinical record", "a receptionist sees no clinical record")

	doc := tb.signedIn(t, access.Doctor).get(path)
	require.Contains(t, doc.body, ">Open<")
	require.Contains(t, doc.body, "written once the session is open")
	for _, hidden := range []string{">Check in<", ">No-show<", path + "/cancel"} {
		require.NotContains(t, doc.body, hidden)
	}

	require.Equal(t, http.StatusNotFound, tb.signedIn(t, access.Manager).get("/console/sessions/999999").status)
	require.Equal(t, http.StatusNotFound, tb.signedIn(t, access.Manager).get("/console/sessions/nope").status)
}

func TestVisitMovesFollowTheLifecycleAndTheRoles(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	id, path := tb.book(t)
	desk, doc := tb.signedIn(t, access.Receptionist), tb.signedIn(t, access.Doctor)

	// Without the CSRF token nothing moves.
	p := desk.post(path+"/check-in", url.Values{})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, id))

	// A doctor may not check in, and the front desk may not open.
	require.Equal(t, http.StatusForbidden, doc.move(path, "check-in").status)
	require.Equal(t, http.StatusForbidden, doc.move(path, "no-show").status)
	require.Equal(t, http.StatusForbidden, desk.move(path, "open").status)
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, id))

	// Too early for a no-show: the page says why, nothing changes.
	p = desk.move(path, "no-show")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, path, p.location())
	require.Contains(t, desk.get(path).body, "only once its start")
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, id))

	p = desk.move(path, "check-in")
	require.Equal(t, http.StatusSeeOther, p.status)
	page := desk.get(path)
	require.Contains(t, page.body, "Checked in.")
	require.NotContains(t, page.body, ">Check in<", "a checked-in session offers no second check-in")

	require.Equal(t, http.StatusSeeOther, doc.move(path, "open").status)
	require.Equal(t, scheduling.StatusOpen, tb.status(t, id))
	page = doc.get(path)
	require.Contains(t, page.body, "The session is open.")
	require.Contains(t, page.body, ">Complete<")

	require.Equal(t, http.StatusSeeOther, doc.move(path, "complete").status)
	require.Equal(t, scheduling.StatusCompleted, tb.status(t, id))
	page = doc.get(path)
	require.Contains(t, page.body, "its record is now locked")
	require.NotContains(t, page.body, ">Complete<")
	for _, event := range []string{"Booked", "Checked in", "Opened", "Completed"} {
		require.Contains(t, page.body, "<strong>"+event+"</strong>")
	}
}

func TestVisitNoShowOnceTheStartHasPassed(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	id, path := tb.book(t)
	*tb.Clock = tb.clinic.At(4, 10, 20)
	desk := tb.signedIn(t, access.Receptionist)
	require.Equal(t, http.StatusSeeOther, desk.move(path, "no-show").status)
	require.Equal(t, scheduling.StatusNoShow, tb.status(t, id))
	require.Contains(t, desk.get(path).body, "Marked as a no-show.")
	require.Contains(t, tb.signedIn(t, access.Owner).get(path).body, "the patient was not seen")
}

func TestVisitICD10SearchAnswersCodes(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Doctor)
	p := br.get("/console/icd10?q=" + url.QueryEscape("upper respiratory"))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `"code":"J06.9"`)
	require.Equal(t, `{"items":[]}`, br.get("/console/icd10?q=").body)
}

// openSession books a session, and opens it as its doctor at its start.
func (tb *testBundle) openSession(t *testing.T) (scheduling.ID, string, *browser) {
	t.Helper()
	id, path := tb.book(t)
	doc := tb.signedIn(t, access.Doctor)
	require.Equal(t, http.StatusSeeOther, doc.move(path, "open").status)
	return id, path, doc
}
