package console_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/web"
	"clinic/web/access"
	"clinic/web/console"
	"clinic/web/console/browsertest"
)

// TestBrowserBookingFormSettings: a manager adds the clinic's "Referral from" field to the public
// booking form from Settings, and makes the email required.
func TestBrowserBookingFormSettings(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	bg := context.Background()
	pool := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	now := func() time.Time { return demoNow }
	sched := scheduling.NewService(pool, logger, now, scheduling.Config{})
	_, err := demo.Load(bg, sched, demoNow)
	require.NoError(t, err)
	acc := access.NewStore(pool, now)
	_, err = acc.CreateUser(bg, "manager@harbour.test", "the manager's password", access.Manager, 0)
	require.NoError(t, err)
	store := inbox.NewStore(pool, logger, now, sched, nil, inbox.Config{})
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc, Now: now,
		Inbox: store, Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	srv := httptest.NewServer(web.NewHandler(web.Deps{Logger: logger, Pool: pool, Redis: rdb, Scheduling: sched, Access: acc,
		Console: con, Inbox: store}))
	t.Cleanup(srv.Close)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/console/settings"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "manager@harbour.test"),
		chromedp.SendKeys(chromedp.ID("password"), "the manager's password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/console/settings/booking-form"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/console/settings/booking-form"]`)),
		chromedp.WaitVisible(chromedp.ID("new_label_en")),
		chromedp.SendKeys(chromedp.ID("new_label_en"), "Referral from"),
		chromedp.SendKeys(chromedp.ID("new_label_ar"), "الإحالة من"),
		chromedp.SetValue(chromedp.ID("new_kind"), "choice"),
		chromedp.SendKeys(chromedp.ID("new_options"), "A friend | صديق\nAnother doctor | طبيب آخر"),
		chromedp.Click(chromedp.CSS(`input[name=new_required]`)),
		chromedp.Click(chromedp.CSS(`button[value=add]`)),
		chromedp.WaitVisible(chromedp.CSS(`li.custom-field`)),
		chromedp.SetValue(chromedp.ID("vis_email"), "required"),
		chromedp.Click(chromedp.CSS(`.form-actions > button[value=save].button-primary`)),
		// The page before the save shows the custom field too: wait for the save's own notice.
		chromedp.WaitVisible(chromedp.Search(`//*[contains(@class, "flash") and contains(., "The booking form is saved.")]`)),
		chromedp.WaitVisible(chromedp.CSS(`li.custom-field`)),
	))
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	require.NoError(t, err)
	require.Contains(t, body, "The booking form is saved.")
	f, err := store.FormSettings(bg)
	require.NoError(t, err)
	require.Equal(t, inbox.Required, f.Email)
	require.Len(t, f.Fields, 1)
	require.Equal(t, "referral_from", f.Fields[0].Key)
	require.True(t, f.Fields[0].Required)
	require.Len(t, f.Fields[0].Options, 2)
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-booking-form.png")
}
