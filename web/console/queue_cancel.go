package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// queueCancelView is the cancel page (cancelView) reached from the board, which it goes back to.
type queueCancelView struct {
	*cancelView
	Back  string
	Scope queueScope
}

// queueCancelPage asks for the reason to cancel a session from the board, as the session page does.
func (con *Console) queueCancelPage(c *gin.Context) {
	v, ok := con.queueCancelViewOf(c, c.Query)
	if !ok {
		return
	}
	con.render(c, http.StatusOK, "queue_cancel", "Cancel a session", v)
}

func (con *Console) queueCancelViewOf(c *gin.Context, get func(string) string) (*queueCancelView, bool) {
	s, ok := con.queueScopeOf(c, get)
	if !ok {
		return nil, false
	}
	sess, ok := con.sessionOf(c)
	if !ok {
		return nil, false
	}
	v, err := con.cancelView(c, sess)
	if err != nil {
		con.fail(c, err)
		return nil, false
	}
	return &queueCancelView{cancelView: v, Back: s.url(), Scope: s}, true
}

// queueCancel cancels the session with the chosen reason and goes back to the board.
func (con *Console) queueCancel(c *gin.Context) {
	v, ok := con.queueCancelViewOf(c, c.PostForm)
	if !ok {
		return
	}
	if v.Closed {
		con.render(c, http.StatusConflict, "queue_cancel", "Cancel a session", v)
		return
	}
	v.Reason, v.Other = c.PostForm("reason"), c.PostForm("other")
	reason := v.Reason
	if reason == otherReason {
		reason = v.Other
	}
	if strings.TrimSpace(reason) == "" {
		v.Errors["reason"] = "Choose a reason, or write one under “Other”."
		con.render(c, http.StatusBadRequest, "queue_cancel", "Cancel a session", v)
		return
	}
	done, err := con.sched.Cancel(c.Request.Context(), consoleActor(signedIn(c)), v.Session.ID, reason)
	if de, ok := asDomain(err); ok {
		v.Errors["reason"] = sentence(de.Message)
		con.render(c, kindStatus[de.Kind], "queue_cancel", "Cancel a session", v)
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	con.flash(c, flashSuccess, "Cancelled "+done.PatientName+"'s session of "+v.When+" ("+reason+").")
	c.Redirect(http.StatusSeeOther, v.Back)
}
