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

// bookingForm is the booking page's form for the clinic's consultation at start, sent with the page's
// CSRF token.
func (tb *testBundle) bookingForm(token string, start time.Time, patient scheduling.ID) url.Values {
	return url.Values{"csrf": {token}, "branch": {fmt.Sprint(tb.clinic.Branch.ID)},
		"doctor": {fmt.Sprint(tb.clinic.Doctor.ID)}, "exam": {fmt.Sprint(tb.clinic.Consultation.ID)},
		"start": {start.Format(time.RFC3339)}, "patient": {fmt.Sprint(patient)}}
}

// sessionsOf lists the clinic's sessions on Monday 4 January.
func (tb *testBundle) sessionsOf(t *testing.T) []scheduling.Session {
	t.Helper()
	day := scheduling.DateOf(tb.clinic.At(4, 12, 0))
	page, err := tb.Svc.ListSessions(context.Background(), scheduling.SessionFilter{BranchID: tb.clinic.Branch.ID, From: day, To: day})
	require.NoError(t, err)
	return page.Items
}

// follow opens the page a redirect goes to, which shows the flash the action left.
func (br *browser) follow(p page) page {
	br.t.Helper()
	require.Equalf(br.t, http.StatusSeeOther, p.status, "expected a redirect: %s", p.body)
	return br.get(p.location())
}

func TestBookPageShowsTheChosenSlotAndTheDaysFreeTimes(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	c := tb.clinic
	start := c.At(4, 9, 30)
	p := br.get(fmt.Sprintf("/console/book?branch=%d&doctor=%d&start=%s&exam=%d", c.Branch.ID, c.Doctor.ID,
		url.QueryEscape(start.Format(time.RFC3339)), c.Consultation.ID))
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, "Monday 4 January 2027 at <strong>09:30</strong> with Ana Ferreira")
	require.Contains(t, p.body, `<a class="slot slot-chosen"`, "the chosen slot is marked among the free times")
	require.Contains(t, p.body, "<strong>08:00</strong>", "the day's free times are listed")
	require.Contains(t, p.body, ">Book 09:30</button>")

	// Without examinations the page asks for them before listing times.
	p = br.get(fmt.Sprintf("/console/book?branch=%d", c.Branch.ID))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "Tick the examinations to see the free times.")
	require.Contains(t, p.body, `href="/console/book" aria-current="page">Book</a>`, "the desk's navigation has the page")
}

func TestBookAFreeSlot(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	token := csrf(t, br.get("/console/book"))
	start := tb.clinic.At(4, 9, 30)
	p := br.post("/console/book", tb.bookingForm(token, start, tb.clinic.Patient.ID))
	require.Contains(t, br.follow(p).body, "Booked Maria Silva with Ana Ferreira on Monday 4 January at 09:30.")
	sessions := tb.sessionsOf(t)
	require.Len(t, sessions, 1)
	require.Equal(t, fmt.Sprintf("/console/sessions/%d", sessions[0].ID), p.location(), "the booking opens the session's page")
	require.True(t, sessions[0].Start.Equal(start))
	require.Equal(t, tb.clinic.Patient.ID, sessions[0].PatientID)
	full := schedtest.Must(tb.Svc.GetSession(context.Background(), sessions[0].ID))(t)
	require.Contains(t, string(full.History[0].Actor), "receptionist@clinic.test", "the history names the user")
}

var alternativeStarts = regexp.MustCompile(`name="start" value="([^"]+)">\s*<input type="hidden" name="patient"`)

func TestBookATakenSlotOffersAlternativesThatBookWithOneClick(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	other := c.AddPatient(t, tb.Svc, 1)
	taken := c.At(4, 9, 30)
	in := c.Booking(taken)
	in.PatientID = other.ID
	schedtest.Must(tb.Svc.Book(context.Background(), "test", in))(t)

	br := tb.signedIn(t, access.Receptionist)
	token := csrf(t, br.get("/console/book"))
	p := br.post("/console/book", tb.bookingForm(token, taken, c.Patient.ID))
	require.Equal(t, http.StatusConflict, p.status, p.body)
	require.Contains(t, p.body, "That time is no longer free. Choose one of the nearest free times below.")
	alts := alternativeStarts.FindAllStringSubmatch(p.body, -1)
	require.NotEmpty(t, alts, p.body)
	require.Len(t, tb.sessionsOf(t), 1, "nothing was booked")
	require.Contains(t, p.body, "at <strong>09:30</strong> with Ana Ferreira · no longer free")
	require.NotContains(t, p.body, ">Book 09:30</button>", "the taken time is no longer offered")

	alt, err := time.Parse(time.RFC3339, alts[0][1])
	require.NoError(t, err)
	require.False(t, alt.Equal(taken))
	p = br.post("/console/book", tb.bookingForm(csrf(t, p), alt, c.Patient.ID))
	require.Contains(t, br.follow(p).body, "Booked Maria Silva with Ana Ferreira on Monday 4 January at "+alt.In(c.Loc).Format("15:04"))
	require.Len(t, tb.sessionsOf(t), 2)
}

func TestBookRegistersANewPatient(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	form := tb.bookingForm(csrf(t, br.get("/console/book")), tb.clinic.At(4, 10, 0), 0)
	form.Del("patient")
	form.Set("new_name", "Rui Costa")
	form.Set("new_phone", "+351 913 000 111")
	p := br.post("/console/book", form)
	require.Contains(t, br.follow(p).body, "Booked Rui Costa with Ana Ferreira")
	found := schedtest.Must(tb.Svc.FindPatientByPhone(context.Background(), "+351913000111"))(t)
	sessions := tb.sessionsOf(t)
	require.Len(t, sessions, 1)
	require.Equal(t, found.ID, sessions[0].PatientID)
}

func TestBookWithADuplicatePhoneOffersTheExistingPatient(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	form := tb.bookingForm(csrf(t, br.get("/console/book")), tb.clinic.At(4, 10, 0), 0)
	form.Del("patient")
	form.Set("new_name", "Maria S.")
	form.Set("new_phone", tb.clinic.Patient.Phone)
	p := br.post("/console/book", form)
	require.Equal(t, http.StatusConflict, p.status, p.body)
	require.Contains(t, p.body, "This phone is already registered to another patient.")
	require.Contains(t, p.body, fmt.Sprintf(`name="patient" value="%d"> Book for <strong>Maria Silva</strong>`, tb.clinic.Patient.ID))
	require.Contains(t, p.body, `value="Maria S."`, "what was typed is kept")
	require.Empty(t, tb.sessionsOf(t))

	// A bad phone is refused at its field, and nothing is saved.
	form.Set("new_phone", "12")
	p = br.post("/console/book", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status, p.body)
	require.Regexp(t, `id="new_phone"[^>]*>\s*<p class="field-error" role="alert">Phone`, p.body)
	require.Empty(t, tb.sessionsOf(t))

	// Without examinations or a patient the form says what is missing.
	p = br.post("/console/book", url.Values{"csrf": {form.Get("csrf")}, "branch": form["branch"], "start": form["start"]})
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Contains(t, p.body, "Choose at least one examination.")
	require.Contains(t, p.body, "Find the patient, or register a new one with a name and phone.")
}

func TestBookAWalkInTakesTheFirstFreeTimeFromNow(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	ctx := context.Background()
	today := scheduling.DateOf(c.At(4, 12, 0))
	q := scheduling.AvailabilityQuery{BranchID: c.Branch.ID, ExaminationIDs: []scheduling.ID{c.Consultation.ID}, From: today, To: today}
	first := schedtest.Must(tb.Svc.Availability(ctx, q))(t)[0]
	in := c.Booking(first.Start)
	in.PatientID = c.AddPatient(t, tb.Svc, 1).ID
	schedtest.Must(tb.Svc.Book(ctx, "test", in))(t)
	next := schedtest.Must(tb.Svc.Availability(ctx, q))(t)[0]

	br := tb.signedIn(t, access.Receptionist)
	form := tb.bookingForm(csrf(t, br.get("/console/book")), time.Time{}, c.Patient.ID)
	form.Del("start")
	form.Del("doctor")
	form.Set("walkin", "1")
	p := br.post("/console/book", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	var booked *scheduling.Session
	for _, s := range tb.sessionsOf(t) {
		if s.PatientID == c.Patient.ID {
			booked = &s
		}
	}
	require.NotNil(t, booked)
	require.True(t, booked.Start.Equal(next.Start), "the walk-in takes the first time still free: %v, want %v", booked.Start, next.Start)
	require.False(t, booked.Start.Before(tb.clock.Now()))
}

func TestBookPatientSearchAnswersAFragment(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	p := br.get("/console/book/patients?q=mar")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, fmt.Sprintf(`<input type="radio" name="patient" value="%d"> <span class="choice-name">Maria Silva</span>`, tb.clinic.Patient.ID))
	require.NotContains(t, p.body, "<html", "a fragment, not a page")
	require.Contains(t, br.get("/console/book/patients?q=zzz").body, "No patient matches “zzz”. Register them below.")
	require.Contains(t, br.get("/console/book/patients?q=m").body, "Type at least two letters")
}

func TestBookIsForTheDeskAndNeedsTheFormsToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	doc := tb.signedIn(t, access.Doctor)
	token := csrf(t, doc.get("/console/"))
	require.Equal(t, http.StatusForbidden, doc.get("/console/book").status)
	require.Equal(t, http.StatusForbidden, doc.get("/console/book/patients?q=maria").status)
	require.Equal(t, http.StatusForbidden, doc.post("/console/book", tb.bookingForm(token, tb.clinic.At(4, 9, 0), tb.clinic.Patient.ID)).status)
	require.NotContains(t, doc.get("/console/").body, `href="/console/book"`, "a doctor's navigation has no booking")
	for _, role := range []access.Role{access.Owner, access.Manager} {
		require.Equal(t, http.StatusOK, tb.signedIn(t, role).get("/console/book").status, role)
	}

	br := tb.signedIn(t, access.Receptionist)
	p := br.post("/console/book", tb.bookingForm("", tb.clinic.At(4, 9, 0), tb.clinic.Patient.ID))
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "This form has expired")
	require.Empty(t, tb.sessionsOf(t))
}
