package console

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// visitTracking is a tracking link just made, shown once on the session page: only its fingerprint
// is kept, so it cannot be shown again (a new one can be made).
type visitTracking struct {
	URL, Until string
}

// trackingLink makes the link with which the session's patient follows their place in the queue,
// and shows the session page with it to copy or read out.
func (con *Console) trackingLink(c *gin.Context) {
	id, ok := con.sessionID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	sess, err := con.sched.GetSession(ctx, id)
	if err != nil {
		con.fail(c, err)
		return
	}
	token, expires, err := con.privacy.TrackingLink(ctx, sess, signedIn(c).actor())
	var de *scheduling.Error
	switch {
	case errors.As(err, &de) && de.Kind == scheduling.KindRule:
		con.flash(c, flashError, "The session's day is over, so its patient has no place in a queue to follow.")
		c.Redirect(http.StatusSeeOther, sessionLink(id))
		return
	case err != nil:
		con.fail(c, err)
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
	page.Tracking = &visitTracking{URL: con.publicBase(c) + "/q/" + token,
		Until: expires.Add(-time.Minute).Format("15:04 on Monday 2 January")}
	con.render(c, http.StatusOK, "visit", "Session of "+page.Patient, page)
}

// publicBase is where patients reach the server: the configured address, or the one the console was
// reached at.
func (con *Console) publicBase(c *gin.Context) string {
	if b := con.cfg.PublicBaseURL; b != "" {
		return strings.TrimRight(b, "/")
	}
	scheme := "http"
	if con.secure(c.Request) {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}
