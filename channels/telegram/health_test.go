package telegram_test

import (
	"context"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/telegram"
	"clinic/inbox"
)

func TestRunRegistersTheWebhookWithItsSecret(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	require.NoError(t, tb.bot.Run(context.Background()))

	require.Len(t, tb.api.Calls("getMe"), 1)
	set := tb.api.Calls("setWebhook")
	require.Len(t, set, 1)
	require.Equal(t, "https://clinic.example/webhooks/telegram", set[0].Params.Get("url"))
	require.Equal(t, secret, set[0].Params.Get("secret_token"))
	require.Equal(t, `["message","callback_query"]`, set[0].Params.Get("allowed_updates"))
}

func TestRunRetriesUntilTelegramAnswers(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.api.Script("getMe", telegramtestReply(502))
	tb.api.Script("setWebhook", telegramtestReply(500))
	require.NoError(t, tb.bot.Run(context.Background()))
	require.Len(t, tb.api.Calls("getMe"), 3)
	require.Len(t, tb.api.Calls("setWebhook"), 2)
}

func TestHealthFromTheWebhookInfo(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	require.NoError(t, tb.bot.Run(ctx))

	tb.api.SetWebhookInfo(tgbotapi.WebhookInfo{URL: "https://clinic.example/webhooks/telegram", PendingUpdateCount: 3})
	require.Equal(t, channels.Health{Channel: inbox.Telegram, State: "webhook_ok", Detail: "3 updates waiting"}, tb.bot.Health(ctx))

	// Read again only after the cache's time.
	errAt := tb.clock.Add(-time.Minute)
	tb.api.SetWebhookInfo(tgbotapi.WebhookInfo{URL: "https://clinic.example/webhooks/telegram", PendingUpdateCount: 12,
		LastErrorDate: int(errAt.Unix()), LastErrorMessage: "Wrong response from the webhook: 500 Internal Server Error"})
	require.Equal(t, "webhook_ok", tb.bot.Health(ctx).State)
	require.Len(t, tb.api.Calls("getWebhookInfo"), 1)

	*tb.clock = tb.clock.Add(31 * time.Second)
	h := tb.bot.Health(ctx)
	require.Equal(t, "webhook_error", h.State)
	require.True(t, h.Down)
	require.Equal(t, "Wrong response from the webhook: 500 Internal Server Error; 12 updates waiting", h.Detail)
	require.Equal(t, errAt.Unix(), h.Since.Unix())

	// An error long past no longer counts.
	*tb.clock = tb.clock.Add(11 * time.Minute)
	require.Equal(t, "webhook_ok", tb.bot.Health(ctx).State)

	*tb.clock = tb.clock.Add(time.Minute)
	tb.api.SetWebhookInfo(tgbotapi.WebhookInfo{URL: ""})
	h = tb.bot.Health(ctx)
	require.Equal(t, channels.Health{Channel: inbox.Telegram, State: "webhook_error", Down: true,
		Detail: "the webhook is not registered; 0 updates waiting"}, h)
}

func TestHealthWhenTelegramCannotBeReached(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.api.Script("getWebhookInfo", telegramtestReply(502))
	h := tb.bot.Health(context.Background())
	require.Equal(t, "webhook_error", h.State)
	require.True(t, h.Down)
	require.Contains(t, h.Detail, "Telegram cannot be reached")
}

func TestNewRefusesAnIncompleteConfiguration(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	deps := telegram.Deps{Handler: rec, Refuser: rec}
	for _, cfg := range []telegram.Config{
		{WebhookSecret: secret, BaseURL: "https://clinic.example"},
		{Token: "t", BaseURL: "https://clinic.example"},
		{Token: "t", WebhookSecret: secret},
		{Token: "t", Mode: "carrier-pigeon"},
		{Token: "t", Mode: telegram.ModePolling},
		{Token: "t", Mode: telegram.ModePolling, Endpoint: "https://api.telegram.org/%s"},
	} {
		_, err := telegram.New(cfg, deps)
		require.Error(t, err, "%+v", cfg)
	}
}
