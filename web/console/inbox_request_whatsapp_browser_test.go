package console_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/web/console/browsertest"
)

// TestBrowserAFormRequestWithWhatsAppConsentShowsTheConfirmationsDelivery: the desk books a web-form
// request whose patient agreed to WhatsApp messages, and the page shows the consent and the
// confirmation's delivery on WhatsApp.
func TestBrowserAFormRequestWithWhatsAppConsentShowsTheConfirmationsDelivery(t *testing.T) {
	t.Parallel()
	d := inboxDemoServer(t)
	ctx := context.Background()
	consult := d.exams["General consultation"]
	require.NotZero(t, consult)
	day := scheduling.DateOf(time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC))
	slots, err := d.sched.Availability(ctx, scheduling.AvailabilityQuery{BranchID: d.lisbon.ID,
		ExaminationIDs: []scheduling.ID{consult}, From: day, To: day})
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	start := slots[0].Start
	d.clock.set(demoNow.Add(-40 * time.Minute))
	req, _, err := d.store.SubmitForm(ctx, inbox.FormInput{Name: "Layla Haddad", Phone: "+971501234567", Lang: "en", Key: "form-wa-1",
		ExaminationID: &consult, BranchID: &d.lisbon.ID, PreferredStart: &start, WhatsApp: true, Via: inbox.ConsentViaForm}, nil)
	require.NoError(t, err)
	d.clock.set(demoNow)

	b := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	require.NoError(t, chromedp.Do(b,
		chromedp.Navigate(d.base+"/console/signin?next=/console/inbox/"+req.ID.String()),
		chromedp.SendKeys(chromedp.ID("email"), d.email),
		chromedp.SendKeys(chromedp.ID("password"), d.password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#whatsapp")),
	))
	card, err := chromedp.Run(b, chromedp.Text(chromedp.CSS("#whatsapp")))
	require.NoError(t, err)
	require.Contains(t, card, "on the booking form")
	require.Contains(t, card, "+971501234567")

	require.NoError(t, chromedp.Do(b,
		chromedp.Click(chromedp.CSS(".ir-one-click")),
		chromedp.WaitVisible(chromedp.CSS(".ir-result")),
	))
	result, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".ir-result")))
	require.NoError(t, err)
	require.Contains(t, result, "on its way to the patient on WhatsApp")

	// The outbox delivered it; the page shows so.
	wa, err := d.store.WhatsAppConsentOf(ctx, req.ID)
	require.NoError(t, err)
	require.NotNil(t, wa.Confirmation)
	require.NoError(t, d.store.SetDelivery(ctx, wa.Confirmation.ID, inbox.DeliverySent, ""))
	require.NoError(t, chromedp.Do(b,
		chromedp.Navigate(d.base+"/console/inbox/"+req.ID.String()),
		chromedp.WaitVisible(chromedp.CSS(".ir-whatsapp-confirmation")),
	))
	state, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".ir-whatsapp-confirmation .ir-delivery")))
	require.NoError(t, err)
	require.Equal(t, "Sent", state, "as in a conversation")
	browsertest.Screenshot(t, b, "../../docs/screenshots/inbox-request-whatsapp.png")
}
