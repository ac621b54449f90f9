package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// frontDesk are the roles that run the front desk: check-in, no-show, cancel and reschedule.
var frontDesk = []access.Role{access.Owner, access.Manager, access.Receptionist}

func init() { pageNames = append(pageNames, "visit") }

// visitPage is one session: who, what, when and where, the moves its status and the viewer's role
// allow, its audit trail and, for those allowed, its clinical record.
type visitPage struct {
	ID                  scheduling.ID
	PatientID           scheduling.ID
	Patient, Doctor     string
	Date, Time, Zone    string
	Room                string
	Status, StatusLabel string
	Examinations        []string
	Moves               []visitMove
	History             []visitEvent
	CSRF                string
	// Record is the clinical record section; nil when the viewer's role may not see records.
	Record *recordSection
	// CanTrack offers the front desk a link for the patient to follow the queue; Tracking is the one
	// just made.
	CanTrack bool
	Tracking *visitTracking
	// Invoice is the session's invoice; nil when the viewer's role sees no money.
	Invoice *visitInvoice
}

// visitMove is one lifecycle button: a POST form, or a link to a page with a form of its own.
type visitMove struct {
	Label, Path, Busy, Confirm string
	Link, Primary, Danger      bool
}

// visitEvent is one line of the audit trail.
type visitEvent struct {
	At, Actor, What, Detail string
}

// visitRoutes adds the session page, its lifecycle moves and its clinical record.
func (con *Console) visitRoutes(in *gin.RouterGroup) {
	in.GET("/sessions/:id", con.visit)
	in.POST("/sessions/:id/check-in", con.allow(frontDesk...), con.moveSession("Checked in.", (*scheduling.Service).CheckIn))
	clinicians := in.Group("", con.allow(access.Owner, access.Manager, access.Doctor))
	clinicians.POST("/sessions/:id/open", con.moveSession("The session is open.", (*scheduling.Service).Open))
	clinicians.POST("/sessions/:id/complete", con.moveSession("The session is completed; its record is now locked.",
		(*scheduling.Service).Complete))
	in.POST("/sessions/:id/no-show", con.allow(frontDesk...), con.moveSession("Marked as a no-show.", (*scheduling.Service).NoShow))
	in.POST("/sessions/:id/tracking", con.allow(frontDesk...), con.trackingLink)
	in.POST("/sessions/:id/record", con.allow(access.Owner, access.Doctor), con.saveRecord)
	in.GET("/icd10", con.icd10)
	con.invoiceRoutes(in)
}

// sessionID reads the :id of the path; a malformed id answers the not-found page.
func (con *Console) sessionID(c *gin.Context) (scheduling.ID, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		con.errorPage(c, http.StatusNotFound, "No such session", "There is no session at this address. Open it from Today or the patient's page.")
		return 0, false
	}
	return scheduling.ID(id), true
}

// core is the scheduling service as the signed-in user may use it: a doctor acts only on their own
// sessions.
func (con *Console) core(a account) *scheduling.Service {
	if a.Role == access.Doctor && a.DoctorID != 0 {
		return con.sched.AsDoctor(a.DoctorID)
	}
	return con.sched
}

// actor names the signed-in user in audit trails, as the API names a user.
func (a account) actor() scheduling.Actor {
	return scheduling.Actor("user:" + strconv.FormatInt(a.UserID, 10) + " " + a.Email)
}

// visit shows the session page.
func (con *Console) visit(c *gin.Context) {
	id, ok := con.sessionID(c)
	if !ok {
		return
	}
	page, err := con.visitPageOf(c, id)
	if err != nil {
		con.fail(c, err)
		return
	}
	if page.Record != nil {
		if err := con.loadRecord(c, page); err != nil {
			con.fail(c, err)
			return
		}
	}
	con.render(c, http.StatusOK, "visit", "Session of "+page.Patient, page)
}

// visitPageOf reads the session and builds the page around it, record section left to fill.
func (con *Console) visitPageOf(c *gin.Context, id scheduling.ID) (*visitPage, error) {
	a := signedIn(c)
	ctx := c.Request.Context()
	s, err := con.sched.GetSession(ctx, id)
	if err != nil {
		return nil, err
	}
	page := &visitPage{ID: s.ID, PatientID: s.PatientID, Patient: s.PatientName, Doctor: s.DoctorName,
		Date: s.Start.Format("Monday 2 January 2006"), Time: clock(s.Start) + "–" + clock(s.End),
		Zone: s.Start.Location().String(), Room: "No room", Status: s.Status, StatusLabel: statusLabels[s.Status], CSRF: a.CSRF}
	if s.RoomID != nil {
		rooms, err := con.sched.ListRooms(ctx, s.BranchID)
		if err != nil {
			return nil, err
		}
		for _, r := range rooms {
			if r.ID == *s.RoomID {
				page.Room = r.Name
			}
		}
	}
	for _, e := range s.Examinations {
		page.Examinations = append(page.Examinations, e.Name+" ("+clock(e.Start)+"–"+clock(e.End)+")")
	}
	for _, e := range s.History {
		page.History = append(page.History, visitEvent{At: e.At.In(s.Start.Location()).Format("2 Jan 2006 15:04"),
			Actor: e.Actor, What: actionLabel(e.Action), Detail: e.Detail})
	}
	page.Moves = movesFor(s, a)
	page.CanTrack = a.Role != access.Doctor && (s.Status == scheduling.StatusWaiting || s.Status == scheduling.StatusOpen)
	if a.Role != access.Receptionist {
		page.Record = &recordSection{}
	}
	if page.Invoice, err = con.invoiceOfVisit(ctx, a, s.ID, s.Start.Location()); err != nil {
		return nil, err
	}
	return page, nil
}

// movesFor lists the moves the session's status allows and the viewer's role may make: the front desk
// checks in, cancels, reschedules and marks no-shows; the session's doctor (or a manager or the owner)
// opens and completes.
func movesFor(s *scheduling.Session, a account) []visitMove {
	desk := a.Role != access.Doctor
	clinician := a.Role != access.Receptionist && (a.Role != access.Doctor || a.DoctorID == s.DoctorID)
	base := Prefix + "/sessions/" + strconv.FormatInt(int64(s.ID), 10)
	var moves []visitMove
	switch s.Status {
	case scheduling.StatusWaiting:
		if desk && s.CheckedInAt == nil {
			moves = append(moves, visitMove{Label: "Check in", Path: base + "/check-in", Busy: "Checking in…", Primary: true})
		}
		if clinician {
			moves = append(moves, visitMove{Label: "Open", Path: base + "/open", Busy: "Opening…", Primary: !desk || s.CheckedInAt != nil})
		}
		if desk {
			moves = append(moves, visitMove{Label: "Reschedule", Path: base + "/reschedule", Link: true})
			if s.CheckedInAt == nil {
				moves = append(moves, visitMove{Label: "No-show", Path: base + "/no-show", Busy: "Saving…",
					Confirm: "Mark " + s.PatientName + " as a no-show?", Danger: true})
			}
			moves = append(moves, visitMove{Label: "Cancel", Path: base + "/cancel", Link: true, Danger: true})
		}
	case scheduling.StatusOpen:
		if clinician {
			moves = append(moves, visitMove{Label: "Complete", Path: base + "/complete", Busy: "Completing…", Primary: true,
				Confirm: "Complete the session? Its clinical record will be locked."})
		}
	}
	return moves
}

// actionLabel says an audit action in words.
func actionLabel(action string) string {
	switch action {
	case scheduling.ActionCheckedIn:
		return "Checked in"
	case scheduling.ActionNoShow:
		return "No-show"
	case scheduling.ActionExaminationsChanged:
		return "Examinations changed"
	}
	if action == "" {
		return ""
	}
	return strings.ToUpper(action[:1]) + strings.ReplaceAll(action[1:], "_", " ")
}

// moveSession makes one lifecycle move and comes back to the session page with a message saying what
// happened, or why it could not.
func (con *Console) moveSession(done string, move func(*scheduling.Service, context.Context, scheduling.Actor, scheduling.ID) (*scheduling.Session, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := con.sessionID(c)
		if !ok {
			return
		}
		a := signedIn(c)
		_, err := move(con.core(a), c.Request.Context(), a.actor(), id)
		var de *scheduling.Error
		switch {
		case err == nil:
			con.flash(c, flashSuccess, done)
		case errors.As(err, &de) && de.Kind != scheduling.KindNotFound:
			con.flash(c, flashError, de.Message)
		default:
			con.fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, sessionLink(id))
	}
}
