package console_test

import (
	"context"
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

// coveredDemoServer serves the demo clinic to a receptionist, with Sofia Rodrigues holding an 80%
// policy (a €20.00 deductible), a package of three blood draws and a 5% loyalty tier.
func coveredDemoServer(t *testing.T) (base, email, password string) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	now := func() time.Time { return demoNow }
	sched := scheduling.NewService(pool, logger, now, scheduling.Config{})
	_, err := demo.Load(ctx, sched, demoNow)
	require.NoError(t, err)
	coverSofia(t, pool, sched, now)

	acc := access.NewStore(pool, now)
	email, password = "desk@harbour.test", "the desk's password"
	_, err = acc.CreateUser(ctx, email, password, access.Receptionist, 0)
	require.NoError(t, err)
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc, Now: now,
		Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	srv := httptest.NewServer(web.NewHandler(web.Deps{Logger: logger, Pool: pool, Redis: rdb, Scheduling: sched, Access: acc, Console: con}))
	t.Cleanup(srv.Close)
	return srv.URL, email, password
}

// coverSofia gives the demo's Sofia Rodrigues an 80% policy (a €20.00 deductible), a package of
// three blood draws and a 5% loyalty tier.
func coverSofia(t *testing.T, pool *pgxpool.Pool, sched *scheduling.Service, now func() time.Time) {
	t.Helper()
	ctx := context.Background()
	found, err := sched.SearchPatients(ctx, scheduling.PatientSearch{Query: "Sofia Rodrigues", Limit: 1})
	require.NoError(t, err)
	require.Len(t, found.Items, 1)
	sofia := found.Items[0].ID
	exams, err := sched.ListExaminations(ctx, 0)
	require.NoError(t, err)
	var blood scheduling.ID
	for _, e := range exams {
		if e.Name == "Blood draw" {
			blood = e.ID
		}
	}
	store := billing.NewStore(pool, now)
	uses, coverage, deductible, tier := int64(3), int64(8000), int64(2000), int64(500)
	_, err = store.AddPackage(ctx, "demo", sofia, billing.PackageInput{Name: "Three blood draws", ExaminationIDs: []scheduling.ID{blood}, Uses: &uses})
	require.NoError(t, err)
	_, err = store.PutInsurance(ctx, "demo", sofia, billing.PolicyInput{Insurer: "Médis", CoverageBP: &coverage,
		AnnualDeductible: &deductible, ValidFrom: "2027-01-01", ValidTo: "2027-12-31"})
	require.NoError(t, err)
	_, err = store.PutLoyalty(ctx, "demo", sofia, billing.LoyaltyInput{TierDiscountBP: &tier})
	require.NoError(t, err)

}

func TestBrowserBookingInvoicePreviewFollowsTheTickedExaminations(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 1300})
	base, email, password := coveredDemoServer(t)

	page := onBookingPage(t, ctx, base, email, password)
	text, tick, line := page.text, page.tick, page.line
	require.Contains(t, text("#invoice-preview"), "Tick the examinations to see the invoice.", "the first state comes from the server")

	// A free time for a consultation, then the patient: the preview prices her visit.
	require.NoError(t, chromedp.Do(ctx,
		tick("General consultation"),
		chromedp.Click(chromedp.CSS(".book-find button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".slots a.slot")),
		chromedp.Click(chromedp.CSS(".slots a.slot")),
		chromedp.WaitVisible(chromedp.CSS("p.chosen")),
	))
	require.Contains(t, text("#invoice-preview"), "Pick the patient to see what they will pay")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("patient-q"), "Sofia"),
		chromedp.WaitVisible(chromedp.Search(line("General consultation"))),
	))
	// €60.00 less the 5% tier is €57.00, untaxed; the €20.00 deductible first, then 20% of €37.00.
	require.Contains(t, text(".invoice-totals"), "Patient pays\n€27.40")

	// Ticking the blood draw adds a line the package pays; the certificate is taxed at Lisbon's 23%.
	require.NoError(t, chromedp.Do(ctx,
		tick("Blood draw"),
		chromedp.WaitVisible(chromedp.Search(line("Blood draw"))),
		tick("Medical certificate"),
		chromedp.WaitVisible(chromedp.Search(line("Medical certificate"))),
	))
	preview := text("#invoice-preview")
	require.Contains(t, preview, "package −€15.00")
	require.Contains(t, preview, "tax 23%")
	require.Contains(t, preview, "Packages cover\n−€15.00")
	require.Contains(t, preview, "press “Show free times” to book these", "the desk is told the times listed are for fewer examinations")

	// The trace of a line opens on demand.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".invoice-trace summary")), chromedp.WaitVisible(chromedp.CSS(".invoice-trace ol li"))))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024, "the page fits a 1024 px tablet")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-book-invoice.png")

	// Unticking takes the line away again.
	require.NoError(t, chromedp.Do(ctx, tick("Blood draw"), chromedp.WaitNotPresent(chromedp.Search(line("Blood draw")))))
	require.Contains(t, text("#invoice-preview"), "Medical certificate")

	// Booking still books what the free times were listed for.
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#book-form .button-primary")), chromedp.WaitVisible(chromedp.CSS(".flash"))))
	require.Contains(t, text(".flash"), "Booked Sofia Rodrigues with")
}

// onBookingPage signs in on the console's booking page; the page's helpers read it.
func onBookingPage(t *testing.T, ctx context.Context, base, email, password string) bookingPage {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/book"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".book-find")),
	))
	return bookingPage{t: t, ctx: ctx}
}

// bookingPage reads and ticks the booking page of a signed-in browser.
type bookingPage struct {
	t   *testing.T
	ctx context.Context
}

// text is the text of the element sel finds.
func (p bookingPage) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(p.t, err)
	return s
}

// tick ticks the examination name in the search form.
func (bookingPage) tick(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.Search(`//form[contains(@class,"book-find")]//label[contains(normalize-space(.), "` + name + `")]/input`))
}

// line finds the invoice preview's line of name.
func (bookingPage) line(name string) string {
	return `//div[@id="invoice-preview"]//span[@class="invoice-item" and contains(., "` + name + `")]`
}
