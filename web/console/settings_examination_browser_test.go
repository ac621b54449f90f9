package console_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/web/access"
	"clinic/web/console/browsertest"
)

// TestBrowserManagerChangesABranchPriceAndBookingShowsIt: a manager gives the ECG a new price in New
// York only; the booking page there offers it at that price at once, and Lisbon keeps its own.
func TestBrowserManagerChangesABranchPriceAndBookingShowsIt(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1280, Height: 900})
	base, sched, email, password := demoServerAs(t, access.Manager)
	var ecg scheduling.Examination
	var lisbon, ny scheduling.Branch
	exams, err := sched.ListExaminations(context.Background(), 0)
	require.NoError(t, err)
	for _, e := range exams {
		if e.Code == "CAR01" {
			ecg = e
		}
	}
	branches, err := sched.ListBranches(context.Background())
	require.NoError(t, err)
	lisbon, ny = branches[0], branches[1]
	require.Equal(t, "USD", ny.Currency)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/settings/examinations"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".exam-table")),
	))
	list := text(".exam-table")
	require.Contains(t, list, "Electrocardiogram (ECG)")
	require.Contains(t, list, "$120.00")
	require.Contains(t, list, "€45.00")

	priceNY := fmt.Sprintf("#price_%d", ny.ID)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[normalize-space(.)="Electrocardiogram (ECG)"]`)),
		chromedp.WaitVisible(chromedp.CSS(priceNY)),
	))
	got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(priceNY)))
	require.NoError(t, err)
	require.Equal(t, "120.00", got, "the New York price, in dollars, not cents")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS(priceNY)),
		chromedp.SendKeys(chromedp.CSS(priceNY), "135.50"),
	))
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/settings-examination.png")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".exam-form .form-actions .button-primary")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	))
	require.Contains(t, text(".flash"), "Electrocardiogram (ECG) is saved.")
	require.Contains(t, text(".exam-table"), "$135.50")

	// The booking page offers it at the new price in New York, and at the old one in Lisbon.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/console/book?branch=%d", base, ny.ID)),
		chromedp.WaitVisible(chromedp.CSS("#exams")),
	))
	require.Regexp(t, `Electrocardiogram \(ECG\)\s+\$135\.50`, text("#exams"))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/console/book?branch=%d", base, lisbon.ID)),
		chromedp.WaitVisible(chromedp.CSS("#exams")),
	))
	require.Regexp(t, `Electrocardiogram \(ECG\)\s+€45\.00`, text("#exams"))

	stored, err := sched.GetExamination(context.Background(), ecg.ID)
	require.NoError(t, err)
	require.Equal(t, int64(13550), stored.PriceAt(ny.ID))
	require.Equal(t, int64(4500), stored.PriceAt(lisbon.ID))
	require.Equal(t, ecg.DoctorIDs, stored.DoctorIDs, "what was not touched on the form is kept")
	require.Equal(t, ecg.Windows, stored.Windows)
	require.Equal(t, ecg.NeedsRoom, stored.NeedsRoom)
}
