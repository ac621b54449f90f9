package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

func TestSettingsAreForOwnersAndManagersOnly(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	branch := "/console/settings/branches/" + idPath(tb.clinic.Branch.ID)
	doctor := "/console/settings/doctors/" + idPath(tb.clinic.Doctor.ID)
	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		br := tb.signedIn(t, role)
		token := csrf(t, br.get("/console/"))
		require.NotContains(t, br.get("/console/").body, `href="/console/settings"`, role)
		for _, path := range []string{"/console/settings", "/console/settings/branches", "/console/settings/branches/new",
			branch, "/console/settings/doctors", doctor} {
			p := br.get(path)
			require.Equal(t, http.StatusForbidden, p.status, "%s %s", role, path)
			require.Contains(t, p.body, "may not open this page")
		}
		room := branch + "/rooms/" + idPath(tb.clinic.Rooms[0])
		for _, path := range []string{"/console/settings/branches", branch, branch + "/rooms", room, room + "/delete", "/console/settings/doctors",
			doctor + "/attendance/" + idPath(tb.clinic.Branch.ID)} {
			p := br.post(path, url.Values{"csrf": {token}, "name": {"Mallory"}, "room_name": {"Mallory"}})
			require.Equal(t, http.StatusForbidden, p.status, "%s %s", role, path)
		}
	}
	rooms := schedtest.Must(tb.Svc.ListRooms(context.Background(), 0))(t)
	require.Len(t, rooms, 2)
	require.Len(t, schedtest.Must(tb.Svc.ListDoctors(context.Background()))(t), 1)

	// A manager sees the clinic's settings; the users' page is the owner's alone.
	p := tb.signedIn(t, access.Manager).get("/console/settings")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `<a href="/console/settings" aria-current="page">Settings</a>`)
	for _, want := range []string{"/console/settings/branches", "/console/settings/doctors", "/console/settings/examinations",
		"/console/settings/cancel-reasons", "/console/settings/templates"} {
		require.Contains(t, p.body, `href="`+want+`"`)
	}
	require.NotContains(t, p.body, "/console/settings/users")
	p = tb.signedIn(t, access.Owner).get("/console/settings")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `href="/console/settings/users"`)
}

// branchForm is a complete branch form: Monday to Friday 09:00–13:00 and 14:00–18:00, Friday until 15:00.
func branchForm(token string) url.Values {
	f := url.Values{"csrf": {token}, "name": {"Porto Ribeira"}, "timezone": {"Europe/Lisbon"}, "currency": {"eur"},
		"tax_rate": {"6,5"}, "slot_interval": {""}, "min_notice": {"120"}, "horizon_days": {"60"}}
	for wd := 1; wd <= 7; wd++ {
		for i := range 3 {
			f.Set(spanKey("hours", wd, i, "start"), "")
			f.Set(spanKey("hours", wd, i, "end"), "")
		}
	}
	for wd := 1; wd <= 5; wd++ {
		f.Set(spanKey("hours", wd, 0, "start"), "09:00")
		f.Set(spanKey("hours", wd, 0, "end"), "13:00")
		f.Set(spanKey("hours", wd, 1, "start"), "14:00")
		f.Set(spanKey("hours", wd, 1, "end"), "18:00")
	}
	f.Set(spanKey("hours", 5, 1, "end"), "15:00")
	return f
}

func spanKey(prefix string, wd, i int, end string) string {
	return prefix + "-" + strconv.Itoa(wd) + "-" + strconv.Itoa(i) + "-" + end
}

func TestBranchIsCreatedAndEditedWithItsHours(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	br := tb.signedIn(t, access.Manager)

	p := br.get("/console/settings/branches")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `href="/console/settings/branches/`+idPath(tb.clinic.Branch.ID)+`">Lisbon</a>`)
	require.Contains(t, p.body, "Mon–Sat 08:00–13:00, 14:00–19:00")

	p = br.get("/console/settings/branches/new")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `<option>America/New_York</option>`)
	require.NotContains(t, p.body, `<option>US/Eastern</option>`, "only canonical zones are offered")
	token := csrf(t, p)

	// Without the CSRF token nothing is created.
	f := branchForm(token)
	f.Del("csrf")
	require.Equal(t, http.StatusForbidden, br.post("/console/settings/branches", f).status)
	require.Len(t, schedtest.Must(tb.Svc.ListBranches(ctx))(t), 1)

	p = br.post("/console/settings/branches", branchForm(token))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	branches := schedtest.Must(tb.Svc.ListBranches(ctx))(t)
	require.Len(t, branches, 2)
	b := branches[1]
	require.Equal(t, "/console/settings/branches/"+idPath(b.ID), p.location())
	require.Equal(t, "EUR", b.Currency)
	require.Equal(t, 650, b.TaxRateBP)
	require.Equal(t, 120, b.MinNoticeMinutes)
	require.Equal(t, 60, b.HorizonDays)
	require.Nil(t, b.SlotIntervalMinutes)
	require.Len(t, b.Hours, 10)
	require.Contains(t, b.Hours, scheduling.WeeklyHours{Weekday: 5, Start: "14:00", End: "15:00"})

	path := p.location()
	p = br.get(path)
	require.Contains(t, p.body, "Branch Porto Ribeira is added.")
	require.Contains(t, p.body, `value="6.5"`)
	require.Contains(t, p.body, `<option selected>Europe/Lisbon</option>`)
	require.Contains(t, p.body, `name="hours-5-1-end" value="15:00"`)
	require.Contains(t, p.body, `name="hours-5-2-start" value=""`, "a blank span is offered to add one")

	// Saving replaces the whole branch: another zone, Saturday mornings, open until midnight on Friday.
	f = branchForm(token)
	f.Set("timezone", "America/New_York")
	f.Set("currency", "USD")
	f.Set("slot_interval", "15")
	f.Set(spanKey("hours", 6, 0, "start"), "10:00")
	f.Set(spanKey("hours", 6, 0, "end"), "12:00")
	f.Set(spanKey("hours", 5, 2, "start"), "20:00")
	f.Set(spanKey("hours", 5, 2, "end"), "00:00")
	p = br.post(path, f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	got := schedtest.Must(tb.Svc.GetBranch(ctx, b.ID))(t)
	require.Equal(t, "America/New_York", got.Timezone)
	require.Equal(t, 15, *got.SlotIntervalMinutes)
	require.Contains(t, got.Hours, scheduling.WeeklyHours{Weekday: 6, Start: "10:00", End: "12:00"})
	require.Contains(t, got.Hours, scheduling.WeeklyHours{Weekday: 5, Start: "20:00", End: "24:00"})
	p = br.get(path)
	require.Contains(t, p.body, "are saved.")
	require.Contains(t, p.body, `name="hours-5-2-end" value="00:00"`)
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/branches/99999").status)
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/branches/x").status)
}

func TestBranchFormShowsErrorsAtTheFieldAndSavesNothing(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	br := tb.signedIn(t, access.Owner)
	path := "/console/settings/branches/" + idPath(tb.clinic.Branch.ID)
	token := csrf(t, br.get(path))
	before := schedtest.Must(tb.Svc.GetBranch(ctx, tb.clinic.Branch.ID))(t)

	for _, c := range []struct {
		name        string
		change      func(url.Values)
		field, want string
	}{
		{"missing name", func(f url.Values) { f.Set("name", " ") }, "name", "Enter the branch&#39;s name."},
		{"link zone", func(f url.Values) { f.Set("timezone", "US/Eastern") }, "timezone", "Choose a time zone from the list."},
		{"withdrawn currency", func(f url.Values) { f.Set("currency", "HRK") }, "currency", "currency code in use"},
		{"tax as text", func(f url.Values) { f.Set("tax_rate", "lots") }, "tax_rate", "as a percentage"},
		{"tax with three decimals", func(f url.Values) { f.Set("tax_rate", "6.125") }, "tax_rate", "as a percentage"},
		{"huge tax", func(f url.Values) { f.Set("tax_rate", "2000") }, "tax_rate", "between 0 and 1000"},
		{"slot interval too short", func(f url.Values) { f.Set("slot_interval", "2") }, "slot_interval", "between 5 and 1440"},
		{"notice not a number", func(f url.Values) { f.Set("min_notice", "an hour") }, "min_notice", "number of minutes"},
		{"no horizon", func(f url.Values) { f.Set("horizon_days", "0") }, "horizon_days", "between 1 and 730"},
		{"half a span", func(f url.Values) { f.Set(spanKey("hours", 3, 2, "start"), "19:00") }, "hours-3", "both the start and the end"},
		{"end before start", func(f url.Values) {
			f.Set(spanKey("hours", 4, 0, "start"), "13:00")
			f.Set(spanKey("hours", 4, 0, "end"), "09:00")
		}, "hours-4", "end after it starts"},
		{"overlapping spans", func(f url.Values) { f.Set(spanKey("hours", 2, 1, "start"), "12:00") }, "hours-2", "overlap"},
		{"not a time", func(f url.Values) { f.Set(spanKey("hours", 1, 0, "start"), "nine") }, "hours-1", "times of day such as 09:00"},
	} {
		f := branchForm(token)
		c.change(f)
		p := br.post(path, f)
		require.GreaterOrEqual(t, p.status, 400, c.name)
		require.Less(t, p.status, 500, c.name)
		require.Contains(t, p.body, `id="`+c.field+`-error">`, c.name)
		require.Contains(t, p.body, c.want, c.name)
		require.Contains(t, p.body, `name="hours-5-1-end" value="15:00"`, "%s: what was typed stays in the form", c.name)
	}
	// Every mistake is marked at once.
	f := branchForm(token)
	f.Set("currency", "XYZ")
	f.Set(spanKey("hours", 1, 0, "end"), "08:00")
	f.Set(spanKey("hours", 2, 1, "start"), "12:00")
	p := br.post(path, f)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	for _, field := range []string{"currency", "hours-1", "hours-2"} {
		require.Contains(t, p.body, `id="`+field+`-error">`)
	}
	require.Equal(t, before, schedtest.Must(tb.Svc.GetBranch(ctx, tb.clinic.Branch.ID))(t))

	// A new branch refused keeps its typed values too and is not created.
	f = branchForm(token)
	f.Set("name", "")
	p = br.post("/console/settings/branches", f)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `<option selected>Europe/Lisbon</option>`)
	require.Contains(t, p.body, `name="hours-5-1-end" value="15:00"`)
	require.Len(t, schedtest.Must(tb.Svc.ListBranches(ctx))(t), 1)
}

func TestRoomsAreAddedRenamedAndRemoved(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	br := tb.signedIn(t, access.Manager)
	path := "/console/settings/branches/" + idPath(tb.clinic.Branch.ID)
	p := br.get(path)
	require.Contains(t, p.body, `aria-label="Name of Room 1"`)
	token := csrf(t, p)
	names := func() []string {
		var out []string
		for _, r := range schedtest.Must(tb.Svc.ListRooms(ctx, tb.clinic.Branch.ID))(t) {
			out = append(out, r.Name)
		}
		return out
	}

	require.Equal(t, http.StatusForbidden, br.post(path+"/rooms", url.Values{"room_name": {"Room 3"}}).status)
	p = br.post(path+"/rooms", url.Values{"csrf": {token}, "room_name": {"Room 1"}})
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, `id="room_name-error">This branch already has a room with this name.`)
	require.Contains(t, p.body, `value="Room 1"`)
	p = br.post(path+"/rooms", url.Values{"csrf": {token}, "room_name": {""}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `id="room_name-error">Enter the room&#39;s name.`)

	p = br.post(path+"/rooms", url.Values{"csrf": {token}, "room_name": {" Room 3 "}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Contains(t, br.get(path).body, "Room Room 3 is added.")
	require.Equal(t, []string{"Room 1", "Room 2", "Room 3"}, names())
	require.Equal(t, http.StatusNotFound, br.post("/console/settings/branches/99999/rooms",
		url.Values{"csrf": {token}, "room_name": {"Room 9"}}).status)

	// Renaming: a refusal is shown at the room's row with the name typed.
	rooms := tb.clinic.Rooms
	room := path + "/rooms/" + idPath(rooms[1])
	require.Equal(t, http.StatusForbidden, br.post(room, url.Values{"room_name": {"Imaging"}}).status)
	p = br.post(room, url.Values{"csrf": {token}, "room_name": {"Room 1"}})
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, `id="room-`+idPath(rooms[1])+`-error">This branch already has a room with this name.`)
	p = br.post(room, url.Values{"csrf": {token}, "room_name": {"Imaging"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Contains(t, br.get(path).body, "The room is renamed Imaging.")
	require.Equal(t, []string{"Room 1", "Imaging", "Room 3"}, names())

	// A room of another branch, or none, is not found from this branch.
	zero := 0
	other := schedtest.Must(tb.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon",
		Currency: "EUR", TaxRateBP: &zero}))(t)
	theirs := schedtest.Must(tb.Svc.CreateRoom(ctx, other.ID, "Theirs"))(t)
	require.Equal(t, http.StatusNotFound, br.post(path+"/rooms/"+idPath(theirs.ID), url.Values{"csrf": {token}, "room_name": {"Mine"}}).status)
	require.Equal(t, http.StatusNotFound, br.post(path+"/rooms/"+idPath(theirs.ID)+"/delete", url.Values{"csrf": {token}}).status)
	require.Equal(t, http.StatusNotFound, br.post(path+"/rooms/x/delete", url.Values{"csrf": {token}}).status)

	// Removing: a room with a session stays, with the reason at its row; an unused one goes.
	s := schedtest.Must(tb.Svc.Book(ctx, "t", tb.clinic.Booking(tb.clinic.At(5, 9, 0), tb.clinic.ECG.ID)))(t)
	used := path + "/rooms/" + idPath(*s.RoomID) + "/delete"
	require.Equal(t, http.StatusForbidden, br.post(used, url.Values{}).status)
	p = br.post(used, url.Values{"csrf": {token}})
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, `id="room-`+idPath(*s.RoomID)+`-error">This room has a session, past or booked`)
	require.Len(t, names(), 3)
	p = br.post(path+"/rooms/"+idPath(rooms[1])+"/delete", url.Values{"csrf": {token}})
	if *s.RoomID == rooms[1] {
		p = br.post(path+"/rooms/"+idPath(rooms[0])+"/delete", url.Values{"csrf": {token}})
	}
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Contains(t, br.get(path).body, "The room is removed.")
	require.Len(t, names(), 2)
}

func TestDoctorsAreListedAndAdded(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Manager)
	p := br.get("/console/settings/doctors")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `>Ana Ferreira</a>`)
	require.Contains(t, p.body, "Lisbon: Mon–Sat 08:00–13:00, 14:00–19:00")
	token := csrf(t, p)

	require.Equal(t, http.StatusForbidden, br.post("/console/settings/doctors", url.Values{"name": {"Rui Costa"}}).status)
	p = br.post("/console/settings/doctors", url.Values{"csrf": {token}, "name": {""}, "specialty": {"Cardiology"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `id="name-error">Enter the doctor&#39;s name.`)
	require.Contains(t, p.body, `value="Cardiology"`)
	p = br.post("/console/settings/doctors", url.Values{"csrf": {token}, "name": {"Rui Costa"},
		"specialty": {strings.Repeat("x", scheduling.MaxNameLength+1)}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `id="specialty-error">This is too long: at most 200 are allowed.`)
	require.Len(t, schedtest.Must(tb.Svc.ListDoctors(context.Background()))(t), 1)

	p = br.post("/console/settings/doctors", url.Values{"csrf": {token}, "name": {"Rui Costa"}, "specialty": {"Cardiology"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	doctors := schedtest.Must(tb.Svc.ListDoctors(context.Background()))(t)
	require.Len(t, doctors, 2)
	require.Equal(t, "/console/settings/doctors/"+idPath(doctors[1].ID), p.location())
	p = br.get(p.location())
	require.Contains(t, p.body, "Rui Costa is added.")
	require.Contains(t, p.body, "<h1>Rui Costa</h1>")
	require.Contains(t, p.body, "does not attend")
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/doctors/99999").status)
}

// attendanceForm is a doctor's attendance form: the weekly spans given per weekday ("09:00-13:00"),
// and dated exceptions as rows of date, kind, start and end.
func attendanceForm(token string, weekly map[int][]string, dated ...[4]string) url.Values {
	f := url.Values{"csrf": {token}}
	for wd := 1; wd <= 7; wd++ {
		for i := range 3 {
			start, end := "", ""
			if i < len(weekly[wd]) {
				start, end, _ = strings.Cut(weekly[wd][i], "-")
			}
			f.Set(spanKey("weekly", wd, i, "start"), start)
			f.Set(spanKey("weekly", wd, i, "end"), end)
		}
	}
	for i, d := range append(dated, [4]string{"", "off"}) {
		key := "ex-" + strconv.Itoa(i) + "-"
		f.Set(key+"date", d[0])
		f.Set(key+"kind", d[1])
		f.Set(key+"start", d[2])
		f.Set(key+"end", d[3])
	}
	return f
}

func TestDoctorAttendanceIsSavedWithDatedExceptions(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	br := tb.signedIn(t, access.Manager)
	path := "/console/settings/doctors/" + idPath(tb.clinic.Doctor.ID)
	save := path + "/attendance/" + idPath(tb.clinic.Branch.ID)
	p := br.get(path)
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `action="`+save+`"`)
	require.Contains(t, p.body, `name="weekly-1-1-end" value="19:00"`)
	require.Contains(t, p.body, `<span class="day-note">Branch: 08:00–13:00, 14:00–19:00</span>`)
	require.Contains(t, p.body, "Local time in Europe/Lisbon")
	token := csrf(t, p)

	weekly := map[int][]string{1: {"09:00-13:00"}, 3: {"09:00-13:00", "14:00-18:00"}}
	f := attendanceForm(token, weekly, [4]string{"2027-01-13", "off"}, [4]string{"2027-01-16", "hours", "10:00", "12:00"},
		[4]string{"2027-01-16", "hours", "15:00", "00:00"})
	f.Del("csrf")
	require.Equal(t, http.StatusForbidden, br.post(save, f).status)
	f.Set("csrf", token)
	p = br.post(save, f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, save[:len(path)]+"?branch="+idPath(tb.clinic.Branch.ID), p.location())
	a := schedtest.Must(tb.Svc.GetAttendance(ctx, tb.clinic.Doctor.ID, tb.clinic.Branch.ID))(t)
	require.Equal(t, []scheduling.WeeklyHours{{Weekday: 1, Start: "09:00", End: "13:00"}, {Weekday: 3, Start: "09:00", End: "13:00"},
		{Weekday: 3, Start: "14:00", End: "18:00"}}, a.Weekly)
	require.Equal(t, []scheduling.AttendanceException{{Date: "2027-01-13", Off: true}, {Date: "2027-01-16", Start: "10:00", End: "12:00"},
		{Date: "2027-01-16", Start: "15:00", End: "24:00"}}, a.Exceptions)

	p = br.get(p.location())
	require.Contains(t, p.body, "Ana Ferreira&#39;s hours at Lisbon are saved.")
	require.Contains(t, p.body, `name="ex-0-date" value="2027-01-13"`)
	require.Contains(t, p.body, `name="ex-2-end" value="00:00"`)
	require.Contains(t, p.body, `name="ex-0-remove"`)
	require.Contains(t, p.body, "Mon 09:00–13:00; Wed 09:00–13:00, 14:00–18:00")

	// A stored exception marked for removal is removed.
	f = attendanceForm(token, weekly, [4]string{"2027-01-13", "off"}, [4]string{"2027-01-16", "hours", "10:00", "12:00"})
	f.Set("ex-0-stored", "1")
	f.Set("ex-0-remove", "1")
	require.Equal(t, http.StatusSeeOther, br.post(save, f).status)
	a = schedtest.Must(tb.Svc.GetAttendance(ctx, tb.clinic.Doctor.ID, tb.clinic.Branch.ID))(t)
	require.Equal(t, []scheduling.AttendanceException{{Date: "2027-01-16", Start: "10:00", End: "12:00"}}, a.Exceptions)
	require.Equal(t, http.StatusNotFound, br.post(path+"/attendance/99999", f).status)
	require.Equal(t, http.StatusNotFound, br.get(path+"?branch=99999").status)
}

func TestDoctorAttendanceErrorsAreShownAtTheirRow(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	zero := 0
	york := schedtest.Must(tb.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "New York", Timezone: "America/New_York",
		Currency: "USD", TaxRateBP: &zero, Hours: schedtest.Hours()}))(t)
	br := tb.signedIn(t, access.Owner)
	path := "/console/settings/doctors/" + idPath(tb.clinic.Doctor.ID)
	p := br.get(path + "?branch=" + idPath(york.ID))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "Local time in America/New_York")
	require.Contains(t, p.body, "does not attend")
	token := csrf(t, p)
	save := path + "/attendance/" + idPath(york.ID)
	before := schedtest.Must(tb.Svc.GetAttendance(ctx, tb.clinic.Doctor.ID, tb.clinic.Branch.ID))(t)

	for _, c := range []struct {
		name        string
		form        url.Values
		field, want string
	}{
		{"half a span", attendanceForm(token, map[int][]string{2: {"09:00-"}}), "weekly-2", "both the start and the end"},
		{"end before start", attendanceForm(token, map[int][]string{4: {"12:00-09:00"}}), "weekly-4", "end after it starts"},
		{"overlapping spans", attendanceForm(token, map[int][]string{5: {"09:00-12:00", "11:00-13:00"}}), "weekly-5", "overlap"},
		// New York's 08:00–12:00 on a Monday in January is 13:00–17:00 in Lisbon, where Ana works 14:00–19:00.
		{"another branch at the same instant", attendanceForm(token, map[int][]string{1: {"08:00-12:00"}}), "weekly-1",
			"Ana Ferreira already attends Lisbon on 2027-01-04 from 14:00 to 19:00"},
		{"a dated exception at another branch's hours", attendanceForm(token, nil,
			[4]string{"2027-01-18", "hours", "08:00", "10:00"}), "ex-0", "Ana Ferreira already attends Lisbon on 2027-01-18"},
		{"exception without a date", attendanceForm(token, nil, [4]string{"", "hours", "08:00", "10:00"}), "ex-0", "Enter the date."},
		{"exception without hours", attendanceForm(token, nil, [4]string{"2027-01-10", "hours", "08:00", ""}), "ex-0", "start and the end"},
		{"exception ending before it starts", attendanceForm(token, nil, [4]string{"2027-01-10", "off"},
			[4]string{"2027-01-17", "hours", "10:00", "08:00"}), "ex-1", "end after it starts"},
		{"a day off with hours", attendanceForm(token, nil, [4]string{"2027-01-10", "hours", "08:00", "10:00"},
			[4]string{"2027-01-10", "off"}), "ex-1", "also marked as a day off"},
		{"not a date", attendanceForm(token, nil, [4]string{"2027-02-30", "off"}), "ex-0", "This is not a date."},
	} {
		p := br.post(save, c.form)
		require.GreaterOrEqual(t, p.status, 400, c.name)
		require.Less(t, p.status, 500, c.name)
		require.Contains(t, p.body, `id="`+c.field+`-error">`, c.name)
		require.Contains(t, p.body, c.want, c.name)
		require.Contains(t, p.body, "Nothing was saved", c.name)
		require.Contains(t, p.body, "Local time in America/New_York", c.name)
	}
	p = br.post(save, attendanceForm(token, map[int][]string{1: {"08:00-12:00"}}))
	require.Contains(t, p.body, `name="weekly-1-0-start" value="08:00"`, "what was typed stays in the form")
	p = br.post(save, attendanceForm(token, nil, [4]string{"2027-01-18", "hours", "08:00", "10:00"}))
	require.Contains(t, p.body, `name="ex-0-date" value="2027-01-18"`)
	require.Contains(t, p.body, `<option value="hours" selected>Other hours</option>`)

	none := schedtest.Must(tb.Svc.GetAttendance(ctx, tb.clinic.Doctor.ID, york.ID))(t)
	require.Empty(t, none.Weekly)
	require.Empty(t, none.Exceptions)
	require.Equal(t, before, schedtest.Must(tb.Svc.GetAttendance(ctx, tb.clinic.Doctor.ID, tb.clinic.Branch.ID))(t))

	// Sunday mornings in New York do not meet Lisbon's hours: saved.
	p = br.post(save, attendanceForm(token, map[int][]string{7: {"08:00-12:00"}}))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = br.get("/console/settings/doctors")
	require.Contains(t, p.body, "New York: Sun 08:00–12:00")
}

// Hours typed in the console are the branch's local clock: the same 09:00 opening is a different UTC
// instant either side of New York's change to summer time (14 March 2027).
func TestBranchHoursFromTheConsoleFollowTheClockChange(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	br := tb.signedIn(t, access.Manager)
	token := csrf(t, br.get("/console/settings/branches/new"))
	f := branchForm(token)
	f.Set("name", "New York")
	f.Set("timezone", "America/New_York")
	f.Set("currency", "USD")
	f.Set(spanKey("hours", 7, 0, "start"), "09:00")
	f.Set(spanKey("hours", 7, 0, "end"), "12:00")
	p := br.post("/console/settings/branches", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	york := schedtest.Must(tb.Svc.ListBranches(ctx))(t)[1]

	doctor := schedtest.Must(tb.Svc.CreateDoctor(ctx, "Claire Dubois", ""))(t)
	p = br.post("/console/settings/doctors/"+idPath(doctor.ID)+"/attendance/"+idPath(york.ID),
		attendanceForm(token, map[int][]string{7: {"08:00-18:00"}}))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	price, minutes, no := int64(5000), 30, false
	exam := schedtest.Must(tb.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "NY", Name: "Visit", Price: &price,
		DurationMinutes: &minutes, Taxable: &no, BranchIDs: []scheduling.ID{york.ID}, DoctorIDs: []scheduling.ID{doctor.ID}}))(t)

	loc := schedtest.Must(scheduling.LoadLocation("America/New_York"))(t)
	for _, c := range []struct {
		day       scheduling.Date
		firstUTC  string
		lastStart string
	}{
		{scheduling.Date{Year: 2027, Month: 3, Day: 7}, "2027-03-07T14:00:00Z", "11:30"},
		{scheduling.Date{Year: 2027, Month: 3, Day: 14}, "2027-03-14T13:00:00Z", "11:30"},
	} {
		slots := schedtest.Must(tb.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: york.ID, DoctorID: doctor.ID,
			ExaminationIDs: []scheduling.ID{exam.ID}, From: c.day, To: c.day}))(t)
		require.Len(t, slots, 6, c.day)
		require.Equal(t, c.firstUTC, slots[0].Start.UTC().Format("2006-01-02T15:04:05Z"))
		require.Equal(t, "09:00", slots[0].Start.In(loc).Format("15:04"))
		require.Equal(t, c.lastStart, slots[5].Start.In(loc).Format("15:04"))
	}
}
