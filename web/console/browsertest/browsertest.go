// Package browsertest drives Debian's headless Chromium from Go tests with chromedp, so that console
// pages are tested as a person uses them: rendered, styled and scripted (DESIGN 5).
//
// Chromium is found at $CHROMIUM (scripts/test sets it, installing the chromium package when it is
// missing) or as chromium on the PATH. Without it a test is skipped with a message saying how to get
// it, except under CI (the CI environment variable set), where it fails: there the browser tests
// must run.
package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Options size the browser window and bound the test.
type Options struct {
	// Width and Height of the window in CSS pixels (default 1280×800, a laptop).
	Width, Height int
	// Timeout bounds everything the test does in the browser (default 90 s).
	Timeout time.Duration
}

// Chromium is the path of the Chromium binary, or "" when there is none.
func Chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return ""
	}
	return p
}

// New starts a headless Chromium for t and returns the context of one tab, to pass to chromedp.Do
// and chromedp.Run.
// The browser is closed when t ends; what it printed is shown if t failed.
func New(t testing.TB, o Options) context.Context {
	t.Helper()
	bin := Chromium()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("browsertest: Chromium is required under CI and was not found; scripts/test installs it (apt-get install chromium)")
		}
		t.Skip("browsertest: Chromium is not installed; run scripts/test, or apt-get install chromium, to run the browser tests")
	}
	if o.Width == 0 {
		o.Width, o.Height = 1280, 800
	}
	if o.Timeout == 0 {
		o.Timeout = 90 * time.Second
	}
	var output bytes.Buffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(o.Width, o.Height),
		chromedp.CombinedOutput(&output),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), o.Timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
		if t.Failed() && output.Len() > 0 {
			t.Logf("chromium said:\n%s", output.String())
		}
	})
	// Start the browser now, so a browser that cannot start fails here with its own words.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("browsertest: start %s: %v", bin, err)
	}
	return tabCtx
}

// Screenshot saves a PNG of the whole page to path, creating its folder.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("browsertest: screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}
