package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// otherReason is the choice of the cancel form that takes a reason in the user's own words.
const otherReason = "other"

// cancelView is the page that cancels a session with a reason.
type cancelView struct {
	Session *scheduling.Session
	When    string
	CSRF    string
	Reasons []string
	// Reason is the chosen reason (one of Reasons, or otherReason with Other).
	Reason, Other string
	Errors        map[string]string
	// Closed is set when the session can no longer be cancelled; the page shows no form.
	Closed bool
	// Action is where the form posts; Back, named BackLabel, is the page it came from and goes back
	// to; Hidden are fields the form carries along (the board's branch, sort and doctor).
	Action, Back, BackLabel string
	Hidden                  []hiddenField
}

// hiddenField is a name and value a form carries along unseen.
type hiddenField struct{ Name, Value string }

func (con *Console) cancelView(c *gin.Context, s *scheduling.Session) (*cancelView, error) {
	reasons, err := con.sched.CancelReasons(c.Request.Context())
	if err != nil {
		return nil, err
	}
	branch, err := con.sched.GetBranch(c.Request.Context(), s.BranchID)
	if err != nil {
		return nil, err
	}
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		return nil, err
	}
	v := &cancelView{Session: s, CSRF: signedIn(c).CSRF, Reasons: reasons, Errors: map[string]string{},
		When:   s.Start.In(loc).Format("Monday 2 January 2006, 15:04") + "–" + clock(s.End.In(loc)),
		Action: sessionLink(s.ID) + "/cancel", Back: sessionLink(s.ID), BackLabel: "Back to the session"}
	if s.Status != scheduling.StatusWaiting && s.Status != scheduling.StatusOpen {
		v.Errors["form"] = "This session is " + strings.ToLower(statusLabels[s.Status]) + " and can no longer be cancelled."
		v.Closed = true
	}
	return v, nil
}

// cancelPage shows the session and asks for the reason to cancel it.
func (con *Console) cancelPage(c *gin.Context) {
	s, ok := con.sessionOf(c)
	if !ok {
		return
	}
	v, err := con.cancelView(c, s)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "cancel", "Cancel a session", v)
}

// cancel cancels the session with the chosen reason, or the one written under "Other".
func (con *Console) cancel(c *gin.Context) {
	s, ok := con.sessionOf(c)
	if !ok {
		return
	}
	v, err := con.cancelView(c, s)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.submitCancel(c, v)
}

// submitCancel cancels v's session with the reason the form chose, or the one written under "Other",
// and goes back where the page came from; a refusal shows the page again, with what was chosen.
func (con *Console) submitCancel(c *gin.Context, v *cancelView) {
	if v.Closed {
		con.render(c, http.StatusConflict, "cancel", "Cancel a session", v)
		return
	}
	v.Reason, v.Other = c.PostForm("reason"), c.PostForm("other")
	reason := v.Reason
	if reason == otherReason {
		reason = v.Other
	}
	if strings.TrimSpace(reason) == "" {
		v.Errors["reason"] = "Choose a reason, or write one under “Other”."
		if v.Reason == otherReason {
			v.Errors["reason"] = "Write the reason, or choose one from the list."
		}
		con.render(c, http.StatusBadRequest, "cancel", "Cancel a session", v)
		return
	}
	done, err := con.sched.Cancel(c.Request.Context(), consoleActor(signedIn(c)), v.Session.ID, reason)
	if de, ok := asDomain(err); ok {
		field := "form"
		if de.Kind == scheduling.KindInvalid || de.Kind == scheduling.KindRule && strings.Contains(de.Code, "reason") {
			field = "reason"
		}
		v.Errors[field] = sentence(de.Message)
		con.render(c, kindStatus[de.Kind], "cancel", "Cancel a session", v)
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	con.flash(c, flashSuccess, "Cancelled "+done.PatientName+"'s session of "+v.When+" ("+reason+").")
	c.Redirect(http.StatusSeeOther, v.Back)
}
