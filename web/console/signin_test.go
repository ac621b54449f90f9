package console

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

func TestSignInWithTheRightPasswordOpensASession(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.browser(t)

	p := br.signin("  Owner@Clinic.test ", testPassword, "")
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/", p.location())
	var set *http.Cookie
	for _, c := range p.resp.Cookies() {
		if c.Name == sessionCookie {
			set = c
		}
	}
	require.NotNil(t, set, "a session cookie is set")
	require.True(t, set.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, set.SameSite)
	require.False(t, set.Secure, "plain http without a trusted proxy: not Secure")
	require.Len(t, set.Value, 43, "a 256-bit token")

	// Only the token's hash is stored.
	var stored int
	sum := sha256.Sum256([]byte(set.Value))
	require.NoError(t, tb.Pool.QueryRow(context.Background(),
		`SELECT count(*) FILTER (WHERE token_hash = $1) - count(*) FILTER (WHERE token_hash = $2) FROM console_sessions`,
		sum[:], []byte(set.Value)).Scan(&stored))
	require.Equal(t, 1, stored)

	home := br.get("/console/")
	require.Equal(t, http.StatusOK, home.status)
	require.Contains(t, home.body, "owner@clinic.test")
	require.Contains(t, home.body, "Signed in as owner@clinic.test.", "the sign-in is confirmed")
	require.NotContains(t, br.get("/console/").body, "Signed in as", "a flash message shows once")
}

func TestSignInWithAWrongPasswordOrUnknownEmailIsRefusedAlike(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, email := range []string{tb.emails[access.Owner], "nobody@clinic.test"} {
		br := tb.browser(t)
		p := br.signin(email, "not the password", "")
		require.Equal(t, http.StatusUnauthorized, p.status)
		require.Contains(t, p.body, "The email or the password is not right.")
		require.Contains(t, p.body, `value="`+email+`"`, "the email stays filled in")
		require.Empty(t, br.cookie(sessionCookie))
		require.Equal(t, http.StatusSeeOther, br.get("/console/").status, "still signed out")
	}
}

func TestSignInFormProblemsAreExplained(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, tc := range []struct{ email, password, says string }{
		{"", testPassword, "Enter your email and your password."},
		{tb.emails[access.Owner], "", "Enter your email and your password."},
		{"no-at-sign", testPassword, "That is not an email address."},
		{"a@b" + strings.Repeat("c", 300), testPassword, "That is not an email address."},
		{"bad\xffbyte@clinic.test", testPassword, "That is not an email address."},
		{tb.emails[access.Owner], strings.Repeat("p", 1001), "longer than any password"},
	} {
		p := tb.browser(t).signin(tc.email, tc.password, "")
		require.Equal(t, http.StatusBadRequest, p.status, tc.says)
		require.Contains(t, p.body, tc.says)
	}
}

func TestRepeatedFailuresSlowDownThenLockTheAccount(t *testing.T) {
	t.Parallel()
	tb := setup(t, func(c *Config) { c.TrustProxy = true })
	owner := tb.emails[access.Owner]
	// Each attempt comes from another address, so only the account's count can lock.
	attempt := func(i int, password string) page {
		br := tb.browser(t)
		br.header.Set("X-Forwarded-For", "203.0.113."+string(rune('0'+i)))
		return br.signin(owner, password, "")
	}
	require.Equal(t, http.StatusUnauthorized, attempt(1, "wrong one").status)
	require.Equal(t, http.StatusUnauthorized, attempt(2, "wrong two").status)

	// After the second failure in a row the next attempt must wait, even with the right password.
	held := attempt(3, testPassword)
	require.Equal(t, http.StatusTooManyRequests, held.status)
	require.Contains(t, held.body, "Wait 1 second and try again.")
	tb.clock.advance(time.Second)
	require.Equal(t, http.StatusUnauthorized, attempt(3, "wrong three").status)
	require.Contains(t, attempt(4, testPassword).body, "Wait 2 seconds", "the wait doubles")
	tb.clock.advance(2 * time.Second)
	require.Equal(t, http.StatusUnauthorized, attempt(4, "wrong four").status)
	tb.clock.advance(4 * time.Second)
	require.Equal(t, http.StatusUnauthorized, attempt(5, "wrong five").status)

	// Five failures lock the account for 15 minutes, right password or not.
	tb.clock.advance(time.Minute)
	locked := attempt(6, testPassword)
	require.Equal(t, http.StatusTooManyRequests, locked.status)
	require.Contains(t, locked.body, "Signing in is paused for 14 minutes")
	require.Equal(t, http.StatusSeeOther, tb.signinStatus(t, access.Manager), "other accounts are not locked")

	tb.clock.advance(14 * time.Minute)
	require.Equal(t, http.StatusSeeOther, attempt(7, testPassword).status, "the lock ends")
}

func TestAnUnknownEmailLocksLikeAKnownOne(t *testing.T) {
	t.Parallel()
	tb := setup(t, func(c *Config) { c.Lockout.AccountFailures = 3 })
	var answers []string
	for _, email := range []string{tb.emails[access.Owner], "nobody@clinic.test"} {
		for range 3 {
			tb.clock.advance(time.Minute)
			require.Equal(t, http.StatusUnauthorized, tb.browser(t).signin(email, "wrong", "").status)
		}
		tb.clock.advance(time.Minute)
		p := tb.browser(t).signin(email, testPassword, "")
		require.Equal(t, http.StatusTooManyRequests, p.status)
		answers = append(answers, csrfInput.ReplaceAllString(strings.ReplaceAll(p.body, email, "EMAIL"), "CSRF"))
		tb.clock.advance(20 * time.Minute)
	}
	require.Equal(t, answers[0], answers[1], "the answer does not tell whether the email exists")
}

func TestRepeatedFailuresFromOneClientLockIt(t *testing.T) {
	t.Parallel()
	tb := setup(t, func(c *Config) { c.TrustProxy = true; c.Lockout.ClientFailures = 6 })
	from := func(ip string) *browser {
		br := tb.browser(t)
		br.header.Set("X-Forwarded-For", "198.51.100.7, "+ip)
		return br
	}
	// One client tries many accounts, a failure each: no account reaches its limit, the client does.
	for i := range 6 {
		tb.clock.advance(time.Minute)
		email := tb.addUser(t, "staff"+string(rune('a'+i))+"@clinic.test", access.Manager, 0)
		require.Equal(t, http.StatusUnauthorized, from("192.0.2.10").signin(email, "wrong", "").status)
	}
	tb.clock.advance(time.Minute)
	p := from("192.0.2.10").signin(tb.emails[access.Receptionist], testPassword, "")
	require.Equal(t, http.StatusTooManyRequests, p.status)
	require.Contains(t, p.body, "Signing in is paused")
	require.Equal(t, http.StatusSeeOther, from("192.0.2.11").signin(tb.emails[access.Receptionist], testPassword, "").status,
		"another client signs in")
}

func TestWithoutATrustedProxyForwardedHeadersAreIgnored(t *testing.T) {
	t.Parallel()
	tb := setup(t, func(c *Config) { c.Lockout.ClientFailures = 3 })
	for i := range 3 {
		tb.clock.advance(time.Minute)
		br := tb.browser(t)
		br.header.Set("X-Forwarded-For", "192.0.2."+string(rune('1'+i)))
		require.Equal(t, http.StatusUnauthorized, br.signin(tb.emails[access.Manager], "wrong", "").status)
	}
	tb.clock.advance(time.Minute)
	br := tb.browser(t)
	br.header.Set("X-Forwarded-For", "192.0.2.99")
	require.Equal(t, http.StatusTooManyRequests, br.signin(tb.emails[access.Owner], testPassword, "").status,
		"a claimed address does not escape the client's lock")
}

func TestSignInWorksWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	deps := tb.deps
	deps.Redis = redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { deps.Redis.Close() })
	br := browserAt(t, tb.serve(t, deps))
	require.Equal(t, http.StatusUnauthorized, br.signin(tb.emails[access.Owner], "wrong", "").status)
	require.Equal(t, http.StatusSeeOther, br.signin(tb.emails[access.Owner], testPassword, "").status)
}

func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Manager)
	old := br.cookie(sessionCookie)
	home := br.get("/console/")

	out := br.post("/console/signout", url.Values{"csrf": {csrf(t, home)}})
	require.Equal(t, http.StatusSeeOther, out.status)
	require.Equal(t, "/console/signin", out.location())
	require.Contains(t, br.get("/console/signin").body, "You have signed out.")

	// The old cookie, replayed, opens nothing.
	br.setCookie(sessionCookie, old)
	require.Equal(t, http.StatusSeeOther, br.get("/console/").status)
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM console_sessions`).Scan(&n))
	require.Zero(t, n)
}
