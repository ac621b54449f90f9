package console_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/web"
	"clinic/web/access"
	"clinic/web/console"
	"clinic/web/console/browsertest"
)

// demoNow is a Monday morning in Lisbon (and before opening in New York), with the day under way.
var demoNow = time.Date(2027, 1, 4, 10, 40, 0, 0, time.UTC)

// demoHandler is the whole HTTP layer, console included, on the demo clinic, with a receptionist.
func demoHandler(t testing.TB) (h http.Handler, email, password string) {
	t.Helper()
	h, _, email, password = demoHandlerAs(t, access.Receptionist)
	return h, email, password
}

// demoHandlerAs is demoHandler with an account of the given role; it also answers the scheduling
// service, for tests that look the demo clinic up.
func demoHandlerAs(t testing.TB, role access.Role) (h http.Handler, sched *scheduling.Service, email, password string) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	now := func() time.Time { return demoNow }
	sched = scheduling.NewService(pool, logger, now, scheduling.Config{})
	_, err := demo.Load(ctx, sched, demoNow)
	require.NoError(t, err)
	acc := access.NewStore(pool, now)
	email, password = string(role)+"@harbour.test", "the "+string(role)+"'s password"
	_, err = acc.CreateUser(ctx, email, password, role, 0)
	require.NoError(t, err)
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc, Now: now,
		Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	return web.NewHandler(web.Deps{Logger: logger, Pool: pool, Redis: rdb, Scheduling: sched, Access: acc, Console: con}),
		sched, email, password
}

// demoServer serves demoHandler and returns its URL.
func demoServer(t *testing.T) (url, email, password string) {
	t.Helper()
	url, _, email, password = demoServerAs(t, access.Receptionist)
	return url, email, password
}

// demoServerAs serves demoHandlerAs and returns its URL.
func demoServerAs(t *testing.T, role access.Role) (url string, sched *scheduling.Service, email, password string) {
	t.Helper()
	h, sched, email, password := demoHandlerAs(t, role)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, sched, email, password
}

func TestBrowserSignInShowsTodayAndSignsOut(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1280, Height: 800})
	base, email, password := demoServer(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	location := func() string {
		t.Helper()
		at, err := chromedp.Run(ctx, chromedp.Location())
		require.NoError(t, err)
		return at
	}

	// A signed-out visit lands on the sign-in form, which comes back to the page after.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/"),
		chromedp.WaitVisible(chromedp.ID("email")),
	))
	require.Contains(t, location(), "/console/signin?next=")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-signin.png")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".branch")),
	))
	require.Equal(t, base+"/console/", location())
	require.Equal(t, "Today", text("h1"))
	body := text("body")
	for _, want := range []string{"Signed in as " + email, "Lisbon Centre", "New York Midtown", "Monday 4 January 2027",
		"Ana Ferreira", "Completed", "Waiting"} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "Sign-ins", "a receptionist's navigation has no owner pages")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-today.png")

	// The script runs (the policy allows the console's own): dismissing the message removes it.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".flash-close"))))
	flashes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.flash').length`))
	require.NoError(t, err)
	require.Zero(t, flashes)

	// On a 1024 px tablet the page fits the width.
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1024, 768)))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024)
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-today-tablet.png")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".who button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("email")),
	))
	require.Contains(t, text("body"), "You have signed out.")
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/console/"), chromedp.WaitVisible(chromedp.ID("email"))))
	require.True(t, strings.HasPrefix(location(), base+"/console/signin"), "signed out, the console asks to sign in again")
}
