package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkTodayPage measures the server's time for the Today page of the demo clinic (both
// branches, a day of sessions each), signed in, without the network: the budget is 50 ms a page.
func BenchmarkTodayPage(b *testing.B) {
	h, email, password := demoHandler(b)
	cookies := signinDirect(b, h, email, password)
	req := httptest.NewRequest(http.MethodGet, "/console/", nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("Today answered %d: %s", rec.Code, rec.Body)
		}
	}
}

// signinDirect signs in through the handler and returns the session cookie.
func signinDirect(b *testing.B, h http.Handler, email, password string) []*http.Cookie {
	b.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/console/signin", nil))
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(rec.Body.String())
	require.NotNil(b, m)
	form := url.Values{"csrf": {m[1]}, "email": {email}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/console/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(b, http.StatusSeeOther, rec.Code, rec.Body.String())
	var session []*http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "clinic_console" {
			session = append(session, c)
		}
	}
	require.Len(b, session, 1)
	return session
}
