package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
	"clinic/web/console/browsertest"
)

func TestBrowserOwnerAddsAReceptionistAndATokenSeenOnceThenRevoked(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1280, Height: 900})
	base, _, email, password := demoServerAs(t, access.Owner)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	eval := func(js string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		require.NoError(t, err)
	}
	// Each action waits for its own message: the previous one is removed first.
	clearFlash := func() { eval(`document.querySelectorAll('.flash').forEach((f) => f.remove())`) }

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/settings/users"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("add-user")),
	))
	require.Equal(t, "Users", text("h1"))

	// A new receptionist: a short password is refused at its field, the email kept.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("email"), "joana.reis@harbour.test"),
		chromedp.SetValue(chromedp.ID("role"), "receptionist"),
		chromedp.SendKeys(chromedp.ID("password"), "short"),
		chromedp.Click(chromedp.CSS("#add-user button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("password-error")),
	))
	require.Contains(t, text("#password-error"), "at least 10 characters")
	clearFlash()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), "tide and harbour"),
		chromedp.Click(chromedp.CSS("#add-user button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash-success")),
	))
	require.Contains(t, text(".flash"), "Added joana.reis@harbour.test as a receptionist.")
	require.Contains(t, text(".staff-table"), "joana.reis@harbour.test")
	require.Contains(t, text(".staff-trail"), "added the user joana.reis@harbour.test as receptionist")

	// A doctor's account is chosen with its doctor; a manager who left is disabled.
	add := func(email, choose string) {
		t.Helper()
		clearFlash()
		eval(`document.querySelector('#role').value = ` + choose)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), "tide and harbour"),
			chromedp.Click(chromedp.CSS("#add-user button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".flash-success")),
		))
	}
	add("rui.costa@harbour.test", `document.querySelector('#role optgroup option').value`)
	require.Contains(t, text(".flash"), "Added rui.costa@harbour.test as a doctor acting for ")
	add("marta.lopes@harbour.test", `"manager"`)
	eval(`window.confirm = () => true`)
	clearFlash()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//tr[contains(., "marta.lopes@harbour.test")]//button[text()="Disable"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-success")),
	))
	require.Contains(t, text(".flash"), "marta.lopes@harbour.test is disabled")
	require.Contains(t, text(".row-disabled"), "marta.lopes@harbour.test")
	clearFlash()

	// On a 1024 px tablet the page's content fits the width (the top bar is the layout's).
	fits := func(why string) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1024, 900)))
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
			const main = document.querySelector("main");
			return main.scrollWidth - main.clientWidth;
		})()`))
		require.NoError(t, err)
		require.LessOrEqual(t, overflow, 0, why)
	}
	fits("the users page fits a tablet")
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/settings-users.png")

	// A token for a program: its secret shown once, with a button that copies it.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//nav[@class="staff-tabs"]/a[text()="API tokens"]`)),
		chromedp.WaitVisible(chromedp.ID("add-token")),
		chromedp.SendKeys(chromedp.ID("name"), "Lab results export"),
		chromedp.SetValue(chromedp.ID("role"), "manager"),
		chromedp.Click(chromedp.CSS("#add-token button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("token-secret")),
	))
	secret, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("token-secret")))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(secret, "clk_"), secret)
	require.Contains(t, text(".staff-secret h2"), "Copy the new token “Lab results export” now")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("[data-copy]")),
		chromedp.WaitVisible(chromedp.Search(`//button[@data-copy and text()="Copied"]`)),
	))
	fits("the token and its button fit a tablet")

	// Opened again, the page lists the token but never its secret.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/settings/tokens"),
		chromedp.WaitVisible(chromedp.ID("add-token")),
	))
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	require.NoError(t, err)
	require.NotContains(t, html, secret)
	require.Contains(t, text(".staff-table"), "Lab results export")
	require.Contains(t, text(".staff-table"), "Active")

	eval(`window.confirm = () => true`)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-success")),
	))
	require.Contains(t, text(".flash"), "The token “Lab results export” is revoked")
	require.Contains(t, text(".staff-table"), "Revoked")
	require.Contains(t, text(".staff-trail"), "revoked the API token Lab results export")
	forms, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/revoke"]').length`))
	require.NoError(t, err)
	require.Zero(t, forms, "a revoked token offers nothing more")
}
