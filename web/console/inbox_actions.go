package console

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

// staffOf is the signed-in user as the inbox names who acted.
func staffOf(a account) inbox.Staff {
	id := scheduling.ID(a.UserID)
	return inbox.Staff{UserID: &id, Name: a.Email, Actor: consoleActor(a)}
}

// requestAgain shows the request's page again with status, after fill notes what went wrong; the
// picker keeps what the sent form chose.
func (con *Console) requestAgain(c *gin.Context, id scheduling.ID, status int, fill func(v *requestView)) {
	v, err := con.requestView(c, id, c.PostForm)
	if err != nil {
		con.fail(c, err)
		return
	}
	fill(v)
	v.bindSlots()
	con.render(c, status, "inbox_request", "Request from "+v.Name, v)
}

// refused shows a domain refusal at the form it came from (field), and fails otherwise.
func (con *Console) refused(c *gin.Context, id scheduling.ID, err error, field string, fill func(v *requestView)) {
	de, ok := asDomain(err)
	if !ok {
		con.fail(c, err)
		return
	}
	con.requestAgain(c, id, kindStatus[de.Kind], func(v *requestView) {
		v.Errors[field] = sentence(de.Message)
		if fill != nil {
			fill(v)
		}
	})
}

// inboxAssign gives the request to the user chosen ("me": the signed-in one; empty: nobody).
func (con *Console) inboxAssign(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	a := signedIn(c)
	var to *scheduling.ID
	switch raw := c.PostForm("assignee"); raw {
	case "":
	case "me":
		me := scheduling.ID(a.UserID)
		to = &me
	default:
		u := idOf(raw)
		if u == 0 {
			con.requestAgain(c, id, http.StatusBadRequest, func(v *requestView) { v.Errors["assign"] = "Choose someone from the list." })
			return
		}
		to = &u
	}
	r, err := con.inbox.Assign(c.Request.Context(), id, to)
	if err != nil {
		con.refused(c, id, err, "assign", nil)
		return
	}
	switch {
	case r.Assignee == "":
		con.flash(c, flashSuccess, "Nobody holds this request now.")
	case r.AssigneeID != nil && int64(*r.AssigneeID) == a.UserID:
		con.flash(c, flashSuccess, "The request is yours now.")
	default:
		con.flash(c, flashSuccess, "The request is "+r.Assignee+"'s now.")
	}
	c.Redirect(http.StatusSeeOther, requestLink(id))
}

// inboxReply sends the text to the patient on the request's channel; the bot then stays quiet.
func (con *Console) inboxReply(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	text := c.PostForm("text")
	_, err := con.inbox.Reply(c.Request.Context(), id, staffOf(signedIn(c)), text, c.PostForm("key"))
	if err != nil {
		con.refused(c, id, err, "reply", func(v *requestView) { v.ReplyText = text })
		return
	}
	con.flash(c, flashSuccess, "Reply queued. Its delivery shows under it.")
	c.Redirect(http.StatusSeeOther, requestLink(id)+"#reply")
}

// inboxReject closes the request with the reason given.
func (con *Console) inboxReject(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	if _, err := con.inbox.Reject(c.Request.Context(), id, c.PostForm("reason")); err != nil {
		con.refused(c, id, err, "reject", nil)
		return
	}
	con.flash(c, flashSuccess, "Request rejected.")
	c.Redirect(http.StatusSeeOther, requestLink(id))
}

// inboxHandback gives the conversation back to the bot.
func (con *Console) inboxHandback(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	if _, err := con.inbox.Handback(c.Request.Context(), id); err != nil {
		con.refused(c, id, err, "handback", nil)
		return
	}
	con.flash(c, flashSuccess, "The bot answers the patient again.")
	c.Redirect(http.StatusSeeOther, requestLink(id))
}

// inboxConvert books the request in one step: the slot sent (the suggested one, or one from the
// picker), else the request's own choices. The page then shows the session and the confirm link; a
// slot gone shows the nearest free ones, each one click away, and nothing else changes.
func (con *Console) inboxConvert(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	var in inbox.ConvertInput
	if raw := c.PostForm("start"); raw != "" {
		start, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			con.requestAgain(c, id, http.StatusBadRequest, func(v *requestView) { v.Errors["convert"] = "Choose a free time." })
			return
		}
		in.Start = &start
	}
	for name, dst := range map[string]**scheduling.ID{"doctor": &in.DoctorID, "branch": &in.BranchID} {
		if id := idOf(c.PostForm(name)); id != 0 {
			*dst = &id
		}
	}
	in.ExaminationIDs = idsOf(c.PostFormArray("exam"))
	conv, err := con.inbox.Convert(c.Request.Context(), id, staffOf(signedIn(c)), in)
	if err != nil {
		con.convertRefused(c, id, err)
		return
	}
	con.requestAgain(c, id, http.StatusOK, func(v *requestView) {
		v.Result = &convertResult{SessionLink: sessionLink(conv.SessionID), ConfirmURL: conv.ConfirmURL, Replayed: conv.Replayed}
	})
}

// convertRefused shows why a conversion did not happen: a slot gone with the nearest free ones to
// pick from, or the service's reason.
func (con *Console) convertRefused(c *gin.Context, id scheduling.ID, err error) {
	de, ok := asDomain(err)
	if !ok || de.Code != scheduling.CodeSlotTaken && de.Code != scheduling.CodeNotAvailable {
		con.refused(c, id, err, "convert", nil)
		return
	}
	slots, _ := de.Details["alternatives"].([]scheduling.Slot)
	ctx := c.Request.Context()
	cat, cerr := con.catalog(ctx)
	if cerr != nil {
		con.fail(c, cerr)
		return
	}
	branch := idOf(c.PostForm("branch"))
	con.requestAgain(c, id, kindStatus[de.Kind], func(v *requestView) {
		if branch == 0 {
			branch = v.Picker.Branch
		}
		loc := cat.zone(&branch)
		for _, s := range slots {
			v.Alternatives = append(v.Alternatives, inboxSlotOf(s, loc, cat.doctors.names))
		}
		v.Errors["convert"] = "That time is no longer free. Pick one of the nearest free times below."
		if len(slots) == 0 {
			v.Errors["convert"] = "That time is no longer free, and nothing else is free near it. Pick another day below."
		}
	})
}
