package console_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
	"clinic/web/console/browsertest"
)

// managerDemoServer serves the demo clinic with a manager, who may add blocks.
func managerDemoServer(t *testing.T) (base, email, password string) {
	t.Helper()
	base, _, email, password = demoServerAs(t, access.Manager)
	return base, email, password
}

func TestBrowserCalendarViewsAndABlock(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	base, email, password := managerDemoServer(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		require.NoError(t, err)
		return n
	}

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/signin?next=/console/calendar"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".cal-grid")),
	))
	require.Contains(t, text(".page-head"), "Lisbon Centre · Monday 4 January 2027")
	require.Positive(t, count(".cal-day .cal-session"))
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-calendar-day.png")
	require.Positive(t, count(".cal-day .cal-free"))
	// The script drew the sessions to scale: each sits at its minutes, not stacked at the top.
	top, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector(".cal-session").offsetTop`))
	require.NoError(t, err)
	require.Greater(t, top, 8*60)
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024, "the page fits a tablet's width")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-calendar-day.png")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.cal-views a:nth-child(2)`)),
		chromedp.WaitVisible(chromedp.CSS(".cal-week"))))
	require.Equal(t, 7, count(".cal-week .cal-col"))
	require.Contains(t, text(".page-head"), "week of 4 January – 10 January 2027")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-calendar-week.png")

	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.cal-views a:nth-child(3)`)),
		chromedp.WaitVisible(chromedp.CSS(".cal-rooms"))))
	require.Positive(t, count(".cal-rooms .cal-col"))

	// A branch-wide block from 10:00 to 12:30 reports the sessions inside it.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.cal-views a:nth-child(1)`)),
		chromedp.WaitVisible(chromedp.CSS(".cal-day")),
		chromedp.SetValue(chromedp.ID("block-from"), "10:00"),
		chromedp.SetValue(chromedp.ID("block-until"), "12:30"),
		chromedp.SendKeys(chromedp.ID("block-reason"), "Water outage"),
		chromedp.Click(chromedp.CSS(".block-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("collisions")),
	))
	require.Contains(t, text(".flash"), "Block added.")
	require.Positive(t, count("#collisions li a"))
	require.Positive(t, count(".cal-block"))
	require.Contains(t, text("#blocks"), "Water outage")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-calendar-block.png")
}
