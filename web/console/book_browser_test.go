package console_test

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/web/console/browsertest"
)

var sessionPage = regexp.MustCompile(`/console/sessions/\d+$`)

func TestBrowserBookFromAFreeSlotThroughAnAlternativeThenRescheduleAndCancel(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	base, email, password := demoServer(t)
	location := func() string {
		t.Helper()
		at, err := chromedp.Run(ctx, chromedp.Location())
		require.NoError(t, err)
		return at
	}
	// pick finds a patient by typing part of the name and picks the one found.
	pick := func(fragment string) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("patient-q"), fragment),
			chromedp.WaitVisible(chromedp.CSS("#patient-results input[name=patient]")),
			chromedp.Click(chromedp.CSS("#patient-results input[name=patient]")),
		))
	}

	text := onBookingPage(t, ctx, base, email, password).text
	require.Equal(t, "Book a session", text("h1"))

	// Tick an examination, list the day's free times and pick the first.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//label[contains(normalize-space(.), "General consultation")]/input`)),
		chromedp.Click(chromedp.CSS(".book-find button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".slots a.slot")),
	))
	slot, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.slots a.slot').href`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".slots a.slot")), chromedp.WaitVisible(chromedp.CSS("p.chosen"))))
	pick("Sofia")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024, "the page fits a 1024 px tablet")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-book.png")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#book-form .button-primary")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	require.Contains(t, text(".flash"), "Booked Sofia Rodrigues with")
	require.Regexp(t, sessionPage, location())

	// The same slot again is taken: the nearest free times are offered, and one click books one.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(slot), chromedp.WaitVisible(chromedp.CSS("p.chosen"))))
	pick("Tiago")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#book-form .button-primary")), chromedp.WaitVisible(chromedp.CSS(".taken"))))
	require.Contains(t, text(".taken"), "That time is no longer free.")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-book-taken.png")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".alternatives button")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	require.Contains(t, text(".flash"), "Booked Tiago Martins with")
	session := location()
	require.Regexp(t, sessionPage, session)

	// Move it to another free time, then cancel it with a listed reason.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(session+"/reschedule"),
		chromedp.WaitVisible(chromedp.CSS(".slots button")),
	))
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-reschedule.png")
	// The last time of the day: the demo's patients have other visits earlier on.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".slots form:last-child button")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	require.Contains(t, text(".flash"), "Moved Tiago Martins's session to")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(session+"/cancel"),
		chromedp.Click(chromedp.Search(`//label[contains(normalize-space(.), "Illness")]/input`)),
		chromedp.Click(chromedp.CSS(".button-danger")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	require.Contains(t, text(".flash"), "Cancelled Tiago Martins's session of")
	require.Contains(t, text(".flash"), "(Illness)")
}
