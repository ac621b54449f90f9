package telegram_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels/telegram"
	"clinic/channels/telegram/telegramtest"
	"clinic/inbox"
)

const secret = "s3cret-webhook-token_0123"

// recorder is a channels.Handler and a telegram.Refuser that keeps what it was given, once per
// external id as the inbox does, and fails the next `fail` calls.
type recorder struct {
	mu   sync.Mutex
	fail int
	got  []inbox.Inbound
	seen map[string]bool
}

func (r *recorder) Handle(_ context.Context, in inbox.Inbound) ([]inbox.Outbound, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		return nil, errors.New("the database is down")
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if !r.seen[in.ExternalID] {
		r.seen[in.ExternalID] = true
		r.got = append(r.got, in)
	}
	return nil, nil
}

func (r *recorder) Refuse(ctx context.Context, in inbox.Inbound) error {
	_, err := r.Handle(ctx, in)
	return err
}

func (r *recorder) inbound() []inbox.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]inbox.Inbound{}, r.got...)
}

type testBundle struct {
	api     *telegramtest.API
	bot     *telegram.Bot
	handler *recorder
	refused *recorder
	// webhook is the address of the bot's webhook handler.
	webhook string
	clock   *time.Time
}

func setup(t *testing.T, mutate ...func(*telegram.Config, *telegram.Deps)) *testBundle {
	t.Helper()
	tb := &testBundle{api: telegramtest.New(t), handler: &recorder{}, refused: &recorder{}}
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	tb.clock = &now
	cfg := telegram.Config{Token: telegramtest.Token, WebhookSecret: secret, Endpoint: tb.api.Endpoint(),
		BaseURL: "https://clinic.example", RetryDelay: 10 * time.Millisecond}
	deps := telegram.Deps{Handler: tb.handler, Refuser: tb.refused, Now: func() time.Time { return *tb.clock }}
	for _, m := range mutate {
		m(&cfg, &deps)
	}
	bot, err := telegram.New(cfg, deps)
	require.NoError(t, err)
	tb.bot = bot
	srv := httptest.NewServer(bot)
	t.Cleanup(srv.Close)
	tb.webhook = srv.URL + telegram.WebhookPath
	return tb
}

func TestWebhookRefusesAWrongOrMissingSecret(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana", Lang: "pt-br"}

	require.Equal(t, 401, telegramtest.Post(t, tb.webhook, "", ana.Text(10, "hello")))
	require.Equal(t, 401, telegramtest.Post(t, tb.webhook, "s3cret-webhook-token_0124", ana.Text(11, "hello")))
	require.Equal(t, 401, telegramtest.Post(t, tb.webhook, secret[:10], ana.Text(12, "hello")))
	require.Empty(t, tb.handler.inbound(), "nothing is stored without the secret")

	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Text(13, "hello")))
	require.Equal(t, []inbox.Inbound{{Channel: inbox.Telegram, Address: "501", ExternalID: "123456:13", Text: "hello",
		Name: "Ana", Lang: "pt", At: tb.handler.inbound()[0].At}}, tb.handler.inbound())
}

func TestWebhookAnswers500UntilTheUpdateIsStored(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tb.handler.fail = 1
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}

	require.Equal(t, 500, telegramtest.Post(t, tb.webhook, secret, ana.Text(20, "hello")))
	require.Empty(t, tb.handler.inbound())
	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Text(20, "hello")))
	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Text(20, "hello")))
	require.Len(t, tb.handler.inbound(), 1)
}

func TestWebhookRefusesWhatIsNotAnUpdate(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, body := range []string{"", "{", `{"update_id": "x"}`, `{"message": {"text": "hi"}}`, `[]`} {
		resp, err := httpPost(tb.webhook, secret, body)
		require.NoError(t, err)
		require.Equal(t, 400, resp, body)
	}
	require.Empty(t, tb.handler.inbound())
}

func TestWebhookIgnoresGroupsAndMessagesWithoutText(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}
	group := ana.Text(30, "hello all")
	group.Message.Chat.Type = "group"
	sticker := ana.Text(31, "")
	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, group))
	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, sticker))
	require.Empty(t, tb.handler.inbound())
}

func TestContactIsThePhoneOnlyWhenItIsTheSendersOwn(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana", Lang: "ar"}

	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Contact(40, 501, "351 912 345 678")))
	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Contact(41, 777, "+351 911 111 111")))
	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Contact(42, 0, "+351 911 111 111")))

	got := tb.handler.inbound()
	require.Len(t, got, 1)
	require.Equal(t, "+351912345678", got[0].Phone)
	require.Equal(t, "123456:40", got[0].ExternalID)
	refused := tb.refused.inbound()
	require.Len(t, refused, 2, "someone else's contact, and one without a user id, are refused")
	for _, in := range refused {
		require.Empty(t, in.Phone)
		require.Equal(t, "501", in.Address)
	}
}

func TestCallbackQueryIsHandledThenAnswered(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}

	tb.handler.fail = 1
	require.Equal(t, 500, telegramtest.Post(t, tb.webhook, secret, ana.Press(50, "q-1", "exam:3")))
	require.Empty(t, tb.api.Calls("answerCallbackQuery"), "a press that was not stored is not answered")

	require.Equal(t, 200, telegramtest.Post(t, tb.webhook, secret, ana.Press(50, "q-1", "exam:3")))
	got := tb.handler.inbound()
	require.Len(t, got, 1)
	require.Equal(t, "exam:3", got[0].Choice)
	require.Equal(t, "501", got[0].Address)
	answers := tb.api.Calls("answerCallbackQuery")
	require.Len(t, answers, 1)
	require.Equal(t, "q-1", answers[0].Params.Get("callback_query_id"))
}

func TestANilBotIsOff(t *testing.T) {
	t.Parallel()
	var bot *telegram.Bot
	srv := httptest.NewServer(bot)
	t.Cleanup(srv.Close)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}
	require.Equal(t, 404, telegramtest.Post(t, srv.URL+telegram.WebhookPath, secret, ana.Text(1, "hi")))
	require.Equal(t, "off", bot.Health(context.Background()).State)
}

func TestUpdateIDsCountPerBot(t *testing.T) {
	t.Parallel()
	first := setup(t)
	other := setup(t, func(c *telegram.Config, d *telegram.Deps) {
		c.Token = "654321:another-bot"
		d.Handler = first.handler
	})
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}
	require.Equal(t, 200, telegramtest.Post(t, first.webhook, secret, ana.Text(13, "hello")))
	require.Equal(t, 200, telegramtest.Post(t, other.webhook, secret, ana.Text(13, "hello again")))
	got := first.handler.inbound()
	require.Len(t, got, 2, "a clinic's new bot starts its update ids anew; its updates are new messages")
	require.Equal(t, []string{"123456:13", "654321:13"}, []string{got[0].ExternalID, got[1].ExternalID})
}
