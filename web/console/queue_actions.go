package console

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/queue"
)

// The board's forms work as plain forms (each answers a redirect back to the board with a message)
// and through its script, which asks for JSON and refreshes the board in place: {"message"} on
// success, the API's error shape otherwise.

// wantsJSON reports a request from the board's script.
func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// queueDone answers a move that worked.
func (con *Console) queueDone(c *gin.Context, s queueScope, message, redirect string) {
	if wantsJSON(c) {
		out := gin.H{"message": message}
		if redirect != "" {
			out["redirect"] = redirect
		}
		c.JSON(http.StatusOK, out)
		return
	}
	con.flash(c, flashSuccess, message)
	c.Redirect(http.StatusSeeOther, cmp.Or(redirect, s.url()))
}

// queueRefused answers a move the service refused, with its reason; any other error fails the request.
func (con *Console) queueRefused(c *gin.Context, s queueScope, err error) {
	de, ok := asDomain(err)
	if !ok {
		con.fail(c, err)
		return
	}
	message := sentence(de.Message)
	if !strings.HasSuffix(message, ".") {
		message += "."
	}
	if de.Code == "queue_changed" {
		message = "The queue changed while you were ordering it, so your order was not saved. " +
			"The board now shows the queue as it is: please order it again."
	}
	if wantsJSON(c) {
		c.JSON(kindStatus[de.Kind], gin.H{"error": gin.H{"code": de.Code, "message": message}})
		return
	}
	con.flash(c, flashError, message)
	c.Redirect(http.StatusSeeOther, s.url())
}

// queueOrder keeps the order of the board's waiting patients: the dragged order, or the shown one
// with one patient moved up or down (the buttons beside each row).
func (con *Console) queueOrder(c *gin.Context) {
	s, ok := con.queueScopeOf(c, c.PostForm)
	if !ok {
		return
	}
	var order []scheduling.ID
	for _, raw := range strings.Split(c.PostForm("order"), ",") {
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		id := idOf(raw)
		if id == 0 {
			con.queueRefused(c, s, scheduling.Invalid("invalid_order", "the order lists %q, which is not a session", raw))
			return
		}
		order = append(order, id)
	}
	if len(order) == 0 {
		con.queueRefused(c, s, scheduling.Invalid("missing_order", "there is nobody waiting to order"))
		return
	}
	if raw := c.PostForm("move"); raw != "" {
		at := slices.Index(order, idOf(raw))
		to := at - 1
		if c.PostForm("dir") == "down" {
			to = at + 1
		}
		if at < 0 || to < 0 || to >= len(order) {
			con.queueRefused(c, s, scheduling.Invalid("invalid_move", "that patient cannot move further that way"))
			return
		}
		order[at], order[to] = order[to], order[at]
	}
	a := signedIn(c)
	if _, err := con.queue.SetOrder(c.Request.Context(), s.Branch.ID, s.Day, s.DoctorID, order); err != nil {
		con.log.InfoContext(c.Request.Context(), "queue order refused", "user", a.UserID, "branch", s.Branch.ID, "err", err)
		con.queueRefused(c, s, err)
		return
	}
	s.Sort = queue.SortManual
	con.queueDone(c, s, "The order is saved.", "")
}

// sessionMove is a lifecycle move of the scheduling service.
type sessionMove func(*scheduling.Service, context.Context, scheduling.Actor, scheduling.ID) (*scheduling.Session, error)

// queueMove makes one row's move and answers with what happened ("Ana Ferreira checked in.").
func (con *Console) queueMove(done string, move sessionMove) gin.HandlerFunc {
	return func(c *gin.Context) {
		s, ok := con.queueScopeOf(c, c.PostForm)
		if !ok {
			return
		}
		id := idOf(c.Param("id"))
		if id == 0 {
			con.queueRefused(c, s, scheduling.NotFound("session", id))
			return
		}
		a := signedIn(c)
		sess, err := move(con.core(a), c.Request.Context(), a.actor(), id)
		if err != nil {
			con.queueRefused(c, s, err)
			return
		}
		con.queueDone(c, s, sess.PatientName+" "+done+".", "")
	}
}

// callNext opens, as the signed-in doctor, the first checked-in patient of their line in the serving
// order, and goes to that session's page. The button names the patient it will call (expect); if the
// queue changed since, nobody is opened and the board shows who is next now.
func (con *Console) callNext(c *gin.Context) {
	s, ok := con.queueScopeOf(c, c.PostForm)
	if !ok {
		return
	}
	a := signedIn(c)
	ctx := c.Request.Context()
	board, err := con.queue.List(ctx, queue.Query{BranchID: s.Branch.ID, Day: s.Day, DoctorID: a.DoctorID, Sort: queue.SortManual})
	if err != nil {
		con.fail(c, err)
		return
	}
	rows := make([]queueRow, len(board.Items))
	for i, it := range board.Items {
		rows[i] = queueRow{ID: it.SessionID, Patient: it.PatientName}
	}
	next := nextOf(board, rows)
	switch {
	case next == nil:
		con.queueRefused(c, s, scheduling.Conflict("nobody_waiting", "nobody has checked in for you yet"))
		return
	case c.PostForm("expect") != "" && idOf(c.PostForm("expect")) != next.ID:
		con.queueRefused(c, s, scheduling.Conflict("queue_moved",
			"the queue changed: %s is next now. Nobody was called; call again to see them", next.Patient))
		return
	}
	sess, err := con.core(a).Open(ctx, a.actor(), next.ID)
	if err != nil {
		con.queueRefused(c, s, err)
		return
	}
	con.queueDone(c, s, "Called "+sess.PatientName+": the session is open.", sessionLink(sess.ID))
}
