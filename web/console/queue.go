package console

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/queue"
	"clinic/web/access"
)

func init() {
	pageNames = append(pageNames, "queue")
	// The queue is the front desk's second page of the day: right after Today in the top bar.
	at := slices.IndexFunc(navigation, func(n navItem) bool { return n.Name == "Today" }) + 1
	navigation = slices.Insert(navigation, at, navItem{Name: "Queue", Path: queuePath, Roles: allStaff})
}

// queuePath is the board's address.
const queuePath = Prefix + "/queue"

// sortLabels name the board's sort modes as the tabs show them (DESIGN 3.3).
var sortLabels = map[string]string{
	queue.SortArrival: "Arrival",
	queue.SortTime:    "Appointment time",
	queue.SortNewest:  "Newest booking",
	queue.SortManual:  "Manual order",
}

// queueRoutes serves the waiting-room board: the page (or its board alone, for the live refresh),
// the kept order, the one-tap moves of its rows and the doctor's "call next".
func (con *Console) queueRoutes(in *gin.RouterGroup) {
	in.GET("/queue", con.queueBoard)
	in.POST("/queue/order", con.allow(frontDesk...), con.queueOrder)
	in.POST("/queue/sessions/:id/check-in", con.allow(frontDesk...),
		con.queueMove("checked in", (*scheduling.Service).CheckIn))
	in.POST("/queue/sessions/:id/no-show", con.allow(frontDesk...),
		con.queueMove("marked as a no-show", (*scheduling.Service).NoShow))
	clinicians := in.Group("", con.allow(access.Owner, access.Manager, access.Doctor))
	clinicians.POST("/queue/sessions/:id/open", con.queueMove("with the doctor now", (*scheduling.Service).Open))
	clinicians.POST("/queue/sessions/:id/complete", con.queueMove("completed", (*scheduling.Service).Complete))
	in.GET("/queue/sessions/:id/cancel", con.allow(frontDesk...), con.queueCancelPage)
	in.POST("/queue/sessions/:id/cancel", con.allow(frontDesk...), con.queueCancel)
	in.POST("/queue/next", con.allow(access.Doctor), con.callNext)
}

// queueScope is what a board shows: a branch's today, one doctor's line or all, in a sort mode.
type queueScope struct {
	Branch   scheduling.Branch
	Day      scheduling.Date
	DoctorID scheduling.ID
	Sort     string
}

// query is the scope as query values, which the board's links and forms carry.
func (s queueScope) query() url.Values {
	v := url.Values{"branch": {s.Branch.ID.String()}, "sort": {s.Sort}}
	if s.DoctorID != 0 {
		v.Set("doctor", s.DoctorID.String())
	}
	return v
}

// url is the board's address for the scope, with extra query values (fragment, 1).
func (s queueScope) url(extra ...string) string {
	v := s.query()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return queuePath + "?" + v.Encode()
}

// queueScopeOf reads the scope from the query or the form: a branch (default the first one, or for a
// doctor the first where they have patients today), the doctor (always their own for a doctor) and a
// sort. An unknown branch or sort answers a 400 page; ok is false then, or when there is no branch.
func (con *Console) queueScopeOf(c *gin.Context, get func(string) string) (s queueScope, ok bool) {
	a := signedIn(c)
	ctx := c.Request.Context()
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		con.fail(c, err)
		return s, false
	}
	if len(branches) == 0 {
		con.errorPage(c, http.StatusNotFound, "No branches yet", "The clinic has no branches yet, so there is no queue to show.")
		return s, false
	}
	s.Sort = get("sort")
	if s.Sort == "" {
		s.Sort = queue.SortArrival
	}
	if !slices.Contains(queue.Sorts, s.Sort) {
		con.errorPage(c, http.StatusBadRequest, "Unknown order", "The queue can be sorted by arrival, appointment time, newest booking or the manual order.")
		return s, false
	}
	if a.Role == access.Doctor {
		if s.DoctorID = a.DoctorID; s.DoctorID == 0 {
			con.errorPage(c, http.StatusForbidden, "No queue of yours",
				"Your account is not linked to a doctor, so it has no queue. Ask the clinic owner to link it.")
			return s, false
		}
	} else if raw := get("doctor"); raw != "" {
		if s.DoctorID = idOf(raw); s.DoctorID == 0 {
			con.errorPage(c, http.StatusBadRequest, "Unknown doctor", "Choose the doctor from the list.")
			return s, false
		}
	}
	chosen := -1
	if raw := get("branch"); raw != "" {
		id := idOf(raw)
		if chosen = slices.IndexFunc(branches, func(b scheduling.Branch) bool { return b.ID == id }); chosen < 0 {
			con.errorPage(c, http.StatusBadRequest, "Unknown branch", "There is no such branch. Choose one from the list.")
			return s, false
		}
	}
	if chosen < 0 && a.Role == access.Doctor {
		chosen = con.busiestBranch(c, branches, s.DoctorID)
	}
	s.Branch = branches[max(chosen, 0)]
	loc, err := scheduling.LoadLocation(s.Branch.Timezone)
	if err != nil {
		con.fail(c, err)
		return s, false
	}
	s.Day = scheduling.DateOf(con.now().In(loc))
	return s, true
}

// busiestBranch is the index of the first branch where the doctor has patients today, or -1.
func (con *Console) busiestBranch(c *gin.Context, branches []scheduling.Branch, doctor scheduling.ID) int {
	for i, b := range branches {
		loc, err := scheduling.LoadLocation(b.Timezone)
		if err != nil {
			continue
		}
		board, err := con.queue.List(c.Request.Context(), queue.Query{BranchID: b.ID, Day: scheduling.DateOf(con.now().In(loc)),
			DoctorID: doctor})
		if err == nil && len(board.Items) > 0 {
			return i
		}
	}
	return -1
}

// queueBoard shows the board; with fragment=1 only the board itself, which the page's script fetches
// again when the queue changes.
func (con *Console) queueBoard(c *gin.Context) {
	s, ok := con.queueScopeOf(c, c.Query)
	if !ok {
		return
	}
	page, err := con.queuePageOf(c, s)
	if err != nil {
		con.fail(c, err)
		return
	}
	if c.Query("fragment") != "" {
		var buf bytes.Buffer
		if err := con.pages["queue"].ExecuteTemplate(&buf, "board", page); err != nil {
			con.log.ErrorContext(c.Request.Context(), "queue board failed", "err", err)
			c.String(http.StatusInternalServerError, "The queue could not be shown. Please reload the page.")
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
		return
	}
	title := "Queue"
	if page.Own {
		title = "Your queue"
	}
	con.render(c, http.StatusOK, "queue", title, page)
}
