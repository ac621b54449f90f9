package console

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
	"clinic/web/console/browsertest"
)

func TestBrowserSessionInvoiceIsPaidInPartAndIssuedOnCompletion(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	tb := invoiceSetup(t)
	in := tb.clinic.Booking(tb.clinic.At(4, 10, 0), tb.clinic.Consultation.ID, tb.clinic.ECG.ID)
	in.RoomID = &tb.clinic.Rooms[0]
	sess := schedtest.Must(tb.Svc.Book(context.Background(), "test", in))(t)
	path := tb.url + "/console/sessions/" + strconv.FormatInt(int64(sess.ID), 10)
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
	signIn := func(role access.Role) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx,
			chromedp.Navigate(path),
			chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), tb.emails[role]),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS("button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS("#invoice")),
		))
	}
	pay := func(amount string) {
		t.Helper()
		eval(`document.getElementById('pay-amount').value = ''`)
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("pay-amount"), amount),
			chromedp.SetValue(chromedp.ID("pay-method"), "card"),
			chromedp.Click(chromedp.CSS(".session-invoice-pay button")),
		))
	}

	signIn(access.Owner)
	card := text("#invoice")
	for _, want := range []string{"Draft", "Consultation", "ECG", "€120.00", "Still due"} {
		require.Contains(t, card, want)
	}

	// More than is due is refused at the field; part of it is taken.
	pay("150")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("pay-amount-error"))))
	require.Contains(t, text("#pay-amount-error"), "more than the €120.00 still due")
	pay("45,50")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".flash-success"))))
	require.Contains(t, text(".flash"), "Payment of €45.50 recorded.")
	require.Contains(t, text(".session-invoice-balance"), "€74.50")

	// Completing the visit issues the invoice, payments kept.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/open"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".status-open")),
	))
	require.Contains(t, text(".flash"), "The session is open.")
	eval(`window.confirm = () => true`)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/complete"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".status-completed")),
	))
	require.Contains(t, text(".flash"), "The session is completed")
	require.Contains(t, text("#invoice"), "Issued")
	inv, err := billing.NewStore(tb.Pool, tb.clock.Now).InvoiceOfSession(context.Background(), sess.ID)
	require.NoError(t, err)
	require.Equal(t, billing.StatusIssued, inv.Status)
	require.Equal(t, int64(4550), inv.Paid)

	// The desk sees the issued invoice, numbered, with what is still to take.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/console/signout"] button`)),
		chromedp.WaitVisible(chromedp.ID("email"))))
	signIn(access.Receptionist)
	card = text("#invoice")
	for _, want := range []string{*inv.Number, "Issued", "€45.50", "€74.50", "Record payment"} {
		require.Contains(t, card, want)
	}
	require.NotContains(t, card, "Credit note", "a receptionist writes no credit note")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024)
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-session-invoice.png")
}
