package console

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

const testPassword = "correct horse battery"

// testClock is the console's clock in tests, safe to move while the server reads it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testBundle is a console on its own database and Redis prefix, with a user per role and the
// standard clinic.
type testBundle struct {
	*schedtest.Bundle
	clinic *schedtest.Clinic
	clock  *testClock
	deps   Deps
	url    string
	emails map[access.Role]string
}

func setup(t *testing.T, tune ...func(*Config)) *testBundle {
	t.Helper()
	b := schedtest.New(t)
	rdb, prefix := dbtest.NewRedis(t)
	tb := &testBundle{Bundle: b, clinic: schedtest.NewClinic(t, b.Svc), clock: &testClock{now: schedtest.Now},
		emails: map[access.Role]string{}}
	tb.deps = Deps{Logger: slog.New(slog.DiscardHandler), DB: b.Pool, Redis: rdb, Scheduling: b.Svc,
		Access: access.NewStore(b.Pool, tb.clock.Now), Now: tb.clock.Now,
		Config: Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}}
	for _, f := range tune {
		f(&tb.deps.Config)
	}
	tb.url = tb.serve(t, tb.deps)
	for _, role := range []access.Role{access.Owner, access.Manager, access.Doctor, access.Receptionist} {
		var doctor scheduling.ID
		if role == access.Doctor {
			doctor = tb.clinic.Doctor.ID
		}
		tb.emails[role] = tb.addUser(t, string(role)+"@clinic.test", role, doctor)
	}
	return tb
}

// addUser stores a user with testPassword. The hash has bcrypt's lowest cost: the race detector makes
// the default cost take seconds, and sign-in checks any cost alike.
func (tb *testBundle) addUser(t *testing.T, email string, role access.Role, doctor scheduling.ID) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	require.NoError(t, err)
	_, err = tb.Pool.Exec(context.Background(), `INSERT INTO users (email, password_hash, role, doctor_id, created_at)
		VALUES ($1, $2, $3, nullif($4::bigint, 0), $5)`, email, string(hash), role, doctor, schedtest.Now)
	require.NoError(t, err)
	return email
}

// serve starts a console with deps on a server of its own and returns its URL.
func (tb *testBundle) serve(t *testing.T, deps Deps) string {
	t.Helper()
	con, err := New(deps)
	require.NoError(t, err)
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	con.Mount(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

// browser is one client with its own cookies that does not follow redirects, so tests see them.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	// header is sent with every request (e.g. X-Forwarded-For for another client).
	header http.Header
}

func (tb *testBundle) browser(t *testing.T) *browser { return browserAt(t, tb.url) }

// browserAt is a browser for the console at base.
func browserAt(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, base: base, header: http.Header{}, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is one answer: status, body and the response for headers and cookies.
type page struct {
	status int
	body   string
	resp   *http.Response
}

func (p page) location() string { return p.resp.Header.Get("Location") }

func (br *browser) do(method, path string, form url.Values, header http.Header) page {
	br.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, br.base+path, body)
	require.NoError(br.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, h := range []http.Header{br.header, header} {
		for k, v := range h {
			req.Header[k] = v
		}
	}
	resp, err := br.client.Do(req)
	require.NoError(br.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(br.t, err)
	return page{status: resp.StatusCode, body: string(raw), resp: resp}
}

func (br *browser) get(path string) page { br.t.Helper(); return br.do(http.MethodGet, path, nil, nil) }

func (br *browser) post(path string, form url.Values) page {
	br.t.Helper()
	return br.do(http.MethodPost, path, form, nil)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the token in a page's form.
func csrf(t *testing.T, p page) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(p.body)
	require.NotNilf(t, m, "no CSRF field in the page:\n%s", p.body)
	return m[1]
}

// signin opens the sign-in page (with next, when given) and sends the form.
func (br *browser) signin(email, password, next string) page {
	br.t.Helper()
	path := "/console/signin"
	if next != "" {
		path += "?next=" + url.QueryEscape(next)
	}
	form := br.get(path)
	require.Equal(br.t, http.StatusOK, form.status)
	return br.post("/console/signin", url.Values{"csrf": {csrf(br.t, form)}, "email": {email}, "password": {password},
		"next": {next}})
}

// signedIn is a browser signed in as the role's user.
func (tb *testBundle) signedIn(t *testing.T, role access.Role) *browser {
	t.Helper()
	br := tb.browser(t)
	p := br.signin(tb.emails[role], testPassword, "")
	require.Equalf(t, http.StatusSeeOther, p.status, "sign-in as %s: %s", role, p.body)
	return br
}

// signinStatus is the status of a sign-in as the role's user from a new browser.
func (tb *testBundle) signinStatus(t *testing.T, role access.Role) int {
	t.Helper()
	return tb.browser(t).signin(tb.emails[role], testPassword, "").status
}

// cookie is the browser's cookie of that name for the console, or "".
func (br *browser) cookie(name string) string {
	u, _ := url.Parse(br.base + Prefix + "/")
	for _, c := range br.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie replaces a cookie in the browser, as a copied or kept cookie would be sent.
func (br *browser) setCookie(name, value string) {
	u, _ := url.Parse(br.base + Prefix + "/")
	br.client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: Prefix}})
}
