package console

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// book books the chosen slot, or with walkin set the first free slot from now, for the patient
// picked or registered on the page. Nothing is booked unless everything checks; a taken slot shows
// the page again with the nearest free slots, each bookable with one click.
func (con *Console) book(c *gin.Context) {
	ctx := c.Request.Context()
	a := signedIn(c)
	f := readBookForm(c.PostForm, c.PostFormArray)
	walkin := c.PostForm("walkin") != ""
	v, err := con.bookView(ctx, a, f)
	if err != nil {
		con.fail(c, err)
		return
	}
	if len(f.Exams) == 0 {
		v.Errors["exams"] = "Choose at least one examination."
	}
	start, err := time.Parse(time.RFC3339, f.Start)
	if !walkin && err != nil {
		v.Errors["slot"] = "Choose a free time first."
	}
	if f.Patient == 0 && strings.TrimSpace(f.NewName) == "" && strings.TrimSpace(f.NewPhone) == "" {
		v.Errors["patient"] = "Find the patient, or register a new one with a name and phone."
	}
	if len(v.Errors) > 0 {
		con.render(c, http.StatusBadRequest, "book", "Book a session", v)
		return
	}
	patient, status, err := con.bookingPatient(ctx, v)
	if err != nil {
		con.fail(c, err)
		return
	}
	if patient == nil {
		con.render(c, status, "book", "Book a session", v)
		return
	}
	v.Form.Patient, v.Form.NewName, v.Form.NewPhone, v.ChosenPatient = patient.ID, "", "", patient
	in := scheduling.BookingInput{PatientID: patient.ID, BranchID: f.Branch, DoctorID: f.Doctor, ExaminationIDs: f.Exams,
		Start: start}
	if walkin {
		slot, ok, err := con.firstFreeSlot(ctx, f)
		if err != nil {
			con.fail(c, err)
			return
		}
		if !ok {
			v.Errors["slot"] = "No doctor is free for these examinations for the rest of today."
			con.render(c, http.StatusConflict, "book", "Book a session", v)
			return
		}
		in.Start, in.DoctorID = slot.Start, slot.DoctorID
	}
	sess, err := con.sched.Book(ctx, consoleActor(a), in)
	if err != nil {
		con.slotRefused(c, err, v.loc, v.Errors, &v.Alternatives, v, "book", "Book a session")
		return
	}
	con.flash(c, flashSuccess, "Booked "+sess.PatientName+" with "+sess.DoctorName+" on "+
		sess.Start.Format("Monday 2 January")+" at "+clock(sess.Start)+".")
	c.Redirect(http.StatusSeeOther, sessionLink(sess.ID))
}

// sessionLink is the session's page, where the console goes after a session was booked, moved or
// cancelled.
func sessionLink(id scheduling.ID) string {
	return Prefix + "/sessions/" + strconv.FormatInt(int64(id), 10)
}

// slotRefused shows the page again when the service refused a booking or move: a taken slot with its
// alternatives (errs["slot"], alts), any other refusal as the form's error (errs["form"]).
func (con *Console) slotRefused(c *gin.Context, err error, loc *time.Location, errs map[string]string, alts *[]slotView,
	v any, name, title string) {
	de, ok := asDomain(err)
	if !ok {
		con.fail(c, err)
		return
	}
	if de.Code == scheduling.CodeSlotTaken || de.Code == scheduling.CodeNotAvailable {
		slots, _ := de.Details["alternatives"].([]scheduling.Slot)
		names, err := con.doctorNames(c.Request.Context())
		if err != nil {
			con.fail(c, err)
			return
		}
		for _, s := range slots {
			*alts = append(*alts, slotViewOf(s, loc, names.names))
		}
		errs["slot"] = "That time is no longer free. Choose one of the nearest free times below."
		if len(slots) == 0 {
			errs["slot"] = "That time is no longer free, and nothing else is free near it. Choose another day."
		}
	} else {
		errs["form"] = sentence(de.Message)
	}
	con.render(c, kindStatus[de.Kind], name, title, v)
}

// bookingPatient is the patient of the booking: the one picked, or a new one registered from the
// name and phone. When it is nil the page shows why (an error at the field) with the status.
func (con *Console) bookingPatient(ctx context.Context, v *bookView) (*scheduling.Patient, int, error) {
	f := v.Form
	if f.Patient != 0 {
		p, err := con.sched.GetPatient(ctx, f.Patient)
		if de, ok := asDomain(err); ok && de.Kind == scheduling.KindNotFound {
			v.Errors["patient"] = "That patient no longer exists. Search again."
			return nil, http.StatusNotFound, nil
		}
		return p, 0, err
	}
	p, err := con.sched.CreatePatient(ctx, scheduling.PatientInput{Name: f.NewName, Phone: f.NewPhone})
	de, ok := asDomain(err)
	switch {
	case err == nil:
		return p, 0, nil
	case !ok:
		return nil, 0, err
	case de.Code == scheduling.CodeDuplicatePhone:
		v.Duplicate, _ = de.Details["patient"].(*scheduling.Patient)
		v.Errors["phone"] = "This phone is already registered to another patient."
	case strings.Contains(de.Code, "phone"):
		v.Errors["phone"] = sentence(de.Message)
	default:
		v.Errors["name"] = sentence(de.Message)
	}
	return nil, kindStatus[de.Kind], nil
}

// firstFreeSlot is the first free slot from now, today at the branch, of any qualified doctor (or
// the chosen one).
func (con *Console) firstFreeSlot(ctx context.Context, f bookForm) (scheduling.Slot, bool, error) {
	branch, err := con.sched.GetBranch(ctx, f.Branch)
	if err != nil {
		return scheduling.Slot{}, false, err
	}
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		return scheduling.Slot{}, false, err
	}
	now := con.now()
	today := scheduling.DateOf(now.In(loc))
	slots, err := con.sched.Availability(ctx, scheduling.AvailabilityQuery{BranchID: f.Branch, DoctorID: f.Doctor,
		ExaminationIDs: f.Exams, From: today, To: today})
	if err != nil {
		return scheduling.Slot{}, false, err
	}
	for _, s := range slots {
		if !s.Start.Before(now) {
			return s, true, nil
		}
	}
	return scheduling.Slot{}, false, nil
}

// bookPatients answers the patient search of the booking page: an HTML fragment with a choice per
// patient found, for the page's script to put under the search box.
func (con *Console) bookPatients(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	data := struct {
		Patients []scheduling.Patient
		Message  string
	}{}
	page, err := con.sched.SearchPatients(c.Request.Context(), scheduling.PatientSearch{Query: q, Limit: 10})
	de, isDomain := asDomain(err)
	switch {
	case err == nil && len(page.Items) == 0:
		data.Message = "No patient matches “" + q + "”. Register them below."
	case err == nil:
		data.Patients = page.Items
	case isDomain && de.Kind != scheduling.KindConflict:
		data.Message = "Type at least two letters of the name or three digits of the phone."
	default:
		con.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := con.pages["book"].ExecuteTemplate(&buf, "patient-results", data); err != nil {
		con.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// asDomain is err as a scheduling error.
func asDomain(err error) (*scheduling.Error, bool) {
	var de *scheduling.Error
	ok := errors.As(err, &de)
	return de, ok
}

// sentence turns a service message ("a cancellation needs a reason") into one for the page.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
