package console

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/web/access"
)

const (
	sessionCookie = "clinic_console"
	ctxAccount    = "console.account"
	// csrfField is the hidden form field with the CSRF token; scripts send csrfHeader instead.
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// securityHeaders keeps console pages out of frames and other sites' reach, and loads only the
// console's own scripts and styles.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "+
		"form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// secure reports whether the browser reached us over https: TLS here, or at a trusted proxy.
func (con *Console) secure(r *http.Request) bool {
	return r.TLS != nil || con.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// setCookie writes an HttpOnly, SameSite=Lax cookie on the console's path; maxAge < 0 deletes it.
func (con *Console) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: con.secure(c.Request), SameSite: http.SameSiteLaxMode})
}

// clientIP is the address the lock-out counts failures against: the connection's peer, or the
// address a trusted proxy saw (the last X-Forwarded-For entry, the one it added). An IPv6 client is
// counted by its /64, which one machine can hop around in at will.
func (con *Console) clientIP(c *gin.Context) string {
	raw := c.RemoteIP()
	if con.cfg.TrustProxy {
		if xff := c.GetHeader("X-Forwarded-For"); xff != "" {
			raw = strings.TrimSpace(xff[strings.LastIndexByte(xff, ',')+1:])
		}
	}
	ip, err := netip.ParseAddr(raw)
	if err != nil {
		return "unknown"
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// requireSession lets signed-in requests through with their account. Others go to the sign-in page,
// which brings a page visit back to where it was going.
func (con *Console) requireSession(c *gin.Context) {
	if cookie, err := c.Request.Cookie(sessionCookie); err == nil && cookie.Value != "" {
		a, err := con.resume(c.Request.Context(), cookie.Value)
		switch {
		case err == nil:
			c.Set(ctxAccount, a)
			c.Next()
			return
		case errors.Is(err, errExpired):
			con.flash(c, flashInfo, "Your session ended after a while without use. Please sign in again.")
		case !errors.Is(err, errNoSession):
			con.fail(c, err)
			return
		}
		con.setCookie(c, sessionCookie, "", -1)
	}
	target := Prefix + "/signin"
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		target += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// signedIn is the request's account; requireSession has put it there.
func signedIn(c *gin.Context) account {
	a, _ := c.Get(ctxAccount)
	acc, _ := a.(account)
	return acc
}

// allow lets only the given roles through; the others get a 403 page. The navigation hides these
// pages from them too (navigation in pages.go).
func (con *Console) allow(roles ...access.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, signedIn(c).Role) {
			con.errorPage(c, http.StatusForbidden, "Not allowed",
				"Your role ("+string(signedIn(c).Role)+") may not open this page. Ask the clinic owner if you need it.")
			return
		}
		c.Next()
	}
}

// checkCSRF refuses a state-changing request that does not carry the session's CSRF token, in the
// form or the X-CSRF-Token header.
func (con *Console) checkCSRF(c *gin.Context) {
	if safeMethod(c.Request.Method) {
		c.Next()
		return
	}
	sent := c.GetHeader(csrfHeader)
	if sent == "" {
		sent = c.PostForm(csrfField)
	}
	if !sameToken(sent, signedIn(c).CSRF) {
		con.csrfRefused(c)
		return
	}
	c.Next()
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameToken compares a token sent by the browser with the expected one in constant time; an empty
// expectation never matches.
func sameToken(sent, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}
