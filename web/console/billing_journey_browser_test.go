package console_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/web"
	"clinic/web/access"
	"clinic/web/console"
	"clinic/web/console/browsertest"
)

// TestBrowserManagerBooksCompletesTakesPaymentAndSeesTheRevenue: a manager books Sofia Rodrigues a
// consultation, the invoice preview following the examinations ticked; opens and completes the
// visit, which issues the invoice; takes what she owes; and finds it in the day's revenue.
//
// Worked by hand: €60.00 less her 5% tier is €57.00, untaxed; her €20.00 deductible first, then
// 80% of €37.00 (€29.60) is the insurer's: she pays €27.40.
func TestBrowserManagerBooksCompletesTakesPaymentAndSeesTheRevenue(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 1300, Timeout: 3 * time.Minute})
	base, pool, email, password := invoicedDemoServer(t)
	value := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		require.NoError(t, err)
		return v
	}

	page := onBookingPage(t, ctx, base, email, password)
	text, tick, line := page.text, page.tick, page.line
	require.NoError(t, chromedp.Do(ctx,
		tick("General consultation"),
		chromedp.Click(chromedp.CSS(".book-find button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".slots a.slot")),
		chromedp.Click(chromedp.CSS(".slots a.slot")),
		chromedp.WaitVisible(chromedp.CSS("p.chosen")),
		chromedp.SendKeys(chromedp.ID("patient-q"), "Sofia"),
		chromedp.WaitVisible(chromedp.Search(line("General consultation"))),
	))
	require.Contains(t, text(".invoice-totals"), "Patient pays\n€27.40")

	// The preview follows a tick and an untick.
	require.NoError(t, chromedp.Do(ctx, tick("Blood draw"), chromedp.WaitVisible(chromedp.Search(line("Blood draw")))))
	require.Contains(t, text("#invoice-preview"), "package −€15.00")
	require.NoError(t, chromedp.Do(ctx, tick("Blood draw"), chromedp.WaitNotPresent(chromedp.Search(line("Blood draw")))))
	require.Contains(t, text(".invoice-totals"), "Patient pays\n€27.40")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-journey-1-book.png")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#book-form .button-primary")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	require.Contains(t, text(".flash"), "Booked Sofia Rodrigues with")

	// The visit's page: open it, complete it (which issues the invoice), and take what she owes.
	var session scheduling.ID
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT s.id FROM sessions s JOIN patients p ON p.id = s.patient_id
		WHERE p.name = 'Sofia Rodrigues' ORDER BY s.id DESC LIMIT 1`).Scan(&session))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/console/sessions/%d", base, session)),
		chromedp.WaitVisible(chromedp.CSS("#invoice")),
	))
	require.Contains(t, text("#invoice"), "Draft")
	require.Contains(t, text("#invoice"), "€27.40")
	_, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.confirm = () => true`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/open"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".status-open")),
	))
	_, err = chromedp.Run(ctx, chromedp.Evaluate[any](`window.confirm = () => true`))
	require.NoError(t, err)
	// The completion posts and the page loads again: wait for that load, not for the page it leaves.
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action$="/complete"] button`)))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".status-completed"))))
	require.Contains(t, text(".flash"), "The session is completed")
	require.Contains(t, text("#invoice"), "Issued")
	require.Equal(t, "27.40", value("#pay-amount"), "the amount offered is what is still due")
	_, err = chromedp.Run(ctx, chromedp.Evaluate[any](`document.getElementById('pay-amount').value = ''`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("pay-amount"), "27.40"),
		chromedp.SetValue(chromedp.ID("pay-method"), "card"),
	))
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(".session-invoice-pay button")))
	require.NoError(t, err)
	require.Contains(t, text(".flash"), "Payment of €27.40 recorded.")
	inv, err := billing.NewStore(pool, nil).InvoiceOfSession(context.Background(), session)
	require.NoError(t, err)
	require.Equal(t, billing.StatusIssued, inv.Status)
	require.EqualValues(t, 2740, inv.Paid)
	require.EqualValues(t, 0, inv.Due)
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-journey-2-paid.png")

	// The day's revenue: her share, the insurer's, no tax.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//nav//a[text()="Reports"]`)),
		chromedp.WaitVisible(chromedp.CSS(".reports-form")),
	))
	revenue := text("#revenue tbody")
	for _, want := range []string{"2027-01-04", "€27.40", "€29.60", "€57.00"} {
		require.Contains(t, revenue, want)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024, "the reports page fits a 1024 px tablet")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-journey-3-reports.png")
}

// invoicedDemoServer serves the demo clinic, invoices kept, to a manager; Sofia Rodrigues holds the
// cover coveredDemoServer gives her. The demo's own sessions are loaded without invoices, so the
// reports hold only what the test books.
func invoicedDemoServer(t *testing.T) (base string, pool *pgxpool.Pool, email, password string) {
	t.Helper()
	ctx := context.Background()
	p := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	now := func() time.Time { return demoNow }
	_, err := demo.Load(ctx, scheduling.NewService(p, logger, now, scheduling.Config{}), demoNow)
	require.NoError(t, err)
	sched := scheduling.NewService(p, logger, now, scheduling.Config{Listeners: []scheduling.Listener{billing.NewSessionListener()}})
	coverSofia(t, p, sched, now)
	acc := access.NewStore(p, now)
	email, password = "manager@harbour.test", "the manager's password"
	_, err = acc.CreateUser(ctx, email, password, access.Manager, 0)
	require.NoError(t, err)
	con, err := console.New(console.Deps{Logger: logger, DB: p, Redis: rdb, Scheduling: sched, Access: acc, Now: now,
		Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	srv := httptest.NewServer(web.NewHandler(web.Deps{Logger: logger, Pool: p, Redis: rdb, Scheduling: sched, Access: acc, Console: con}))
	t.Cleanup(srv.Close)
	return srv.URL, p, email, password
}
