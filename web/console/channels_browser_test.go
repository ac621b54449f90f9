package console_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/web"
	"clinic/web/access"
	"clinic/web/console"
	"clinic/web/console/browsertest"
)

// undelivered is an outbox with one message that could not be delivered.
type undelivered struct{}

func (undelivered) Failures(context.Context, int) ([]outbox.Failure, error) {
	return []outbox.Failure{{MessageID: 41, ConversationID: 7, Channel: inbox.Telegram, Name: "Maria Lopes",
		Text:  "Your visit on Tue 5 Jan at 09:00 with Ana Ferreira is confirmed. Confirm it here: https://clinic.example/c/…",
		Error: "Telegram answered 403: bot was blocked by the user", At: time.Now().Add(-time.Hour)}}, nil
}

func (undelivered) Retry(context.Context, inbox.ID) error { return nil }

// telegramDown is a Telegram whose webhook keeps failing.
type telegramDown struct{}

func (telegramDown) Health(context.Context) channels.Health {
	return channels.Health{Channel: inbox.Telegram, State: "webhook_error", Down: true,
		Detail: "Telegram's last delivery failed: Wrong response from the webhook: 502 Bad Gateway; 14 updates waiting"}
}

func TestBrowserChannelsPageShowsTheQRCodeAndFollowsIt(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	bg := context.Background()
	pool := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	sched := scheduling.NewService(pool, logger, time.Now, scheduling.Config{})
	acc := access.NewStore(pool, time.Now)
	_, err := acc.CreateUser(bg, "manager@harbour.test", "the manager's password", access.Manager, 0)
	require.NoError(t, err)
	store := whatsapp.NewStore(pool, nil)
	sources := []channels.HealthSource{whatsapp.NewHealth(store), telegramDown{}}
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc,
		Channels: sources, Resend: undelivered{}, Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	srv := httptest.NewServer(web.NewHandler(web.Deps{Logger: logger, Pool: pool, Redis: rdb, Scheduling: sched, Access: acc,
		Console: con, Channels: sources}))
	t.Cleanup(srv.Close)

	// The server holding WhatsApp has asked for a link: WhatsApp's first code is shown.
	require.NoError(t, store.Heartbeat(bg, "clinic-server-1"))
	require.NoError(t, store.SetQR(bg, "2@Xk3vQ9mZ1pL7sT0aB4cD8eF2gH6jK1lM5nP9qR3sT7uV0wX4yZ8,"+
		"5dXWq0vS6m1J9kQ2rT8uY3iO7pA4sD0fG6hJ2kL8zX5cV1bN7mQ3=,GH7uY1tR5eW9qA3sD7fG1hJ5kL9zX3cV7bN1mQ5wE9r=", time.Now().Add(time.Minute)))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/console/signin?next=/console/settings/channels"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "manager@harbour.test"),
		chromedp.SendKeys(chromedp.ID("password"), "the manager's password"),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".qr-image")),
	))
	// Visible comes before loaded: wait for the image itself, then check its size.
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('.qr-image').complete`,
		chromedp.WithPollingTimeout(20*time.Second)))
	require.NoError(t, err)
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector('.qr-image').naturalWidth`))
	require.NoError(t, err)
	require.Equal(t, 320, loaded, "the QR image is drawn by the server")
	banner, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".channel-alert")))
	require.NoError(t, err)
	require.Contains(t, banner, "Telegram: webhook error.")
	require.Contains(t, banner, "502 Bad Gateway")
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024, "fits a front-desk tablet")
	failed, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#failures")))
	require.NoError(t, err)
	require.Contains(t, failed, "bot was blocked by the user")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/channels.png")

	// WhatsApp replaces the code: the page fetches the new image by itself.
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.qr-image').src`))
	require.NoError(t, err)
	require.NoError(t, store.Heartbeat(bg, "clinic-server-1"))
	require.NoError(t, store.SetQR(bg, "2@the-next-code", time.Now().Add(20*time.Second)))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('.qr-image') && document.querySelector('.qr-image').src !== `+quote(before)+
			` && document.querySelector('.qr-image').naturalWidth === 320`, chromedp.WithPollingTimeout(20*time.Second)))
	require.NoError(t, err)

	// The phone scans it: the page reloads into the linked state with the number and Unlink.
	require.NoError(t, store.Heartbeat(bg, "clinic-server-1"))
	require.NoError(t, store.SetAccount(bg, "+971501234567"))
	require.NoError(t, store.SetState(bg, whatsapp.Connected, ""))
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".channel-connected"))))
	page, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#whatsapp")))
	require.NoError(t, err)
	require.Contains(t, page, "+971501234567")
	require.Contains(t, page, "Unlink")
}

func quote(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		if r == '"' || r == '\\' {
			b = append(b, '\\')
		}
		b = append(b, string(r)...)
	}
	return string(append(b, '"'))
}
