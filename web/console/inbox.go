package console

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

func init() {
	pageNames = append(pageNames, "inbox", "inbox_request")
	// The inbox is the front desk's morning work, beside booking.
	at := slices.IndexFunc(navigation, func(n navItem) bool { return n.Name == "Book" }) + 1
	navigation = slices.Insert(navigation, at, navItem{Name: "Inbox", Path: inboxPath, Roles: allStaff, badge: newRequests})
}

// inboxPath is the inbox's address.
const inboxPath = Prefix + "/inbox"

// inboxRoutes mounts the booking inbox: requests by channel and status, the conversation, reply,
// assign, reject, hand back and convert. Every member of staff reads it; the desk roles act on it.
func (con *Console) inboxRoutes(in *gin.RouterGroup) {
	if con.inbox == nil {
		return
	}
	in.GET("/inbox", con.inboxList)
	in.GET("/inbox/:id", con.inboxRequest)
	desk := in.Group("/inbox/:id", con.allow(deskRoles...))
	desk.POST("/assign", con.inboxAssign)
	desk.POST("/reply", con.inboxReply)
	desk.POST("/reject", con.inboxReject)
	desk.POST("/handback", con.inboxHandback)
	desk.POST("/convert", con.inboxConvert)
	if con.resend != nil {
		desk.POST("/messages/:msg/resend", con.inboxResend)
	}
}

// newRequests is the Inbox entry's badge: how many requests nobody has taken up yet. Without an
// inbox the entry is hidden.
func newRequests(con *Console, c *gin.Context) (bool, int) {
	if con.inbox == nil {
		return false, 0
	}
	n, err := con.newRequestCount(c.Request.Context())
	if err != nil {
		con.log.WarnContext(c.Request.Context(), "count new inbox requests", "err", err)
		return true, 0
	}
	return true, n
}

func (con *Console) newRequestCount(ctx context.Context) (int, error) {
	page, err := con.inbox.List(ctx, inbox.Filter{Status: inbox.StatusNew, Limit: 1})
	if err != nil {
		return 0, err
	}
	return page.Counts.Status[inbox.StatusNew], nil
}

// inboxID reads the request id of the path; a malformed one answers a 404 page and 0.
func (con *Console) inboxID(c *gin.Context) scheduling.ID {
	id := idOf(c.Param("id"))
	if id == 0 {
		con.errorPage(c, http.StatusNotFound, "No such request", "There is no such booking request. Go back to the inbox and pick one.")
	}
	return id
}

// channelLabels name the channels as staff read them.
var channelLabels = map[inbox.Channel]string{
	inbox.WebForm:  "Web form",
	inbox.Chatbot:  "Chatbot",
	inbox.WhatsApp: "WhatsApp",
	inbox.Telegram: "Telegram",
}

// requestStatusLabels name the request statuses as the tabs show them.
var requestStatusLabels = map[inbox.Status]string{
	inbox.StatusNew:        "New",
	inbox.StatusInProgress: "In progress",
	inbox.StatusConverted:  "Converted",
	inbox.StatusRejected:   "Rejected",
	inbox.StatusExpired:    "Expired",
}

var inboxStatuses = []inbox.Status{inbox.StatusNew, inbox.StatusInProgress, inbox.StatusConverted, inbox.StatusRejected,
	inbox.StatusExpired}

// catalog names the examinations, branches and doctors requests refer to, and knows each branch's
// time zone.
type catalog struct {
	exams    map[scheduling.ID]string
	branches []scheduling.Branch
	zones    map[scheduling.ID]*time.Location
	doctors  doctorList
}

func (con *Console) catalog(ctx context.Context) (*catalog, error) {
	cat := &catalog{exams: map[scheduling.ID]string{}, zones: map[scheduling.ID]*time.Location{}}
	exams, err := con.sched.ListExaminations(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, e := range exams {
		cat.exams[e.ID] = e.Name
	}
	if cat.branches, err = con.sched.ListBranches(ctx); err != nil {
		return nil, err
	}
	for _, b := range cat.branches {
		if cat.zones[b.ID], err = scheduling.LoadLocation(b.Timezone); err != nil {
			return nil, err
		}
	}
	if cat.doctors, err = con.doctorNames(ctx); err != nil {
		return nil, err
	}
	return cat, nil
}

// zone is the time zone to show a request's times in: its branch's, else the clinic's first branch's.
func (cat *catalog) zone(branch *scheduling.ID) *time.Location {
	if branch != nil && cat.zones[*branch] != nil {
		return cat.zones[*branch]
	}
	if len(cat.branches) > 0 {
		return cat.zones[cat.branches[0].ID]
	}
	return time.UTC
}

func (cat *catalog) branchName(id scheduling.ID) string {
	for _, b := range cat.branches {
		if b.ID == id {
			return b.Name
		}
	}
	return ""
}

// asked says in a line what a request asked for: the examination, branch, doctor and time.
func (cat *catalog) asked(r inbox.Requested) string {
	var parts []string
	if r.ExaminationID != nil {
		parts = append(parts, cat.exams[*r.ExaminationID])
	}
	if r.BranchID != nil {
		parts = append(parts, cat.branchName(*r.BranchID))
	}
	if r.DoctorID != nil {
		parts = append(parts, cat.doctors.names[*r.DoctorID])
	}
	if r.Start != nil {
		parts = append(parts, r.Start.In(cat.zone(r.BranchID)).Format("Mon 2 Jan 15:04"))
	}
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " · "
		}
		out += p
	}
	return out
}

// whenText is a request's or message's time for a list: the time alone today, else the day and time.
func whenText(t, now time.Time, loc *time.Location) string {
	local, today := t.In(loc), now.In(loc)
	switch {
	case local.Format(time.DateOnly) == today.Format(time.DateOnly):
		return "Today " + local.Format("15:04")
	case local.Format(time.DateOnly) == today.AddDate(0, 0, -1).Format(time.DateOnly):
		return "Yesterday " + local.Format("15:04")
	case local.Year() == today.Year():
		return local.Format("Mon 2 Jan 15:04")
	}
	return local.Format("2 Jan 2006 15:04")
}
