package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
	"clinic/web/console/browsertest"
)

// screenshot saves what the phone's screen shows. (A full-page capture of a right-to-left page in
// headless Chromium shifts it sideways; the page fits one screen anyway.)
func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, png, 0o644))
}

// TestBrowserTrackerFollowsTheQueue opens a patient's link on a phone-sized screen: the page shows
// the place, moves on by itself when the patient ahead goes in and finishes, says "It's your turn"
// when the visit opens, and reads right to left in Arabic.
func TestBrowserTrackerFollowsTheQueue(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 390, Height: 844})
	f := setupTracker(t, PublicConfig{})
	status, body := f.call(t, access.Manager, http.MethodPut, "/api/v1/settings/privacy",
		map[string]any{"patient_name": "first_initial", "doctor_name": "shown", "phone": "last_digits"})
	require.Equal(t, http.StatusOK, status, body)
	_, url := f.link(t, f.second)

	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	waitFor := func(sel, want string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel)))
			require.NoError(t, err)
			if strings.Contains(got, want) {
				return
			}
			require.True(t, time.Now().Before(deadline), "%s never showed %q (it shows %q)", sel, want, got)
			time.Sleep(100 * time.Millisecond)
		}
	}
	move := func(action string, id fmt.Stringer) {
		t.Helper()
		status, body := f.call(t, access.Owner, http.MethodPost, "/api/v1/sessions/"+id.String()+"/"+action, nil)
		require.Equal(t, http.StatusOK, status, body)
	}

	// Headless Chromium's window is never narrower than 500 px; the viewport is the phone's.
	phone := chromedp.EmulateViewport(390, 844)
	t.Cleanup(func() { chromedp.Do(ctx, chromedp.Navigate("about:blank")) }) // ends the live stream first

	// Arabic reads right to left, with Arabic digits.
	require.NoError(t, chromedp.Do(ctx, phone, chromedp.Navigate(url+"?lang=ar"), chromedp.WaitVisible(chromedp.CSS(".headline"))))
	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir`))
	require.NoError(t, err)
	require.Equal(t, "rtl", dir)
	require.Equal(t, "شخص واحد قبلك", text(".headline"))
	require.Contains(t, text(".position"), "٢")
	screenshot(t, ctx, "../docs/screenshots/tracker-ar.png")

	require.NoError(t, chromedp.Do(ctx, phone, chromedp.Navigate(url+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(".headline"))))
	require.Equal(t, "1 person ahead of you", text(".headline"))
	require.Contains(t, text(".eta"), "Expected")
	require.Contains(t, text(".facts"), "Ana Ferreira")
	require.Contains(t, text(".facts"), "•••• 4567")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 390, "nothing wider than the phone")
	screenshot(t, ctx, "../docs/screenshots/tracker-en.png")

	// A mark on the page survives only if the page is never reloaded.
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`))
	require.NoError(t, err)
	move("open", f.first.ID)
	waitFor(".headline", "You're next")
	move("complete", f.first.ID)
	move("open", f.second.ID)
	waitFor(".headline", "It's your turn")
	require.Equal(t, "Please go in now.", text(".detail"))
	kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	require.NoError(t, err)
	require.True(t, kept, "the page changed without a reload")
	move("complete", f.second.ID)
	waitFor(".headline", "Your visit is complete")
}
