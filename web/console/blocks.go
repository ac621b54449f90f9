package console

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// maxCollisionsShown bounds the sessions a new block's notice lists.
const maxCollisionsShown = 50

// blockForm is the add-a-block form: what was typed and, after a refusal, what is wrong with it.
type blockForm struct {
	Target, Date, From, UntilDate, Until, Reason string
	Errors                                       map[string]string
}

func defaultBlockForm(q calQuery) blockForm {
	d := dateText(q.Date)
	return blockForm{Target: "branch", Date: d, From: "12:00", UntilDate: d, Until: "13:00"}
}

// collision is a session a new block overlaps.
type collision struct {
	When, Patient, Doctor, Link string
}

// addBlock closes time at a branch. A refused form comes back with its values and the errors at
// their fields; an added block brings the calendar of its day with the sessions it collides with.
func (con *Console) addBlock(c *gin.Context) {
	q, ok := con.calendarQuery(c)
	if !ok {
		return
	}
	f := blockForm{Target: c.PostForm("target"), Date: c.PostForm("date"), From: c.PostForm("from"),
		UntilDate: cmp.Or(c.PostForm("until_date"), c.PostForm("date")), Until: c.PostForm("until"),
		Reason: c.PostForm("reason"), Errors: map[string]string{}}
	page, err := con.calendarPage(c, q)
	if err != nil {
		con.fail(c, err)
		return
	}
	q = page.Query
	branch, err := con.sched.GetBranch(c.Request.Context(), q.Branch)
	if err != nil {
		con.fail(c, err)
		return
	}
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		con.fail(c, err)
		return
	}
	in := scheduling.BlockInput{BranchID: q.Branch, Reason: f.Reason}
	switch kind, id, _ := strings.Cut(f.Target, ":"); {
	case f.Target == "branch":
	case kind == "doctor" && validID(id):
		in.DoctorID = ptrID(id)
	case kind == "room" && validID(id):
		in.RoomID = ptrID(id)
	default:
		f.Errors["target"] = "Choose what the block closes: the whole branch, a doctor or a room."
	}
	in.Start = localTime(f.Date, f.From, loc, "date", "from", f.Errors)
	in.End = localTime(f.UntilDate, f.Until, loc, "until_date", "until", f.Errors)
	if len(f.Errors) == 0 && !in.End.After(in.Start) {
		f.Errors["until"] = "The block must end after it starts."
	}
	var b *scheduling.Block
	if len(f.Errors) == 0 {
		b, err = con.sched.CreateBlock(c.Request.Context(), in)
		var de *scheduling.Error
		if errors.As(err, &de) && (de.Kind == scheduling.KindRule || de.Kind == scheduling.KindInvalid) {
			f.Errors[blockErrorField(de.Code)] = de.Message
		} else if err != nil {
			con.fail(c, err)
			return
		}
	}
	if len(f.Errors) > 0 {
		page.Form = f
		con.render(c, http.StatusUnprocessableEntity, "calendar", "Calendar · "+page.Title, page)
		return
	}
	extra := url.Values{}
	if n := len(b.Colliding); n > 0 {
		ids := make([]string, 0, min(n, maxCollisionsShown))
		for _, id := range b.Colliding[:min(n, maxCollisionsShown)] {
			ids = append(ids, id.String())
		}
		extra.Set("collides", strings.Join(ids, ","))
		con.flash(c, flashInfo, "Block added. It overlaps "+countOf(n, "session")+" that still stand: move or cancel them.")
	} else {
		con.flash(c, flashSuccess, "Block added. No booked session falls in it.")
	}
	c.Redirect(http.StatusSeeOther, q.with(scheduling.DateOf(b.Start.In(loc)), q.View).url(extra))
}

// removeBlock deletes a block and goes back to the calendar it was removed from.
func (con *Console) removeBlock(c *gin.Context) {
	q, ok := con.calendarQuery(c)
	if !ok {
		return
	}
	id, ok := scheduling.ParseID(c.Param("id"))
	if !ok {
		con.errorPage(c, http.StatusNotFound, "No such block", "That block does not exist; it may have been removed already.")
		return
	}
	if err := con.sched.DeleteBlock(c.Request.Context(), id); err != nil {
		var de *scheduling.Error
		if errors.As(err, &de) && de.Kind == scheduling.KindNotFound {
			con.flash(c, flashError, "That block was already removed.")
			c.Redirect(http.StatusSeeOther, q.url(nil))
			return
		}
		con.fail(c, err)
		return
	}
	con.flash(c, flashSuccess, "Block removed: its time is open for booking again.")
	c.Redirect(http.StatusSeeOther, q.url(nil))
}
