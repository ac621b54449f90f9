package console

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// blankExceptions is how many empty dated-exception rows the doctor's page offers.
const blankExceptions = 3

// doctorPage is a doctor's attendance at one branch (the tabs pick the branch): weekly hours in the
// branch's local time, beside the branch's opening hours, and dated exceptions.
type doctorPage struct {
	Doctor   scheduling.Doctor
	Tabs     []branchTab
	Branch   *scheduling.Branch
	Week     weekGrid
	Dated    []exceptionInput
	Problem  string
	CSRF     string
	NoBranch bool
}

// branchTab is a branch of the doctor's page, with the doctor's weekly hours there briefly.
type branchTab struct {
	ID            scheduling.ID
	Name, Summary string
	Current       bool
}

// exceptionInput is one dated exception as typed: a day off, or other hours on that date.
type exceptionInput struct {
	Index                  int
	Date, Kind, Start, End string
	// Stored marks an exception that is saved, which the form offers to remove.
	Stored, Remove bool
	Error          string
	// Weekday names the date's day of the week, shown beside it.
	Weekday string
}

// Exception kinds of the form.
const (
	kindOff   = "off"
	kindHours = "hours"
)

// doctorPage shows a doctor's attendance at the branch of ?branch=, or at the first they attend.
func (con *Console) doctorPage(c *gin.Context) {
	id, ok := con.doctorID(c)
	if !ok {
		return
	}
	want, _ := strconv.ParseInt(c.Query("branch"), 10, 64)
	page, att, ok := con.doctorTabs(c, id, scheduling.ID(want))
	if !ok {
		return
	}
	if att != nil {
		page.Week = newWeekGrid("weekly", att.Weekly)
		for _, e := range att.Exceptions {
			in := exceptionInput{Date: e.Date, Kind: kindHours, Start: e.Start, End: shownEnd(e.End), Stored: true}
			if e.Off {
				in.Kind = kindOff
			}
			page.Dated = append(page.Dated, in)
		}
		page.finish()
	}
	con.render(c, http.StatusOK, "settings_doctor", page.Doctor.Name, page)
}

func (con *Console) doctorID(c *gin.Context) (scheduling.ID, bool) {
	return con.pathID(c, "id", "doctor", "Pick one from the list of doctors.")
}

// doctorTabs loads the doctor and a tab per branch, the current one being want (or the first the doctor
// attends, or the first), and answers the doctor's attendance at the current branch (nil: no branches).
func (con *Console) doctorTabs(c *gin.Context, id, want scheduling.ID) (doctorPage, *scheduling.Attendance, bool) {
	ctx := c.Request.Context()
	d, err := con.sched.GetDoctor(ctx, id)
	if err != nil {
		con.fail(c, err)
		return doctorPage{}, nil, false
	}
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		con.fail(c, err)
		return doctorPage{}, nil, false
	}
	page := doctorPage{Doctor: *d, CSRF: signedIn(c).CSRF, NoBranch: len(branches) == 0}
	at := -1
	atts := make([]*scheduling.Attendance, len(branches))
	for i, b := range branches {
		if atts[i], err = con.sched.GetAttendance(ctx, id, b.ID); err != nil {
			con.fail(c, err)
			return doctorPage{}, nil, false
		}
		tab := branchTab{ID: b.ID, Name: b.Name, Summary: weekSummary(atts[i].Weekly)}
		if tab.Summary == "" {
			tab.Summary = "does not attend"
		}
		if at < 0 && (b.ID == want || want == 0 && len(atts[i].Weekly) > 0) {
			at = i
		}
		page.Tabs = append(page.Tabs, tab)
	}
	switch {
	case len(branches) == 0:
		return page, nil, true
	case at < 0 && want != 0:
		con.errorPage(c, http.StatusNotFound, "No such branch", "There is no branch with this number. Pick one of the doctor's branches.")
		return doctorPage{}, nil, false
	case at < 0:
		at = 0
	}
	page.Branch, page.Tabs[at].Current = &branches[at], true
	return page, atts[at], true
}

// finish notes the branch's opening hours beside each weekday and adds the blank exception rows.
func (p *doctorPage) finish() {
	for i := range p.Week.Rows {
		p.Week.Rows[i].Note = hoursSummary(p.Branch.Hours, p.Week.Rows[i].Weekday)
	}
	for range blankExceptions {
		p.Dated = append(p.Dated, exceptionInput{Kind: kindOff})
	}
	for i := range p.Dated {
		p.Dated[i].Index = i
		if day, err := time.Parse(time.DateOnly, p.Dated[i].Date); err == nil {
			p.Dated[i].Weekday = day.Format("Monday")
		}
	}
}

// saveAttendance replaces the doctor's attendance at one branch from the form; all of it is saved or
// none, and a refusal is shown at the row it is about with what was typed.
func (con *Console) saveAttendance(c *gin.Context) {
	id, ok := con.doctorID(c)
	if !ok {
		return
	}
	branch, ok := con.pathID(c, "branch", "branch", "Pick one from the list of branches.")
	if !ok {
		return
	}
	page, _, ok := con.doctorTabs(c, id, branch)
	if !ok {
		return
	}
	week, weekly, weekOK := readWeekGrid(c, "weekly")
	dated, exceptions, sentRow, datedOK := readExceptions(c)
	page.Week, page.Dated = week, dated
	status := http.StatusUnprocessableEntity
	if weekOK && datedOK {
		_, err := con.sched.SetAttendance(c.Request.Context(), scheduling.Attendance{DoctorID: id, BranchID: branch,
			Weekly: weekly, Exceptions: exceptions})
		var de *scheduling.Error
		switch {
		case err == nil:
			con.flash(c, flashSuccess, page.Doctor.Name+"'s hours at "+page.Branch.Name+" are saved.")
			c.Redirect(http.StatusSeeOther, Prefix+"/settings/doctors/"+idPath(id)+"?branch="+idPath(branch))
			return
		case !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden:
			con.fail(c, err)
			return
		}
		status = kindStatus[de.Kind]
		page.attendanceRefused(err, de, weekly, exceptions, sentRow)
	}
	if page.Problem == "" {
		page.Problem = "Nothing was saved. Correct the marked rows and save again."
	}
	page.finish()
	con.render(c, status, "settings_doctor", page.Doctor.Name, page)
}

// readExceptions reads the dated exceptions as typed; sentRow maps each exception to send to its row.
// Rows marked for removal are kept in the form but not sent, and empty rows are dropped.
func readExceptions(c *gin.Context) (rows []exceptionInput, out []scheduling.AttendanceException, sentRow []int, ok bool) {
	ok = true
	for i := 0; i <= scheduling.MaxScheduleEntries+blankExceptions; i++ {
		key := fmt.Sprintf("ex-%d-", i)
		date, has := c.GetPostForm(key + "date")
		if !has {
			break
		}
		in := exceptionInput{Date: strings.TrimSpace(date), Kind: c.PostForm(key + "kind"), Start: clockOf(strings.TrimSpace(c.PostForm(key + "start"))),
			End: strings.TrimSpace(c.PostForm(key + "end")), Stored: c.PostForm(key+"stored") != "", Remove: c.PostForm(key+"remove") != ""}
		if in.Kind != kindHours {
			in.Kind = kindOff
		}
		switch {
		case in.Remove:
		case in.Date == "" && in.Start == "" && in.End == "":
			continue
		case in.Date == "":
			in.Error, ok = "Enter the date.", false
		case in.Kind == kindOff:
			out, sentRow = append(out, scheduling.AttendanceException{Date: in.Date, Off: true}), append(sentRow, len(rows))
		case in.Start == "" || in.End == "":
			in.Error, ok = "Enter the start and the end of the hours on this date.", false
		default:
			out = append(out, scheduling.AttendanceException{Date: in.Date, Start: in.Start, End: endClock(in.End)})
			sentRow = append(sentRow, len(rows))
		}
		rows = append(rows, in)
	}
	return rows, out, sentRow, ok
}

var (
	exceptionIndex = regexp.MustCompile(`exceptions\[(\d+)\]`)
	exceptionsOn   = regexp.MustCompile(`^exceptions on (\d{4}-\d{2}-\d{2}) overlap`)
	// clashDate is the date, at the branch being set, of attendance that overlaps another branch's.
	clashDate = regexp.MustCompile(`which overlaps these hours at .* on (\d{4}-\d{2}-\d{2}) from`)
)

// attendanceRefused puts the core's refusal at the weekday or dated row it is about.
func (p *doctorPage) attendanceRefused(err error, de *scheduling.Error, weekly []scheduling.WeeklyHours,
	exceptions []scheduling.AttendanceException, sentRow []int) {
	if p.Week.weekError("weekly", de, weekly) {
		return
	}
	rowOf := func(date string) int {
		at := -1
		for i, e := range exceptions {
			if e.Date == date {
				at = sentRow[i]
			}
		}
		return at
	}
	// Some refusals wrap the core's error with the field, so the index is looked for in the whole text.
	if m := exceptionIndex.FindStringSubmatch(err.Error()); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(sentRow) {
			p.Dated[sentRow[i]].Error = spanMessage(de)
			return
		}
	}
	if m := exceptionsOn.FindStringSubmatch(de.Message); m != nil {
		if at := rowOf(m[1]); at >= 0 {
			p.Dated[at].Error = "Hours on this date overlap each other, or the day is also marked as a day off."
			return
		}
	}
	if de.Code == "attendance_overlap" {
		msg := sentence(strings.Replace(de.Message, "the doctor", p.Doctor.Name, 1))
		p.Problem = "Nothing was saved: " + p.Doctor.Name + " cannot be in two branches at once."
		if m := clashDate.FindStringSubmatch(de.Message); m != nil {
			if at := rowOf(m[1]); at >= 0 {
				p.Dated[at].Error = msg
				return
			}
			if day, err := time.Parse(time.DateOnly, m[1]); err == nil {
				wd := int(day.Weekday()+6)%7 + 1
				p.Week.Rows[wd-1].Error = msg
				return
			}
		}
		p.Problem = msg
		return
	}
	p.Problem = sentence(de.Message)
}
