package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

func TestAnIdleSessionExpiresAndUseKeepsItAlive(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)

	// Used every 20 minutes, the session outlives the 30 minutes of idle time.
	for range 3 {
		tb.clock.advance(20 * time.Minute)
		require.Equal(t, http.StatusOK, br.get("/console/").status)
	}
	tb.clock.advance(30 * time.Minute)
	p := br.get("/console/")
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, "/console/signin?next=%2Fconsole%2F", p.location())
	require.Contains(t, br.get(p.location()).body, "Your session ended after a while without use.")
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM console_sessions`).Scan(&n))
	require.Zero(t, n, "the expired session is deleted")
}

func TestASessionEndsAtItsLifetimeHoweverItIsUsed(t *testing.T) {
	t.Parallel()
	tb := setup(t, func(c *Config) { c.Lifetime = time.Hour })
	br := tb.signedIn(t, access.Doctor)
	for range 5 {
		tb.clock.advance(11 * time.Minute)
		require.Equal(t, http.StatusOK, br.get("/console/").status)
	}
	tb.clock.advance(5 * time.Minute)
	require.Equal(t, http.StatusSeeOther, br.get("/console/").status, "an hour after sign-in")
}

func TestStateChangesNeedTheSessionsCSRFToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Owner)
	other := tb.signedIn(t, access.Manager)
	token := csrf(t, br.get("/console/"))

	for name, form := range map[string]url.Values{
		"missing":                 {},
		"wrong":                   {"csrf": {token[:len(token)-1] + "x"}},
		"another session's token": {"csrf": {csrf(t, other.get("/console/"))}},
	} {
		p := br.post("/console/signout", form)
		require.Equalf(t, http.StatusForbidden, p.status, name)
		require.Contains(t, p.body, "This form has expired", name)
		require.Contains(t, p.body, "reload the page and try again", name)
	}
	require.Equal(t, http.StatusOK, br.get("/console/").status, "the refused sign-outs changed nothing")

	// Scripts send the token in a header instead.
	p := br.do(http.MethodPost, "/console/signout", url.Values{}, http.Header{csrfHeader: {token}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, http.StatusSeeOther, br.get("/console/").status, "signed out")
}

func TestTheSignInFormNeedsItsCSRFToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	form := url.Values{"email": {tb.emails[access.Owner]}, "password": {testPassword}}

	// Posted without having been shown (from another site): no cookie, no token.
	p := tb.browser(t).post("/console/signin", form)
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "This form has expired")

	br := tb.browser(t)
	br.get("/console/signin")
	form.Set("csrf", "not-the-token")
	require.Equal(t, http.StatusForbidden, br.post("/console/signin", form).status)
	require.Empty(t, br.cookie(sessionCookie))
}

func TestASignedOutVisitComesBackAfterSignIn(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.browser(t)
	p := br.get("/console/sign-ins?sort=recent")
	require.Equal(t, http.StatusSeeOther, p.status)
	u, err := url.Parse(p.location())
	require.NoError(t, err)
	require.Equal(t, "/console/signin", u.Path)
	next := u.Query().Get("next")
	require.Equal(t, "/console/sign-ins?sort=recent", next)

	in := br.signin(tb.emails[access.Owner], testPassword, next)
	require.Equal(t, http.StatusSeeOther, in.status)
	require.Equal(t, "/console/sign-ins?sort=recent", in.location())

	// Signed in, the sign-in page sends the browser on.
	require.Equal(t, "/console/sign-ins", br.get("/console/signin?next=%2Fconsole%2Fsign-ins").location())
}

func TestNextGoesOnlyToConsolePages(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"":                             "/console/",
		"/console/sign-ins":            "/console/sign-ins",
		"/console/?day=2027-01-04":     "/console/?day=2027-01-04",
		"https://evil.example/console": "/console/",
		"//evil.example/console/":      "/console/",
		"/\\evil.example":              "/console/",
		"javascript:alert(1)":          "/console/",
		"/api/v1/branches":             "/console/",
		"/console/../api/v1/branches":  "/console/",
		"/console/signin":              "/console/",
		"/consolex":                    "/console/",
		"console/":                     "/console/",
		"/console/\r\nSet-Cookie: x=1": "/console/",
	} {
		require.Equalf(t, want, safeNext(next), "next %q", next)
	}
}

func TestRolesSeeAndOpenOnlyTheirPages(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	require.Contains(t, owner.get("/console/settings").body, `href="/console/sign-ins"`, "the settings index links the owner's sign-ins")
	require.Equal(t, http.StatusOK, owner.get("/console/sign-ins").status)

	for _, role := range []access.Role{access.Manager, access.Doctor, access.Receptionist} {
		br := tb.signedIn(t, role)
		home := br.get("/console/")
		require.NotContainsf(t, home.body, "/console/sign-ins", "%s: the navigation hides what the role may not use", role)
		p := br.get("/console/sign-ins")
		require.Equal(t, http.StatusForbidden, p.status, role)
		require.Contains(t, p.body, "may not open this page")
		end := br.post("/console/sign-ins/1/end", url.Values{"csrf": {csrf(t, home)}})
		require.Equal(t, http.StatusForbidden, end.status, role)
	}
}

func TestTheOwnerEndsAnotherSignIn(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	desk := tb.signedIn(t, access.Receptionist)

	list := owner.get("/console/sign-ins")
	require.Contains(t, list.body, tb.emails[access.Receptionist])
	require.Contains(t, list.body, "this device")
	var deskSession string
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT s.id::text FROM console_sessions s
		JOIN users u ON u.id = s.user_id WHERE u.role = 'receptionist'`).Scan(&deskSession))

	p := owner.post("/console/sign-ins/"+deskSession+"/end", url.Values{"csrf": {csrf(t, list)}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, owner.get(p.location()).body, "The sign-in was ended")
	require.Equal(t, http.StatusSeeOther, desk.get("/console/").status, "the receptionist must sign in again")

	again := owner.post("/console/sign-ins/"+deskSession+"/end", url.Values{"csrf": {csrf(t, list)}})
	require.Contains(t, owner.get(again.location()).body, "That sign-in had already ended.")
	require.Equal(t, http.StatusNotFound, owner.post("/console/sign-ins/x/end", url.Values{"csrf": {csrf(t, list)}}).status)
}

func TestCookiesAreSecureBehindATrustedHTTPSProxyOnly(t *testing.T) {
	t.Parallel()
	for _, trust := range []bool{false, true} {
		tb := setup(t, func(c *Config) { c.TrustProxy = trust })
		br := tb.browser(t)
		br.header.Set("X-Forwarded-Proto", "https")
		p := br.get("/console/signin")
		require.NotEmpty(t, p.resp.Cookies())
		for _, c := range p.resp.Cookies() {
			require.Equalf(t, trust, c.Secure, "trust proxy %v: cookie %s", trust, c.Name)
		}
	}
}
