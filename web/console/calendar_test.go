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
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

var hourLabel = regexp.MustCompile(`<div class="cal-hour" data-top="\d+">([0-9:]+)</div>`)

// hourLabels are the time axis of a calendar page.
func hourLabels(body string) []string {
	var out []string
	for _, m := range hourLabel.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestCalendarDayShowsDoctorsSessionsFreeSlotsAndBlocks(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	s := schedtest.Must(tb.Svc.Book(ctx, "test", c.Booking(c.At(5, 9, 0))))(t)
	cancelled := schedtest.Must(tb.Svc.Book(ctx, "test", c.Booking(c.At(5, 11, 0))))(t)
	schedtest.Must(tb.Svc.Cancel(ctx, "test", cancelled.ID, "patient asked"))(t)
	schedtest.Must(tb.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, Start: c.At(5, 15, 0),
		End: c.At(5, 16, 0), Reason: "Fire drill"}))(t)

	br := tb.signedIn(t, access.Receptionist)
	p := br.get("/console/calendar?date=2027-01-05")
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, "Lisbon · Tuesday 5 January 2027")
	require.Contains(t, p.body, `<div class="cal-colhead">`+c.Doctor.Name)
	// The session is drawn 9 hours into the day for 30 minutes, linking to its page.
	require.Regexp(t, `class="cal-item cal-session status-waiting" href="/console/sessions/`+s.ID.String()+`" data-top="540" data-len="30"`, p.body)
	require.Contains(t, p.body, "09:00–09:30 Maria Silva")
	require.NotContains(t, p.body, "/console/sessions/"+cancelled.ID.String(), "a cancelled session holds no time")
	// Free slots come from availability: none at 09:00 (booked) or in the block, one at 08:00.
	free := regexp.MustCompile(`class="cal-item cal-free" href="([^"]+)"`).FindAllStringSubmatch(p.body, -1)
	require.NotEmpty(t, free)
	var starts []string
	for _, m := range free {
		u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		require.NoError(t, err)
		require.Equal(t, "/console/book", u.Path)
		require.Equal(t, c.Branch.ID.String(), u.Query().Get("branch"))
		require.Equal(t, c.Doctor.ID.String(), u.Query().Get("doctor"))
		starts = append(starts, u.Query().Get("start"))
	}
	require.Contains(t, starts, "2027-01-05T08:00:00Z")
	require.NotContains(t, starts, "2027-01-05T09:00:00Z")
	require.NotContains(t, starts, "2027-01-05T15:00:00Z")
	require.Regexp(t, `class="cal-item cal-block" data-top="900" data-len="60" title="15:00–16:00 Fire drill"`, p.body)
	require.Len(t, hourLabels(p.body), 24)
	// A receptionist sees the blocks but may not add or remove them.
	require.Contains(t, p.body, "Fire drill")
	require.NotContains(t, p.body, "Add block")
}

func TestCalendarDSTDaysHaveTheirRealHours(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Manager)
	spring := br.get("/console/calendar?view=rooms&date=2027-03-28")
	require.Equal(t, http.StatusOK, spring.status, spring.body)
	labels := hourLabels(spring.body)
	require.Len(t, labels, 23)
	require.Equal(t, []string{"00:00", "02:00", "03:00"}, labels[:3])

	autumn := hourLabels(br.get("/console/calendar?view=rooms&date=2027-10-31").body)
	require.Len(t, autumn, 25)
	require.Equal(t, []string{"00:00", "01:00", "01:00", "02:00"}, autumn[:4])

	week := br.get("/console/calendar?view=week&date=2027-03-24").body
	require.Contains(t, week, "clocks change: 23-hour day")
	require.Contains(t, week, `href="/console/calendar?branch=`)
	require.Len(t, hourLabels(week), 24, "the week's days share a wall-clock axis")
}

func TestCalendarWeekAndRoomViews(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	in := c.Booking(c.At(6, 10, 0))
	in.RoomID = &c.Rooms[0]
	schedtest.Must(tb.Svc.Book(ctx, "test", in))(t)
	other := c.AddDoctor(t, tb.Svc, "Bruno Costa")
	exam := c.AddExamination(t, tb.Svc, "X1", false, other.ID)
	theirs := c.Booking(c.At(6, 10, 15), exam.ID)
	theirs.DoctorID, theirs.PatientID = other.ID, c.AddPatient(t, tb.Svc, 2).ID
	schedtest.Must(tb.Svc.Book(ctx, "test", theirs))(t)
	br := tb.signedIn(t, access.Doctor)

	week := br.get("/console/calendar?view=week&date=2027-01-07")
	require.Equal(t, http.StatusOK, week.status, week.body)
	require.Contains(t, week.body, "week of 4 January – 10 January 2027")
	require.Regexp(t, `Wed 6 Jan</a>.*?data-top="600" data-len="30"[^>]*>\s*<strong>10:00–10:30 Maria Silva`, strings.ReplaceAll(week.body, "\n", " "))

	// Sessions of two doctors at once sit side by side in the day's column.
	require.Regexp(t, `data-top="600" data-len="30" data-lane="0" data-lanes="2"`, week.body)
	require.Regexp(t, `data-top="615" data-len="30" data-lane="1" data-lanes="2"`, week.body)

	rooms := br.get("/console/calendar?view=rooms&date=2027-01-06")
	require.Equal(t, http.StatusOK, rooms.status)
	require.Contains(t, rooms.body, "10:00–10:30 Maria Silva")
	require.Contains(t, rooms.body, c.Doctor.Name+" · Consultation")

	require.Equal(t, http.StatusBadRequest, br.get("/console/calendar?date=2027-02-30").status)
	require.Equal(t, http.StatusBadRequest, br.get("/console/calendar?view=month").status)
	require.Equal(t, http.StatusNotFound, br.get("/console/calendar?branch=999999").status)
}

// TestCalendarFreeTimeOfADoctorWhoseFirstExaminationHasWindows: a doctor whose first examination
// is bookable only in a morning window still shows their afternoon free time, through another.
func TestCalendarFreeTimeOfADoctorWhoseFirstExaminationHasWindows(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	cardio := c.AddDoctor(t, tb.Svc, "Bruno Costa")
	ten, price, no := 10, int64(1500), false
	schedtest.Must(tb.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "LAB01", Name: "Blood draw",
		Price: &price, DurationMinutes: &ten, Taxable: &no, BranchIDs: []scheduling.ID{c.Branch.ID},
		DoctorIDs: []scheduling.ID{cardio.ID}, Windows: []scheduling.WeeklyHours{{Weekday: 2, Start: "08:00", End: "09:00"}}}))(t)
	consult := c.AddExamination(t, tb.Svc, "CAR03", false, cardio.ID)

	br := tb.signedIn(t, access.Receptionist)
	p := br.get("/console/calendar?date=2027-01-05")
	require.Equal(t, http.StatusOK, p.status, p.body)
	var afternoon []string
	for _, m := range regexp.MustCompile(`class="cal-item cal-free" href="([^"]+)"`).FindAllStringSubmatch(p.body, -1) {
		u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
		require.NoError(t, err)
		if u.Query().Get("doctor") == cardio.ID.String() && u.Query().Get("start") >= "2027-01-05T12:00" {
			afternoon = append(afternoon, u.Query().Get("start"))
			require.Equal(t, consult.ID.String(), u.Query().Get("exam"))
		}
	}
	require.NotEmpty(t, afternoon, "the doctor's afternoon is free and shows")
}
