package console

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/queue"
	"clinic/web/access"
)

// queuePage is the waiting-room board of one branch's today.
type queuePage struct {
	Branches, Doctors []calOption
	Tabs              []calLink
	Scope             queueScope
	Date              string
	// Own is set for a doctor, who sees only their own line.
	Own bool
	// CanOrder is set when the rows may be dragged: the manual sort, for the front desk.
	CanOrder bool
	// Ordered reports an order kept by staff for this board.
	Ordered bool
	// Next is the patient "call next" would open, for a doctor; nil when nobody has arrived.
	Next *queueRow
	// WithDoctor, Arrived and NotArrived count the rows.
	WithDoctor, Arrived, NotArrived int
	Rows                            []queueRow
	// Order is the waiting sessions' ids as shown, which the move buttons send with the move.
	Order string
	CSRF  string
	// Self is the board's address; Fragment the board alone, for the live refresh; Stream the live
	// events ("" when the server follows no changes).
	Self, Fragment, Stream string
}

// queueRow is one session on the board.
type queueRow struct {
	ID                           scheduling.ID
	Position                     int
	Status, State, StatusLabel   string
	Patient, Phone, Doctor, Link string
	Time, Examinations           string
	// Waited says how long the patient has waited; "" when they have not arrived.
	Waited string
	// ETA is when the doctor is expected to see them, as a range; Ahead who is before them.
	ETA, Ahead string
	// Since is when an open session began.
	Since string
	Moves []visitMove
	// Draggable rows are waiting ones on a manual board.
	Draggable bool
	// Up and Down are the neighbours' places for the move buttons (0: none).
	Up, Down bool
}

// queuePageOf lists the scope's board and builds the page around it.
func (con *Console) queuePageOf(c *gin.Context, s queueScope) (*queuePage, error) {
	a := signedIn(c)
	ctx := c.Request.Context()
	board, err := con.queue.List(ctx, queue.Query{BranchID: s.Branch.ID, Day: s.Day, DoctorID: s.DoctorID, Sort: s.Sort})
	if err != nil {
		return nil, err
	}
	p := &queuePage{Scope: s, Own: a.Role == access.Doctor, Ordered: board.Ordered, CSRF: a.CSRF,
		Self: s.url(), Fragment: s.url("fragment", "1")}
	p.CanOrder = s.Sort == queue.SortManual && a.Role != access.Doctor
	if con.feed != nil {
		p.Stream = queuePath + "/events?branch=" + s.Branch.ID.String()
	}
	loc, err := scheduling.LoadLocation(s.Branch.Timezone)
	if err != nil {
		return nil, err
	}
	p.Date = con.now().In(loc).Format("Monday 2 January 2006")
	if err := con.queueChoices(c, p, a); err != nil {
		return nil, err
	}
	waiting := 0
	for _, it := range board.Items {
		if it.Status == scheduling.StatusWaiting {
			waiting++
		}
	}
	seen := 0
	for _, it := range board.Items {
		r := queueRowOf(it, a, s)
		if r.Draggable = p.CanOrder && it.Status == scheduling.StatusWaiting; r.Draggable {
			seen++
			r.Up, r.Down = seen > 1, seen < waiting
			p.Order += "," + it.SessionID.String()
		}
		switch {
		case it.Status == scheduling.StatusOpen:
			p.WithDoctor++
		case it.CheckedIn:
			p.Arrived++
		default:
			p.NotArrived++
		}
		p.Rows = append(p.Rows, r)
	}
	p.Order = strings.TrimPrefix(p.Order, ",")
	if p.Own {
		p.Next = nextOf(board, p.Rows)
	}
	return p, nil
}

// queueChoices fills the branch picker, the doctor filter and the sort tabs.
func (con *Console) queueChoices(c *gin.Context, p *queuePage, a account) error {
	ctx := c.Request.Context()
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		return err
	}
	for _, b := range branches {
		p.Branches = append(p.Branches, calOption{Value: b.ID.String(), Label: b.Name, Selected: b.ID == p.Scope.Branch.ID})
	}
	if a.Role != access.Doctor {
		doctors, err := con.sched.ListDoctors(ctx)
		if err != nil {
			return err
		}
		p.Doctors = append(p.Doctors, calOption{Value: "", Label: "All doctors", Selected: p.Scope.DoctorID == 0})
		for _, d := range doctors {
			p.Doctors = append(p.Doctors, calOption{Value: d.ID.String(), Label: d.Name, Selected: d.ID == p.Scope.DoctorID})
		}
	}
	for _, sort := range queue.Sorts {
		tab := p.Scope
		tab.Sort = sort
		p.Tabs = append(p.Tabs, calLink{Label: sortLabels[sort], URL: tab.url(), Current: sort == p.Scope.Sort})
	}
	return nil
}

// nextOf is the row "call next" opens: the first checked-in waiting patient of the doctor's serving
// order (the queue package's order, whatever sort the board shows).
func nextOf(b *queue.Board, rows []queueRow) *queueRow {
	best := -1
	for i, it := range b.Items {
		if it.Status == scheduling.StatusWaiting && it.CheckedIn && it.ETA != nil &&
			(best < 0 || it.Ahead < b.Items[best].Ahead) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return &rows[best]
}

// queueRowOf is a board row, with the one-tap moves the session's state allows and the viewer's role
// may make.
func queueRowOf(it queue.Item, a account, s queueScope) queueRow {
	r := queueRow{ID: it.SessionID, Position: it.Position, Status: it.Status, StatusLabel: statusLabels[it.Status],
		Patient: it.PatientName, Phone: it.PatientPhone, Doctor: it.DoctorName, Link: sessionLink(it.SessionID),
		Time: clock(it.Start) + "–" + clock(it.End), Examinations: strings.Join(it.Examinations, ", ")}
	switch {
	case it.Status == scheduling.StatusOpen:
		r.State, r.StatusLabel = "open", "With the doctor"
		if it.WaitedMinutes != nil {
			r.Waited = "waited " + minutes(*it.WaitedMinutes)
			if *it.WaitedMinutes < 1 {
				r.Waited = "no wait"
			}
		}
		if it.OpenedAt != nil {
			r.Since = "since " + clock(it.OpenedAt.In(it.Start.Location()))
		}
	case it.CheckedIn:
		r.State, r.StatusLabel = "arrived", "Arrived"
		r.Waited = minutes(*it.WaitedMinutes)
	default:
		r.State, r.StatusLabel = "expected", "Not arrived"
	}
	if it.ETA != nil {
		r.ETA = clock(it.ETA.From)
		if to := clock(it.ETA.To); to != r.ETA {
			r.ETA += "–" + to
		}
		switch it.Ahead {
		case 0:
			r.Ahead = "next"
		case 1:
			r.Ahead = "1 ahead"
		default:
			r.Ahead = strconv.Itoa(it.Ahead) + " ahead"
		}
	}
	desk := a.Role != access.Doctor
	clinician := a.Role != access.Receptionist && (a.Role != access.Doctor || a.DoctorID == it.DoctorID)
	base := queuePath + "/sessions/" + it.SessionID.String()
	for _, act := range it.Actions {
		switch {
		case act == queue.ActionCheckIn && desk:
			r.Moves = append(r.Moves, visitMove{Label: "Check in", Path: base + "/check-in", Busy: "Checking in…", Primary: true})
		case act == queue.ActionOpen && clinician:
			r.Moves = append(r.Moves, visitMove{Label: "Open", Path: base + "/open", Busy: "Opening…", Primary: it.CheckedIn})
		case act == queue.ActionComplete && clinician:
			r.Moves = append(r.Moves, visitMove{Label: "Complete", Path: base + "/complete", Busy: "Completing…", Primary: true,
				Confirm: "Complete " + it.PatientName + "'s session? Its clinical record will be locked."})
		case act == queue.ActionNoShow && desk:
			r.Moves = append(r.Moves, visitMove{Label: "No-show", Path: base + "/no-show", Busy: "Saving…",
				Confirm: "Mark " + it.PatientName + " as a no-show?", Danger: true})
		case act == queue.ActionCancel && desk:
			r.Moves = append(r.Moves, visitMove{Label: "Cancel…", Path: base + "/cancel?" + s.query().Encode(),
				Link: true, Danger: true})
		}
	}
	return r
}

// minutes says a wait in words.
func minutes(n int) string {
	switch {
	case n < 1:
		return "just arrived"
	case n == 1:
		return "1 min"
	case n < 60:
		return strconv.Itoa(n) + " min"
	}
	return strconv.Itoa(n/60) + " h " + strconv.Itoa(n%60) + " min"
}
