package console

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// statusLabels name the session statuses as the front desk says them (DESIGN 3.2).
var statusLabels = map[string]string{
	scheduling.StatusWaiting:   "Waiting",
	scheduling.StatusOpen:      "With the doctor",
	scheduling.StatusCompleted: "Completed",
	scheduling.StatusCancelled: "Cancelled",
	scheduling.StatusNoShow:    "No-show",
}

// todayPage is the home page: each branch's sessions of its own today.
type todayPage struct {
	Branches []todayBranch
	// Own is set for a doctor, who sees only their own sessions.
	Own bool
}

type todayBranch struct {
	Name, Date, Zone string
	Sessions         []todayRow
	// Booked counts the sessions that are not cancelled; Done those completed.
	Booked, Done int
}

type todayRow struct {
	Time, Patient, Doctor, Examinations string
	Status, StatusLabel                 string
}

// today lists today's sessions per branch: patient, time, doctor and status, in the branch's zone.
func (con *Console) today(c *gin.Context) {
	a := signedIn(c)
	page := todayPage{Own: a.Role == access.Doctor}
	branches, err := con.sched.ListBranches(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	now := con.now()
	for _, b := range branches {
		loc, err := scheduling.LoadLocation(b.Timezone)
		if err != nil {
			con.fail(c, err)
			return
		}
		local := now.In(loc)
		tb := todayBranch{Name: b.Name, Date: local.Format("Monday 2 January 2006"), Zone: b.Timezone}
		day := scheduling.DateOf(local)
		f := scheduling.SessionFilter{BranchID: b.ID, From: day, To: day, Limit: scheduling.MaxSessionPage}
		if page.Own {
			f.DoctorID = a.DoctorID
		}
		sessions, err := con.allSessions(c.Request.Context(), f)
		if err != nil {
			con.fail(c, err)
			return
		}
		for _, s := range sessions {
			tb.Sessions = append(tb.Sessions, todayRowOf(s))
			if s.Status != scheduling.StatusCancelled {
				tb.Booked++
			}
			if s.Status == scheduling.StatusCompleted {
				tb.Done++
			}
		}
		page.Branches = append(page.Branches, tb)
	}
	con.render(c, http.StatusOK, "today", "Today", page)
}

// allSessions reads every page of a session list.
func (con *Console) allSessions(ctx context.Context, f scheduling.SessionFilter) ([]scheduling.Session, error) {
	var all []scheduling.Session
	for {
		page, err := con.sched.ListSessions(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		f.Cursor = page.NextCursor
	}
}

func todayRowOf(s scheduling.Session) todayRow {
	exams := make([]string, len(s.Examinations))
	for i, e := range s.Examinations {
		exams[i] = e.Name
	}
	return todayRow{
		Time:         clock(s.Start) + "–" + clock(s.End),
		Patient:      s.PatientName,
		Doctor:       s.DoctorName,
		Examinations: strings.Join(exams, ", "),
		Status:       s.Status,
		StatusLabel:  statusLabels[s.Status],
	}
}

// clock is a time of day as the page shows it; session times are already in their branch's zone.
func clock(t time.Time) string { return t.Format("15:04") }
