package console_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
	"clinic/web/console/browsertest"
)

// TestBrowserOwnerOpensReportsOnATablet: the owner's top bar, Reports included and Sign-ins moved to
// the settings, fits a 1024 px tablet, and so does the reports page.
func TestBrowserOwnerOpensReportsOnATablet(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	base, _, email, password := demoServerAs(t, access.Owner)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".branch")),
	))
	overflow := func() (page, topbar int) {
		t.Helper()
		page, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		require.NoError(t, err)
		topbar, err = chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const b = document.querySelector('.topbar'); return b.scrollWidth - b.clientWidth; })()`))
		require.NoError(t, err)
		return page, topbar
	}
	page, topbar := overflow()
	require.LessOrEqual(t, page, 1024, "the owner's Today page fits")
	require.LessOrEqual(t, topbar, 0, "the owner's top bar fits")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//nav//a[text()="Reports"]`)),
		chromedp.WaitVisible(chromedp.CSS(".reports-form")),
	))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	require.NoError(t, err)
	require.Equal(t, "Reports", heading)
	links, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href*="/console/reports/"][download]').length`))
	require.NoError(t, err)
	require.Equal(t, 3, links, "a CSV download per report")
	page, topbar = overflow()
	require.LessOrEqual(t, page, 1024, "the reports page fits")
	require.LessOrEqual(t, topbar, 0)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//nav//a[text()="Settings"]`)),
		chromedp.WaitVisible(chromedp.CSS(".settings-links")),
		chromedp.Click(chromedp.Search(`//a[text()="Sign-ins"]`)),
		chromedp.WaitVisible(chromedp.CSS("table")),
	))
	heading, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	require.NoError(t, err)
	require.Equal(t, "Sign-ins", heading)
}
