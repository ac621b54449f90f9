package console

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// deskRoles may book, move and cancel sessions: the front desk and those above it, never a doctor.
var deskRoles = []access.Role{access.Owner, access.Manager, access.Receptionist}

// mountBooking adds the booking, rescheduling and cancelling pages for the desk roles.
func (con *Console) mountBooking(in gin.IRouter) {
	desk := in.Group("", con.allow(deskRoles...))
	desk.GET("/book", con.bookPage)
	desk.POST("/book", con.book)
	desk.GET("/book/patients", con.bookPatients)
	desk.GET("/sessions/:id/reschedule", con.reschedulePage)
	desk.POST("/sessions/:id/reschedule", con.reschedule)
	desk.GET("/sessions/:id/cancel", con.cancelPage)
	desk.POST("/sessions/:id/cancel", con.cancel)
}

// consoleActor names the signed-in user in the sessions' history.
func consoleActor(a account) scheduling.Actor {
	return scheduling.Actor(fmt.Sprintf("user:%d %s", a.UserID, a.Email))
}

// option is one choice of a select or checkbox list.
type option struct {
	ID       scheduling.ID
	Name     string
	Selected bool
	// Note is shown beside the name, such as an examination's price at the branch.
	Note string
}

// slotView is a free slot as the pages offer it: the values a booking form sends, and a label.
type slotView struct {
	Start    string // RFC 3339, as the form sends it
	Time     string
	Day      string
	DoctorID scheduling.ID
	Doctor   string
	// Href picks the slot on the booking page.
	Href string
}

// bookForm is what the booking page was asked for: the query of a free-slot link or the fields of a
// sent form.
type bookForm struct {
	Branch, Doctor scheduling.ID
	Exams          []scheduling.ID
	Day            string // YYYY-MM-DD, local to the branch
	Start          string // the chosen slot, RFC 3339
	Patient        scheduling.ID
	NewName        string
	NewPhone       string
}

// bookView is the booking page.
type bookView struct {
	Form     bookForm
	CSRF     string
	Branches []option
	Exams    []option
	Doctors  []option
	Slots    []slotView
	// Chosen is the slot the form books; nil until one is picked.
	Chosen *slotView
	// ChosenPatient names the patient already picked (or found by a duplicate phone).
	ChosenPatient *scheduling.Patient
	// Alternatives are the free slots offered when the chosen one was taken.
	Alternatives []slotView
	// Errors by field: "exams", "patient", "name", "phone", "slot", "form".
	Errors map[string]string
	// Duplicate is the patient who already has the phone of a new patient.
	Duplicate *scheduling.Patient
	// loc is the branch's time zone.
	loc *time.Location
	// Invoice is the invoice preview of the picked patient's visit (billing.go).
	Invoice template.HTML
}

func idsOf(values []string) []scheduling.ID {
	var ids []scheduling.ID
	for _, v := range values {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !slices.Contains(ids, scheduling.ID(id)) {
			ids = append(ids, scheduling.ID(id))
		}
	}
	return ids
}

func idOf(v string) scheduling.ID {
	if ids := idsOf([]string{v}); len(ids) == 1 {
		return ids[0]
	}
	return 0
}

// readBookForm reads the fields of the booking page from the query or the form.
func readBookForm(get func(string) string, all func(string) []string) bookForm {
	return bookForm{Branch: idOf(get("branch")), Doctor: idOf(get("doctor")), Exams: idsOf(all("exam")),
		Day: get("day"), Start: get("start"), Patient: idOf(get("patient")),
		NewName: get("new_name"), NewPhone: get("new_phone")}
}

// bookPage shows the booking page: what to book, the day's free slots and the patient.
func (con *Console) bookPage(c *gin.Context) {
	f := readBookForm(c.Query, c.QueryArray)
	v, err := con.bookView(c.Request.Context(), signedIn(c), f)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "book", "Book a session", v)
}

// bookView loads the choices of the page and, with a branch, examinations and a day, the free slots.
func (con *Console) bookView(ctx context.Context, a account, f bookForm) (v *bookView, err error) {
	v = &bookView{Form: f, CSRF: a.CSRF, Errors: map[string]string{}, loc: time.UTC}
	// billing: the page shows the invoice preview of what it books.
	defer func() {
		if err == nil {
			v.Invoice, _ = con.invoicePreview(ctx, v.Form)
		}
	}()
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		return nil, err
	}
	if f.Branch == 0 && len(branches) > 0 {
		f.Branch = branches[0].ID
	}
	var branch *scheduling.Branch
	for i, b := range branches {
		v.Branches = append(v.Branches, option{ID: b.ID, Name: b.Name, Selected: b.ID == f.Branch})
		if b.ID == f.Branch {
			branch = &branches[i]
		}
	}
	if branch == nil {
		return v, nil
	}
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		return nil, err
	}
	v.loc = loc
	exams, err := con.sched.ListExaminations(ctx, f.Branch)
	if err != nil {
		return nil, err
	}
	for _, e := range exams {
		v.Exams = append(v.Exams, option{ID: e.ID, Name: e.Name, Selected: slices.Contains(f.Exams, e.ID),
			Note: priceText(e.PriceAt(branch.ID), branch.Currency)})
	}
	doctors, err := con.doctorNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range doctors.list {
		v.Doctors = append(v.Doctors, option{ID: d.ID, Name: d.Name, Selected: d.ID == f.Doctor})
	}
	if start, err := time.Parse(time.RFC3339, f.Start); err == nil {
		s := slotViewOf(scheduling.Slot{Start: start, DoctorID: f.Doctor}, loc, doctors.names)
		v.Chosen = &s
		if f.Day == "" {
			f.Day = start.In(loc).Format(time.DateOnly)
		}
	}
	if f.Day == "" {
		f.Day = con.now().In(loc).Format(time.DateOnly)
	}
	v.Form = f
	if len(f.Exams) == 0 {
		return v, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, f.Day, loc)
	if err != nil {
		v.Errors["day"] = "Choose a day."
		return v, nil
	}
	slots, err := con.sched.Availability(ctx, scheduling.AvailabilityQuery{BranchID: f.Branch, DoctorID: f.Doctor,
		ExaminationIDs: f.Exams, From: scheduling.DateOf(day), To: scheduling.DateOf(day), Limit: 200})
	if err != nil {
		if de, ok := asDomain(err); ok && de.Kind != scheduling.KindConflict {
			v.Errors["exams"] = sentence(de.Message)
			return v, nil
		}
		return nil, err
	}
	for _, s := range slots {
		sv := slotViewOf(s, loc, doctors.names)
		q := url.Values{"branch": {fmt.Sprint(f.Branch)}, "doctor": {fmt.Sprint(s.DoctorID)}, "start": {sv.Start}, "day": {f.Day}}
		for _, e := range f.Exams {
			q.Add("exam", fmt.Sprint(e))
		}
		sv.Href = Prefix + "/book?" + q.Encode()
		v.Slots = append(v.Slots, sv)
	}
	return v, nil
}

type doctorList struct {
	list  []scheduling.Doctor
	names map[scheduling.ID]string
}

func (con *Console) doctorNames(ctx context.Context) (doctorList, error) {
	list, err := con.sched.ListDoctors(ctx)
	if err != nil {
		return doctorList{}, err
	}
	names := map[scheduling.ID]string{}
	for _, d := range list {
		names[d.ID] = d.Name
	}
	return doctorList{list: list, names: names}, nil
}

func slotViewOf(s scheduling.Slot, loc *time.Location, doctors map[scheduling.ID]string) slotView {
	local := s.Start.In(loc)
	return slotView{Start: local.Format(time.RFC3339), Time: local.Format("15:04"), Day: local.Format("Monday 2 January 2006"),
		DoctorID: s.DoctorID, Doctor: doctors[s.DoctorID]}
}
