package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/web/access"
)

// signinCookie holds the sign-in form's CSRF token: there is no session yet to tie it to, so the
// form's hidden field must match this cookie (a page on another site can set neither).
const signinCookie = "clinic_signin"

// signinForm is the sign-in page's data.
type signinForm struct {
	Email, Next, CSRF string
	// Error says why the last attempt failed.
	Error string
}

// signinPage shows the sign-in form, or sends a visitor who is already signed in on their way.
func (con *Console) signinPage(c *gin.Context) {
	next := safeNext(c.Query("next"))
	if cookie, err := c.Request.Cookie(sessionCookie); err == nil {
		if _, err := con.resume(c.Request.Context(), cookie.Value); err == nil {
			c.Redirect(http.StatusSeeOther, next)
			return
		}
	}
	con.renderSignin(c, http.StatusOK, signinForm{Next: next})
}

// renderSignin shows the form with a sign-in CSRF token, new unless the browser already has one.
func (con *Console) renderSignin(c *gin.Context, status int, f signinForm) {
	if cookie, err := c.Request.Cookie(signinCookie); err == nil && len(cookie.Value) >= 32 {
		f.CSRF = cookie.Value
	} else {
		f.CSRF = newToken()
	}
	con.setCookie(c, signinCookie, f.CSRF, int((2 * time.Hour).Seconds()))
	con.render(c, status, "signin", "Sign in", f)
}

// signin checks the email and password. Wrong passwords are counted per account and per client and,
// repeated, make the next attempt wait and then lock (Lockout); the answers are the same whether or
// not the email belongs to anyone.
func (con *Console) signin(c *gin.Context) {
	cookie, err := c.Request.Cookie(signinCookie)
	if err != nil || !sameToken(c.PostForm(csrfField), cookie.Value) {
		con.csrfRefused(c)
		return
	}
	f := signinForm{Email: strings.TrimSpace(c.PostForm("email")), Next: safeNext(c.PostForm("next"))}
	password := c.PostForm("password")
	switch {
	case f.Email == "" || password == "":
		f.Error = "Enter your email and your password."
	case !utf8.ValidString(f.Email) || utf8.RuneCountInString(f.Email) > 254 || !strings.Contains(f.Email, "@"):
		f.Error = "That is not an email address. Enter the email you sign in with."
	case len(password) > 1000:
		f.Error = "That password is longer than any password here."
	}
	if f.Error != "" {
		con.renderSignin(c, http.StatusBadRequest, f)
		return
	}
	ctx, ip, now := c.Request.Context(), con.clientIP(c), con.now()
	wait, locked, err := con.throttle.check(ctx, f.Email, ip, now)
	if err != nil {
		// Redis holds only the counts: without it staff can still sign in, at bcrypt's pace.
		con.log.WarnContext(ctx, "sign-in lock-out unavailable", "err", err)
	}
	if wait > 0 {
		f.Error = holdMessage(wait, locked)
		con.renderSignin(c, http.StatusTooManyRequests, f)
		return
	}
	p, err := con.acc.Login(ctx, f.Email, password)
	if errors.Is(err, access.ErrUnauthenticated) {
		if err := con.throttle.fail(ctx, f.Email, ip, now); err != nil {
			con.log.WarnContext(ctx, "sign-in lock-out unavailable", "err", err)
		}
		f.Error = "The email or the password is not right. Check both and try again."
		con.renderSignin(c, http.StatusUnauthorized, f)
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	if err := con.throttle.succeed(ctx, f.Email); err != nil {
		con.log.WarnContext(ctx, "sign-in lock-out unavailable", "err", err)
	}
	token, err := con.startSession(ctx, p.ID, c.Request.UserAgent(), ip)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.setCookie(c, sessionCookie, token, 0)
	con.setCookie(c, signinCookie, "", -1)
	con.flash(c, flashSuccess, "Signed in as "+p.Name+".")
	c.Redirect(http.StatusSeeOther, f.Next)
}

// holdMessage tells someone held back how long to wait, without saying whether the email exists.
func holdMessage(wait time.Duration, locked bool) string {
	if locked {
		minutes := int((wait + time.Minute - 1) / time.Minute)
		return fmt.Sprintf("Too many failed sign-ins. Signing in is paused for %d minute%s; "+
			"try again then, or ask the clinic owner to help.", minutes, plural(minutes))
	}
	seconds := int((wait + time.Second - 1) / time.Second)
	return fmt.Sprintf("Several sign-ins in a row have failed. Wait %d second%s and try again.", seconds, plural(seconds))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// signout ends the session and returns to the sign-in page.
func (con *Console) signout(c *gin.Context) {
	if _, err := con.endSession(c.Request.Context(), signedIn(c).SessionID); err != nil {
		con.fail(c, err)
		return
	}
	con.setCookie(c, sessionCookie, "", -1)
	con.flash(c, flashSuccess, "You have signed out.")
	c.Redirect(http.StatusSeeOther, Prefix+"/signin")
}

// safeNext is where to go after signing in: a console path on this server, or the home page. Any
// other address (another site, a scheme, "//host", a backslash trick) is ignored.
func safeNext(next string) string {
	home := Prefix + "/"
	if next == "" || strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(next, "//") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	if u.Path != Prefix && !strings.HasPrefix(u.Path, Prefix+"/") || strings.Contains(u.Path, "/../") ||
		strings.HasSuffix(u.Path, "/..") || u.Path == Prefix+"/signin" {
		return home
	}
	return u.RequestURI()
}
