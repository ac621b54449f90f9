package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// calPage is the calendar of one branch: a day per doctor, a week, or a day per room.
type calPage struct {
	Query    calQuery
	Branches []calOption
	Exams    []calOption
	Title    string
	Zone     string
	// Views, Prev, Next and Today are the navigation links.
	Views            []calLink
	Prev, Next, Now  string
	Hours            []calHour
	Minutes          int
	ScrollTo         int
	Columns          []calColumn
	Empty            string
	Blocks           []blockRow
	CanBlock         bool
	Form             blockForm
	Targets          []calOption
	Collisions       []collision
	CollisionsLoaded bool
	// Params is the calendar's query string, which the block forms carry back.
	Params string
	// Date is the day shown, as the date field writes it.
	Date string
}

// calOption is one choice of a select.
type calOption struct {
	Value, Label string
	Selected     bool
}

// calLink is a link of the view switch.
type calLink struct {
	Label, URL string
	Current    bool
}

// calColumn is a doctor, a room or a day, with what is drawn in it.
type calColumn struct {
	Title, Sub, Link string
	Items            []calItem
}

// calItem is a session, a block or a free slot, drawn to scale: Top and Len in minutes.
type calItem struct {
	Kind, Label, Sub, Time, Link string
	Status, StatusLabel          string
	Top, Len                     int
	// Lane and Lanes place a session beside those it overlaps (Lanes is 0 for other items).
	Lane, Lanes int
}

// calendar shows the calendar named by the query; bad parameters answer a 400 page that says which.
func (con *Console) calendar(c *gin.Context) {
	q, ok := con.calendarQuery(c)
	if !ok {
		return
	}
	page, err := con.calendarPage(c, q)
	if err != nil {
		con.fail(c, err)
		return
	}
	page.Form = defaultBlockForm(page.Query)
	if raw := c.Query("collides"); raw != "" {
		page.Collisions = con.collisions(c, strings.Split(raw, ","))
		page.CollisionsLoaded = true
	}
	con.render(c, http.StatusOK, "calendar", "Calendar · "+page.Title, page)
}

// calendarQuery reads the calendar's parameters; missing ones default to the first branch, its
// today and the day view.
func (con *Console) calendarQuery(c *gin.Context) (calQuery, bool) {
	q := calQuery{View: c.DefaultQuery("view", viewDay)}
	if !slices.Contains([]string{viewDay, viewWeek, viewRooms}, q.View) {
		con.errorPage(c, http.StatusBadRequest, "No such view", "The calendar shows a day, a week or the rooms.")
		return q, false
	}
	if raw := c.Query("branch"); raw != "" {
		id, ok := scheduling.ParseID(raw)
		if !ok {
			con.errorPage(c, http.StatusBadRequest, "No such branch", "The branch in the address is not a valid one. Pick a branch from the calendar.")
			return q, false
		}
		q.Branch = id
	}
	if raw := c.Query("exam"); raw != "" {
		q.Exam, _ = scheduling.ParseID(raw)
	}
	if raw := c.Query("date"); raw != "" {
		d, err := scheduling.ParseDate(raw)
		if err != nil {
			con.errorPage(c, http.StatusBadRequest, "Not a date", "The date in the address should look like 2027-01-04.")
			return q, false
		}
		q.Date = d
	}
	return q, true
}

// calendarPage builds the calendar for q, filling in its defaults.
func (con *Console) calendarPage(c *gin.Context, q calQuery) (*calPage, error) {
	ctx := c.Request.Context()
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		return nil, err
	}
	if len(branches) == 0 {
		return nil, scheduling.NotFound("branch", 0)
	}
	bi := slices.IndexFunc(branches, func(b scheduling.Branch) bool { return b.ID == q.Branch })
	if q.Branch == 0 {
		bi = 0
	}
	if bi < 0 {
		return nil, scheduling.NotFound("branch", q.Branch)
	}
	branch := branches[bi]
	q.Branch = branch.ID
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		return nil, err
	}
	today := scheduling.DateOf(con.now().In(loc))
	if q.Date == (scheduling.Date{}) {
		q.Date = today
	}
	p := &calPage{Query: q, Zone: branch.Timezone, CanBlock: canBlock(signedIn(c).Role)}
	for _, b := range branches {
		p.Branches = append(p.Branches, calOption{Value: b.ID.String(), Label: b.Name, Selected: b.ID == q.Branch})
	}
	step := 1
	if q.View == viewWeek {
		step = 7
	}
	p.Prev, p.Next, p.Now = q.with(shift(q.Date, -step), q.View).url(nil), q.with(shift(q.Date, step), q.View).url(nil),
		q.with(today, q.View).url(nil)
	for _, v := range []struct{ view, label string }{{viewDay, "Doctors"}, {viewWeek, "Week"}, {viewRooms, "Rooms"}} {
		p.Views = append(p.Views, calLink{Label: v.label, URL: q.with(q.Date, v.view).url(nil), Current: v.view == q.View})
	}
	d := &calData{con: con, page: p, branch: branch, loc: loc}
	if err := d.load(ctx); err != nil {
		return nil, err
	}
	p.Date = dateText(p.Query.Date)
	p.Params = strings.TrimPrefix(p.Query.url(nil), Prefix+"/calendar?")
	return p, nil
}

// canBlock reports whether the role may add and remove blocks.
func canBlock(r access.Role) bool { return r == access.Owner || r == access.Manager }
