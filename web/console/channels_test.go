package console

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/web/access"
)

// fixedHealth is a channel that always reports h.
type fixedHealth struct{ h channels.Health }

func (f fixedHealth) Health(context.Context) channels.Health { return f.h }

// channelsBundle is a console whose channels are WhatsApp (on its own store) and a Telegram that
// reports telegram.
func channelsBundle(t *testing.T, telegram channels.Health) (*testBundle, *whatsapp.Store) {
	t.Helper()
	tb := setup(t)
	store := whatsapp.NewStore(tb.Pool, nil)
	deps := tb.deps
	deps.Channels = []channels.HealthSource{whatsapp.NewHealth(store), fixedHealth{telegram}}
	tb.url = tb.serve(t, deps)
	return tb, store
}

var telegramOK = channels.Health{Channel: inbox.Telegram, State: "webhook_ok", Detail: "0 updates waiting"}

func TestChannelsPageShowsWhatsAppsLinkAndTelegramsWebhook(t *testing.T) {
	t.Parallel()
	tb, _ := channelsBundle(t, telegramOK)
	p := tb.signedIn(t, access.Manager).get(channelsPath)
	require.Equal(t, http.StatusOK, p.status)
	for _, want := range []string{"WhatsApp", "Not linked", "Link with a QR code", "Get a pairing code",
		"Telegram", "webhook ok", "0 updates waiting"} {
		require.Contains(t, p.body, want)
	}
	require.NotContains(t, p.body, `class="channel-alert"`, "nothing is down")
	require.Contains(t, tb.signedIn(t, access.Owner).get(Prefix+"/settings").body, channelsPath, "listed in the settings")
	require.Equal(t, http.StatusForbidden, tb.signedIn(t, access.Receptionist).get(channelsPath).status)
}

func TestALoggedOutPhoneIsABannerOnEveryPageAndOffersRelinking(t *testing.T) {
	t.Parallel()
	tb, store := channelsBundle(t, telegramOK)
	ctx := context.Background()
	require.NoError(t, store.SetState(ctx, whatsapp.LoggedOut, "the phone ended the link; link it again"))

	desk := tb.signedIn(t, access.Receptionist).get(Prefix + "/")
	require.Equal(t, http.StatusOK, desk.status)
	require.Contains(t, desk.body, "WhatsApp: Logged out: link the phone again.")
	require.NotContains(t, desk.body, `href="/console/settings/channels"`, "the front desk cannot fix it, so no link")

	br := tb.signedIn(t, access.Manager)
	today := br.get(Prefix + "/")
	require.Contains(t, today.body, "WhatsApp: Logged out: link the phone again.")
	require.Contains(t, today.body, `<a href="/console/settings/channels">Open channels</a>`)
	page := br.get(channelsPath)
	require.Contains(t, page.body, "Link again with a QR code")
	require.Contains(t, page.body, "channel-trouble")
}

func TestAPhoneOfflineForTwelveDaysIsAWarningOnEveryPage(t *testing.T) {
	t.Parallel()
	tb, store := channelsBundle(t, telegramOK)
	ctx := context.Background()
	require.NoError(t, store.SetAccount(ctx, "+971500000001"))
	require.NoError(t, store.SetState(ctx, whatsapp.Connected, ""))
	require.NoError(t, store.Heartbeat(ctx, "server-1"))
	require.NoError(t, store.PhoneSeen(ctx, time.Now().Add(-12*24*time.Hour-time.Hour)))
	const warning = "The linked phone has not been online for 12 days; open WhatsApp on it before day 14 or it will be unlinked"

	desk := tb.signedIn(t, access.Receptionist).get(Prefix + "/")
	require.Equal(t, http.StatusOK, desk.status)
	require.Contains(t, desk.body, "WhatsApp: Phone offline.</strong> "+warning)
	page := tb.signedIn(t, access.Manager).get(channelsPath)
	require.Contains(t, page.body, `<p class="channel-warning" role="alert">`+warning+".</p>")
	require.Contains(t, page.body, "Connected", "still connected: patients reach the clinic")
	require.NotContains(t, page.body, "channel-trouble")

	// The phone seen again: the warning goes.
	require.NoError(t, store.PhoneSeen(ctx, time.Now()))
	require.NotContains(t, tb.signedIn(t, access.Receptionist).get(Prefix+"/").body, "Phone offline")
}

func TestATelegramWebhookFailingIsABanner(t *testing.T) {
	t.Parallel()
	tb, _ := channelsBundle(t, channels.Health{Channel: inbox.Telegram, State: "webhook_error",
		Detail: "Wrong response from the webhook: 502 Bad Gateway", Down: true})
	p := tb.signedIn(t, access.Doctor).get(Prefix + "/")
	require.Contains(t, p.body, "Telegram: webhook error.")
	require.Contains(t, p.body, "502 Bad Gateway")
}

func TestTheQRCodeBeingShownIsDrawnAndFollowed(t *testing.T) {
	t.Parallel()
	tb, store := channelsBundle(t, telegramOK)
	ctx := context.Background()
	require.NoError(t, store.Heartbeat(ctx, "server-1"))
	require.NoError(t, store.SetQR(ctx, "2@first-code", time.Now().Add(time.Minute)))
	br := tb.signedIn(t, access.Manager)
	page := br.get(channelsPath)
	require.Contains(t, page.body, `class="qr-image"`)
	require.Contains(t, page.body, "Waiting to be linked")
	require.NotContains(t, page.body, "Link with a QR code", "a code is already shown")

	img := br.get(channelsPath + "/whatsapp/qr.png")
	require.Equal(t, http.StatusOK, img.status)
	require.Equal(t, "image/png", img.resp.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(img.body, "\x89PNG"))

	first := br.get(channelsPath + "/whatsapp/state")
	require.Contains(t, first.body, `"state":"linking"`)
	require.NoError(t, store.SetQR(ctx, "2@second-code", time.Now().Add(20*time.Second)))
	second := br.get(channelsPath + "/whatsapp/state")
	require.NotEqual(t, first.body, second.body, "a new code has a new version, so the page fetches it")
}

func TestUnlinkFromTheConsoleIsCarriedOutByTheHolder(t *testing.T) {
	t.Parallel()
	tb, store := channelsBundle(t, telegramOK)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := whatsapp.NewService(whatsapp.Devices(tb.Pool, log), store, whatsapp.NewAdapter(nil, store, log), log, "server-1")
	svc.Tick = 20 * time.Millisecond
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(runCtx) }()
	defer func() { stop(); <-done }()

	br := tb.signedIn(t, access.Owner)
	page := br.get(channelsPath)
	for l, err := store.Link(ctx); l.Holder == ""; l, err = store.Link(ctx) {
		require.NoError(t, err)
		time.Sleep(10 * time.Millisecond)
	}
	res := br.post(channelsPath+"/whatsapp/unlink", url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusSeeOther, res.status)
	after := br.get(channelsPath)
	require.Contains(t, after.body, "WhatsApp is unlinked.")
	require.Contains(t, after.body, "Not linked")
	require.Contains(t, after.body, "unlinked from the console")
	require.Contains(t, after.body, "<dd>server-1</dd>", "the page names the server holding the connection")
}

func TestWithNoServerHoldingWhatsAppARequestSaysSo(t *testing.T) {
	t.Parallel()
	tb, _ := channelsBundle(t, telegramOK)
	br := tb.signedIn(t, access.Manager)
	page := br.get(channelsPath)
	res := br.post(channelsPath+"/whatsapp/link", url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusSeeOther, res.status)
	require.Contains(t, br.get(channelsPath).body, "No server is running the WhatsApp connection right now.")

	bad := br.post(channelsPath+"/whatsapp/pair", url.Values{"csrf": {csrf(t, page)}, "phone": {"0501234567"}})
	require.Equal(t, http.StatusSeeOther, bad.status)
	require.Contains(t, br.get(channelsPath).body, "with its country code")
}

// fakeOutbox has failed messages and records the ones sent again.
type fakeOutbox struct {
	failed  []outbox.Failure
	retried []inbox.ID
}

func (o *fakeOutbox) Failures(context.Context, int) ([]outbox.Failure, error) { return o.failed, nil }

func (o *fakeOutbox) Retry(_ context.Context, id inbox.ID) error {
	o.retried = append(o.retried, id)
	return nil
}

func TestMessagesNotDeliveredAreListedAndSentAgain(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ob := &fakeOutbox{failed: []outbox.Failure{{MessageID: 41, ConversationID: 7, Channel: inbox.WhatsApp, Name: "Maria Lopes",
		Text: "Your visit on Tue 5 Jan at 09:00 is confirmed.", Error: "WhatsApp is not connected on this server",
		At: time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)}}}
	deps := tb.deps
	deps.Resend = ob
	deps.Channels = []channels.HealthSource{fixedHealth{telegramOK}}
	tb.url = tb.serve(t, deps)
	br := tb.signedIn(t, access.Manager)
	page := br.get(channelsPath)
	for _, want := range []string{"Messages not delivered", "Maria Lopes", "Your visit on Tue 5 Jan at 09:00 is confirmed.",
		"WhatsApp is not connected on this server", "Send again"} {
		require.Contains(t, page.body, want)
	}
	res := br.post(channelsPath+"/failures/41/resend", url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusSeeOther, res.status)
	require.Equal(t, []inbox.ID{41}, ob.retried)
	require.Contains(t, br.get(channelsPath).body, "The message is queued to be sent again.")

	ob.failed = nil
	require.Contains(t, br.get(channelsPath).body, "Every message to patients has been delivered.")
}
