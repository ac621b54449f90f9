package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/demo"
	"clinic/web"
	"clinic/web/access"
	"clinic/web/console"
	"clinic/web/console/browsertest"
)

// liveDemoServer serves the demo clinic with a change feed, as the server runs, and a user of the
// role (a doctor is the one of Lisbon's first arrived patient today); it answers the Lisbon branch.
func liveDemoServer(t *testing.T, role access.Role) (base, email, password string, lisbon scheduling.Branch, sched *scheduling.Service) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	now := func() time.Time { return demoNow }
	sched = scheduling.NewService(pool, logger, now, scheduling.Config{})
	_, err := demo.Load(ctx, sched, demoNow)
	require.NoError(t, err)
	branches, err := sched.ListBranches(ctx)
	require.NoError(t, err)
	for _, b := range branches {
		if b.Timezone == "Europe/Lisbon" {
			lisbon = b
		}
	}
	require.NotZero(t, lisbon.ID)
	var doctor scheduling.ID
	if role == access.Doctor {
		day := scheduling.DateOf(demoNow.In(mustZone(t, lisbon.Timezone)))
		page, err := sched.ListSessions(ctx, scheduling.SessionFilter{BranchID: lisbon.ID, From: day, To: day,
			Status: scheduling.StatusWaiting, Limit: scheduling.MaxSessionPage})
		require.NoError(t, err)
		for _, s := range page.Items {
			if s.CheckedInAt != nil && doctor == 0 {
				doctor = s.DoctorID
			}
		}
		require.NotZero(t, doctor, "someone has arrived in Lisbon")
	}
	acc := access.NewStore(pool, now)
	email, password = string(role)+"@harbour.test", "the "+string(role)+"'s password"
	_, err = acc.CreateUser(ctx, email, password, role, doctor)
	require.NoError(t, err)
	feedCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	feed := changefeed.New(pool, logger)
	go feed.Run(feedCtx)
	<-feed.Ready()
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc, Feed: feed,
		Now: now, Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	srv := httptest.NewServer(web.NewHandler(web.Deps{Logger: logger, Pool: pool, Redis: rdb, Scheduling: sched, Access: acc,
		Feed: feed, Console: con}))
	t.Cleanup(srv.Close)
	return srv.URL, email, password, lisbon, sched
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// otherDesk signs in from a second client, as another desk of the clinic, and answers a function
// that posts a form from the board with its token.
func otherDesk(t *testing.T, base, email, password string) func(path string, form url.Values) int {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar}
	token := func(path string) string {
		resp, err := client.Get(base + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		m := csrfField.FindSubmatch(body)
		require.NotNil(t, m, "no form at %s", path)
		return string(m[1])
	}
	resp, err := client.PostForm(base+"/console/signin", url.Values{"csrf": {token("/console/signin")}, "email": {email},
		"password": {password}})
	require.NoError(t, err)
	resp.Body.Close()
	return func(path string, form url.Values) int {
		form.Set("csrf", token("/console/queue"))
		resp, err := client.PostForm(base+path, form)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
}

func TestBrowserQueueBoardDragsKeepsTheOrderAndFollowsOtherDesks(t *testing.T) {
	t.Parallel()
	base, email, password, lisbon, sched := liveDemoServer(t, access.Receptionist)
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		require.NoError(t, err)
		return s
	}
	order := func() string {
		t.Helper()
		return eval(`[...document.querySelectorAll('tr.q-draggable')].map((tr) => tr.dataset.id).join(',')`)
	}
	board := base + "/console/queue?branch=" + lisbon.ID.String() + "&sort=manual"
	// settled waits until no move is on its way and the board is not being fetched again.
	settled := func() {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('q-board').hasAttribute('aria-busy')`,
			chromedp.WithPollingTimeout(10*time.Second)))
		require.NoError(t, err)
	}

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(board),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".q-handle")),
	))
	before := strings.Split(order(), ",")
	require.GreaterOrEqual(t, len(before), 3, "the demo's Lisbon day has patients to order")

	// Drag the last waiting patient by the handle above the first one, as a finger or a mouse does.
	var from, to struct{ X, Y float64 }
	_, err := chromedp.Run(ctx, chromedp.Evaluate[struct{}](`(() => { const h = [...document.querySelectorAll('.q-handle')];
		const r = (el) => el.getBoundingClientRect(); window.scrollTo(0, 0);
		window.__from = { X: r(h[h.length-1]).x + r(h[h.length-1]).width / 2, Y: r(h[h.length-1]).y + r(h[h.length-1]).height / 2 };
		const first = r(h[0].closest('tr')); window.__to = { X: window.__from.X, Y: first.y + 4 }; return {}; })()`))
	require.NoError(t, err)
	from, err = chromedp.Run(ctx, chromedp.Evaluate[struct{ X, Y float64 }](`window.__from`))
	require.NoError(t, err)
	to, err = chromedp.Run(ctx, chromedp.Evaluate[struct{ X, Y float64 }](`window.__to`))
	require.NoError(t, err)
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, from.X, from.Y, chromedp.ButtonLeft)}
	for i := 1; i <= 12; i++ {
		y := from.Y + (to.Y-from.Y)*float64(i)/12
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, from.X, y, chromedp.ButtonLeft), chromedp.Sleep(30*time.Millisecond))
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, to.X, to.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	require.NoError(t, chromedp.Do(ctx, steps...))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('q-message').textContent.includes('The order is saved.')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the dropped order is saved")
	want := append([]string{before[len(before)-1]}, before[:len(before)-1]...)
	require.Equal(t, strings.Join(want, ","), order())

	// On the tablet's touch screen: the first patient dragged by a finger below the second.
	rect := func(js string) struct{ X, Y, H float64 } {
		t.Helper()
		r, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ X, Y, H float64 }](`(() => { const r = (`+js+
			`).getBoundingClientRect(); return { X: r.x + r.width / 2, Y: r.y + r.height / 2, H: r.height }; })()`))
		require.NoError(t, err)
		return r
	}
	touch := func(typ input.DispatchTouchEventType, x, y float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			one, id := 1.0, 0.0
			points := []*input.TouchPoint{}
			if typ != input.DispatchTouchEventTypeTouchEnd {
				points = append(points, &input.TouchPoint{X: x, Y: y, RadiusX: &one, RadiusY: &one, Force: &one, ID: &id})
			}
			_, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points})
			return err
		})
	}
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('q-message').hidden = true`)))
	_, err = chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1})
	require.NoError(t, err)
	settled()
	finger := rect(`document.querySelectorAll('.q-handle')[0]`)
	target := rect(`document.querySelectorAll('tr.q-draggable')[1]`)
	steps = []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, finger.X, finger.Y)}
	for i := 1; i <= 12; i++ {
		y := finger.Y + (target.Y+target.H/2-4-finger.Y)*float64(i)/12
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, finger.X, y), chromedp.Sleep(30*time.Millisecond))
	}
	steps = append(steps, touch(input.DispatchTouchEventTypeTouchEnd, 0, 0))
	require.NoError(t, chromedp.Do(ctx, steps...))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById('q-message').hidden`, chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the touch drop is saved")
	require.Contains(t, eval(`document.getElementById('q-message').textContent`), "The order is saved.")
	want[0], want[1] = want[1], want[0]
	require.Equal(t, strings.Join(want, ","), order())
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024, "the board fits the tablet's width")

	// The order is kept: a reload shows it.
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".q-handle"))))
	require.Equal(t, strings.Join(want, ","), order())
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-queue.png")

	// Another desk checks a patient in: the board shows it without a reload.
	day := scheduling.DateOf(demoNow.In(mustZone(t, lisbon.Timezone)))
	sessions, err := sched.ListSessions(context.Background(), scheduling.SessionFilter{BranchID: lisbon.ID, From: day, To: day,
		Status: scheduling.StatusWaiting, Limit: scheduling.MaxSessionPage})
	require.NoError(t, err)
	var arriving scheduling.ID
	for _, s := range sessions.Items {
		if s.CheckedInAt == nil {
			arriving = s.ID
			break
		}
	}
	require.NotZero(t, arriving, "someone in Lisbon has not arrived yet")
	state := fmt.Sprintf(`document.querySelector('tr[data-id="%d"] .q-state').textContent`, arriving)

	// A row is being dragged by a finger when the change comes: the board waits for the drop.
	settled()
	grab := rect(`document.querySelector('.q-handle')`)
	require.NoError(t, chromedp.Do(ctx,
		touch(input.DispatchTouchEventTypeTouchStart, grab.X, grab.Y),
		touch(input.DispatchTouchEventTypeTouchMove, grab.X, grab.Y+10), chromedp.Sleep(50*time.Millisecond),
		touch(input.DispatchTouchEventTypeTouchMove, grab.X, grab.Y+20), chromedp.Sleep(50*time.Millisecond),
		touch(input.DispatchTouchEventTypeTouchMove, grab.X, grab.Y+30), chromedp.Sleep(50*time.Millisecond),
	))
	require.Equal(t, "true", eval(`String(!!document.querySelector('.sortable-chosen'))`), "the drag is under way")
	post := otherDesk(t, base, email, password)
	require.Equal(t, http.StatusOK, post(fmt.Sprintf("/console/queue/sessions/%d/check-in", arriving),
		url.Values{"branch": {lisbon.ID.String()}}))
	require.NoError(t, chromedp.Do(ctx, chromedp.Sleep(1500*time.Millisecond)))
	require.Equal(t, "Not arrived", eval(state), "the board is not replaced under the dragging finger")
	require.Equal(t, "true", eval(`String(!!document.querySelector('.sortable-chosen'))`), "the drag goes on")
	require.NoError(t, chromedp.Do(ctx, touch(input.DispatchTouchEventTypeTouchEnd, 0, 0)))

	// Dropped where it was, the board catches up with the check-in.
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](state+` === 'Arrived'`, chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the check-in shows on the board by itself")
	require.Equal(t, strings.Join(want, ","), order(), "the kept order stays")

	// A tap on a row's move (the first tap after the drag) does it in place and says so.
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('q-message').hidden = true`)))
	settled()
	row := eval(`document.querySelector('form[action$="/check-in"]').closest('tr').dataset.id`)
	button := rect(`document.querySelector('tr[data-id="` + row + `"] form[action$="/check-in"] button')`)
	require.NoError(t, chromedp.Do(ctx, chromedp.TapXY(button.X, button.Y)))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('tr[data-id="`+row+`"] .q-state').textContent === 'Arrived'`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the row shows the check-in")
	require.Contains(t, eval(`document.getElementById('q-message').textContent`), "checked in.")
	require.Equal(t, "false", eval(`String(document.getElementById('q-message').hidden)`))

	// From the keyboard, the arrows move a patient one place, and the focus stays with that patient.
	settled()
	first := strings.Split(order(), ",")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS(`tr[data-id="`+first[0]+`"] button[value="down"]`)),
		chromedp.KeyEvent("\r"),
	))
	first[0], first[1] = first[1], first[0]
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll('tr.q-draggable')].map((tr) => tr.dataset.id).join(',') === '`+
		strings.Join(first, ",")+`'`, chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the arrow moved the patient down")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.activeElement.value === 'down' && document.activeElement.closest('tr').dataset.id === '`+
		first[1]+`'`, chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the focus follows the moved patient")
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := scheduling.LoadLocation(name)
	require.NoError(t, err)
	return loc
}
