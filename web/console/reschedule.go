package console

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// rescheduleView is the page that moves a waiting session to another free slot.
type rescheduleView struct {
	Session  *scheduling.Session
	When     string
	Exams    string
	CSRF     string
	Day      string
	DoctorID scheduling.ID
	Doctors  []option
	Slots    []slotView
	// Chosen is the slot last tried; Alternatives the free slots offered when it was taken.
	Chosen       *slotView
	Alternatives []slotView
	Errors       map[string]string
	loc          *time.Location
}

// sessionOf reads the session the path names; a malformed id answers the not-found page.
func (con *Console) sessionOf(c *gin.Context) (*scheduling.Session, bool) {
	id := idOf(c.Param("id"))
	if id == 0 {
		con.errorPage(c, http.StatusNotFound, "No such session", "There is no session at this address.")
		return nil, false
	}
	s, err := con.sched.GetSession(c.Request.Context(), id)
	if err != nil {
		con.fail(c, err)
		return nil, false
	}
	return s, true
}

// reschedulePage shows the session and the free slots of a day for its examinations: with the same
// doctor unless another (or any qualified doctor) is chosen.
func (con *Console) reschedulePage(c *gin.Context) {
	s, ok := con.sessionOf(c)
	if !ok {
		return
	}
	doctor := s.DoctorID
	if d, set := c.GetQuery("doctor"); set {
		doctor = idOf(d)
	}
	v, err := con.rescheduleView(c, s, doctor, c.Query("day"))
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "reschedule", "Reschedule", v)
}

func (con *Console) rescheduleView(c *gin.Context, s *scheduling.Session, doctor scheduling.ID, day string) (*rescheduleView, error) {
	ctx := c.Request.Context()
	branch, err := con.sched.GetBranch(ctx, s.BranchID)
	if err != nil {
		return nil, err
	}
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		return nil, err
	}
	v := &rescheduleView{Session: s, CSRF: signedIn(c).CSRF, DoctorID: doctor, Errors: map[string]string{}, loc: loc,
		When: s.Start.In(loc).Format("Monday 2 January 2006, 15:04") + "–" + clock(s.End.In(loc))}
	var exams []string
	var examIDs []scheduling.ID
	for _, e := range s.Examinations {
		exams = append(exams, e.Name)
		examIDs = append(examIDs, e.ExaminationID)
	}
	v.Exams = strings.Join(exams, ", ")
	doctors, err := con.doctorNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range doctors.list {
		v.Doctors = append(v.Doctors, option{ID: d.ID, Name: d.Name, Selected: d.ID == doctor})
	}
	date, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		date = s.Start.In(loc)
		if today := con.now().In(loc); date.Before(today) {
			date = today
		}
	}
	v.Day = date.Format(time.DateOnly)
	if s.Status != scheduling.StatusWaiting {
		v.Errors["form"] = "Only a waiting session can be moved; this one is " + strings.ToLower(statusLabels[s.Status]) + "."
		return v, nil
	}
	slots, err := con.sched.Availability(ctx, scheduling.AvailabilityQuery{BranchID: s.BranchID, DoctorID: doctor,
		ExaminationIDs: examIDs, From: scheduling.DateOf(date), To: scheduling.DateOf(date), Limit: 200})
	if de, ok := asDomain(err); ok {
		v.Errors["form"] = sentence(de.Message)
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	for _, sl := range slots {
		v.Slots = append(v.Slots, slotViewOf(sl, loc, doctors.names))
	}
	return v, nil
}

// reschedule moves the session to the chosen slot; a taken one shows the page again with the nearest
// free slots.
func (con *Console) reschedule(c *gin.Context) {
	s, ok := con.sessionOf(c)
	if !ok {
		return
	}
	doctor := idOf(c.PostForm("doctor"))
	start, perr := time.Parse(time.RFC3339, c.PostForm("start"))
	v, err := con.rescheduleView(c, s, doctor, c.PostForm("day"))
	if err != nil {
		con.fail(c, err)
		return
	}
	if perr != nil || doctor == 0 {
		v.Errors["slot"] = "Choose one of the free times."
		con.render(c, http.StatusBadRequest, "reschedule", "Reschedule", v)
		return
	}
	names, err := con.doctorNames(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	chosen := slotViewOf(scheduling.Slot{Start: start, DoctorID: doctor}, v.loc, names.names)
	v.Chosen = &chosen
	moved, err := con.sched.Reschedule(c.Request.Context(), consoleActor(signedIn(c)), s.ID,
		scheduling.RescheduleInput{Start: start, DoctorID: &doctor})
	if err != nil {
		con.slotRefused(c, err, v.loc, v.Errors, &v.Alternatives, v, "reschedule", "Reschedule")
		return
	}
	con.flash(c, flashSuccess, "Moved "+moved.PatientName+"'s session to "+moved.Start.Format("Monday 2 January")+
		" at "+clock(moved.Start)+" with "+moved.DoctorName+".")
	c.Redirect(http.StatusSeeOther, sessionLink(moved.ID))
}
