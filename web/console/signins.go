package console

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// signinsPage is the owner's view of who is signed in to the console.
type signinsPage struct {
	Sessions []signinRow
	CSRF     string
}

type signinRow struct {
	ID                              int64
	Email, Role, Since, Seen, Where string
	// Device is the browser it was started from, shortened.
	Device string
	// Yours marks the session of the owner looking at the page.
	Yours bool
}

// signins lists the live console sessions, so the owner can end one on a lost or shared device.
func (con *Console) signins(c *gin.Context) {
	a := signedIn(c)
	list, err := con.liveSessions(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	page := signinsPage{CSRF: a.CSRF}
	for _, s := range list {
		page.Sessions = append(page.Sessions, signinRow{ID: s.ID, Email: s.Email, Role: string(s.Role),
			Since: s.CreatedAt.UTC().Format("2 Jan 15:04 UTC"), Seen: ago(con.now().Sub(s.LastSeen)),
			Where: s.ClientIP, Device: shorten(s.UserAgent, 60), Yours: s.ID == a.SessionID})
	}
	con.render(c, http.StatusOK, "signins", "Sign-ins", page)
}

// endSignin ends one console session; ending one's own is signing out.
func (con *Console) endSignin(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		con.errorPage(c, http.StatusNotFound, "Not found", "There is no such sign-in.")
		return
	}
	ended, err := con.endSession(c.Request.Context(), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	if id == signedIn(c).SessionID {
		con.setCookie(c, sessionCookie, "", -1)
		con.flash(c, flashSuccess, "You have signed out.")
		c.Redirect(http.StatusSeeOther, Prefix+"/signin")
		return
	}
	if ended {
		con.flash(c, flashSuccess, "The sign-in was ended; that device must sign in again.")
	} else {
		con.flash(c, flashInfo, "That sign-in had already ended.")
	}
	c.Redirect(http.StatusSeeOther, Prefix+"/sign-ins")
}

// ago says how long ago something was, to the minute.
func ago(d time.Duration) string {
	switch m := int(d / time.Minute); {
	case m < 1:
		return "just now"
	case m == 1:
		return "a minute ago"
	case m < 60:
		return strconv.Itoa(m) + " minutes ago"
	default:
		return strconv.Itoa(m/60) + " h " + strconv.Itoa(m%60) + " min ago"
	}
}

// shorten cuts s to at most n characters, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
