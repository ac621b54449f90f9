package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/channels/telegram"
	"clinic/channels/telegram/telegramtest"
	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

// stack is the Telegram channel as the server runs it: the webhook, the gateway with the dialogue,
// the inbox store and the outbox delivering through the bot to a fake Bot API.
type stack struct {
	*schedtest.Bundle
	clinic  *schedtest.Clinic
	api     *telegramtest.API
	bot     *telegram.Bot
	store   *inbox.Store
	gw      *channels.Gateway
	webhook string
}

// setupStack builds the stack; deliver false leaves the outbox stopped, so replies stay queued.
func setupStack(t testing.TB, deliver ...bool) *stack {
	t.Helper()
	sb := schedtest.New(t)
	st := &stack{Bundle: sb, clinic: schedtest.NewClinic(t, sb.Svc), api: telegramtest.New(t)}
	log := slog.New(slog.DiscardHandler)
	ob, err := outbox.New(sb.Pool, log, sb.Svc.Now, nil, outbox.Config{
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }, PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	st.store = inbox.NewStore(sb.Pool, log, sb.Svc.Now, sb.Svc, ob, inbox.Config{BaseURL: "https://clinic.example"})
	ob.Use(st.store, queue.New(sb.Pool, sb.Svc))
	rdb, prefix := dbtest.NewRedis(t)
	gw := channels.NewGateway(sb.Pool, log, sb.Svc.Now, sb.Svc, st.store, rdb, prefix, "https://clinic.example")
	st.gw = gw
	st.bot, err = telegram.New(telegram.Config{Token: telegramtest.Token, WebhookSecret: secret,
		Endpoint: st.api.Endpoint(), BaseURL: "https://clinic.example"},
		telegram.Deps{Logger: log, Handler: gw, Refuser: telegram.NewStoreRefuser(st.store), Now: sb.Svc.Now})
	require.NoError(t, err)
	ob.Register(inbox.Telegram, st.bot)
	if len(deliver) == 0 || deliver[0] {
		require.NoError(t, ob.Start(context.Background()))
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, ob.Stop(ctx))
		})
	}
	srv := httptest.NewServer(st.bot)
	t.Cleanup(srv.Close)
	st.webhook = srv.URL + telegram.WebhookPath
	return st
}

func (st *stack) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// post delivers u through the webhook and waits until every reply it caused has reached Telegram.
func (st *stack) post(t *testing.T, u tgbotapi.Update) []telegramtest.Call {
	t.Helper()
	before := len(st.api.Calls("sendMessage"))
	require.Equal(t, 200, telegramtest.Post(t, st.webhook, secret, u))
	require.Eventually(t, func() bool {
		return st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND delivery <> 'sent'`) == 0
	}, 20*time.Second, 10*time.Millisecond, "every reply is delivered")
	return st.api.Calls("sendMessage")[before:]
}

// texts are the texts of sent messages.
func texts(calls []telegramtest.Call) []string {
	out := []string{}
	for _, c := range calls {
		out = append(out, c.Params.Get("text"))
	}
	return out
}

// keyboard is the reply_markup of a sent message.
type keyboard struct {
	Inline [][]struct {
		Text string `json:"text"`
		Data string `json:"callback_data"`
	} `json:"inline_keyboard"`
	Keyboard [][]struct {
		RequestContact bool `json:"request_contact"`
	} `json:"keyboard"`
}

func markupOf(t *testing.T, c telegramtest.Call) keyboard {
	t.Helper()
	var kb keyboard
	require.NoError(t, json.Unmarshal([]byte(c.Params.Get("reply_markup")), &kb))
	return kb
}

// buttons maps the inline buttons' labels to their callback data, from the one message of a turn
// that has them (the replies of one turn may reach Telegram in any order).
func buttons(t *testing.T, calls []telegramtest.Call) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range calls {
		for _, row := range markupOf(t, c).Inline {
			for _, b := range row {
				out[b.Text] = b.Data
			}
		}
	}
	require.NotEmpty(t, out, "no message of %v has buttons", texts(calls))
	return out
}

// asksPhone reports whether a message offers the contact button.
func asksPhone(t *testing.T, calls []telegramtest.Call) bool {
	t.Helper()
	for _, c := range calls {
		if kb := markupOf(t, c); len(kb.Keyboard) > 0 && kb.Keyboard[0][0].RequestContact {
			return true
		}
	}
	return false
}

func TestABookingConversationFromStartToARecordedRequest(t *testing.T) {
	t.Parallel()
	st := setupStack(t)
	maria := telegramtest.Patient{ID: 7001, FirstName: "Maria", Lang: "en"}

	sent := st.post(t, maria.Text(100, "/start"))
	require.Len(t, sent, 1, "the greeting and the question go as one message")
	require.True(t, strings.HasPrefix(texts(sent)[0], "Hello! I can book a visit for you."), texts(sent)[0])
	require.True(t, strings.HasSuffix(texts(sent)[0], "\n\nWhat would you like to book?"), texts(sent)[0])
	require.Equal(t, "7001", sent[0].Params.Get("chat_id"))
	exams := buttons(t, sent)
	require.Contains(t, exams, "Consultation")

	sent = st.post(t, maria.Press(101, "q-101", exams["Consultation"]))
	require.Equal(t, []string{"Which day suits you?"}, texts(sent))
	days := buttons(t, sent)
	require.Len(t, days, 5)

	sent = st.post(t, maria.Press(102, "q-102", days["Tue 5 Jan"]))
	require.Equal(t, []string{"These times are free on Tue 5 Jan. Which one would you like?"}, texts(sent))
	slots := buttons(t, sent)
	require.Contains(t, slots, "09:00")

	// Telegram delivers the same press twice: one message, one answer.
	sent = st.post(t, maria.Press(103, "q-103", slots["09:00"]))
	require.Equal(t, []string{"What is your full name?"}, texts(sent))
	require.Empty(t, st.post(t, maria.Press(103, "q-103", slots["09:00"])))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE channel = 'telegram' AND external_id = '123456:103'`))

	sent = st.post(t, maria.Text(104, "Maria Lopes"))
	require.Len(t, sent, 1)
	require.True(t, asksPhone(t, sent), "the phone is asked with the contact button")

	// Someone else's contact is refused politely, and the button offered again.
	sent = st.post(t, maria.Contact(105, 9999, "+351 913 000 999"))
	require.Equal(t, []string{"Thank you, but we can only take your own number. Please tap the button below to share it."}, texts(sent))
	require.True(t, asksPhone(t, sent))
	require.Zero(t, st.count(t, `SELECT count(*) FROM conversations WHERE phone = '+351913000999'`))
	require.Zero(t, st.count(t, `SELECT count(*) FROM messages WHERE text LIKE '%913%'`), "the foreign number is not kept")

	thanks := "Thank you, Maria! We have your request for Consultation on Tue 5 Jan at 09:00 " +
		"with Ana Ferreira at Lisbon. Our staff will confirm it shortly with a message here."
	sent = st.post(t, maria.Contact(106, 7001, "351912000111"))
	if texts(sent)[0] == "What is your full name?" {
		// The dialogue asks the name again when a verified phone arrives after it.
		sent = st.post(t, maria.Text(107, "Maria Lopes"))
	}
	require.Equal(t, []string{thanks}, texts(sent))

	var name, phone, channel string
	var start time.Time
	require.NoError(t, st.Pool.QueryRow(context.Background(),
		`SELECT name, phone, channel, preferred_start FROM requests`).Scan(&name, &phone, &channel, &start))
	require.Equal(t, []string{"Maria Lopes", "+351912000111", "telegram"}, []string{name, phone, channel})
	require.True(t, st.clinic.At(5, 9, 0).Equal(start))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM requests`))
	require.Equal(t, "+351912000111", phoneOf(t, st, "7001"))

	answered := st.api.Calls("answerCallbackQuery")
	require.Len(t, answered, 4, "each press is answered, the repeated one too")
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE channel = 'telegram' AND external_id = '123456:105'`))
}

func phoneOf(t *testing.T, st *stack, chat string) string {
	var phone string
	require.NoError(t, st.Pool.QueryRow(context.Background(),
		`SELECT phone FROM conversations WHERE channel = 'telegram' AND address = $1`, chat).Scan(&phone))
	return phone
}

func TestAFailingSendMessageIsRetriedAndRetryAfterIsRespected(t *testing.T) {
	t.Parallel()
	st := setupStack(t)
	maria := telegramtest.Patient{ID: 7002, FirstName: "Maria", Lang: "en"}
	exams := buttons(t, st.post(t, maria.Text(200, "hello")))

	st.api.Script("sendMessage",
		telegramtest.Reply{Code: 502, Message: "Bad Gateway"},
		telegramtest.Reply{Code: 429, Message: "Too Many Requests: retry after 1", RetryAfter: 1},
	)
	sent := st.post(t, maria.Press(201, "q-201", exams["Consultation"]))

	// The reply failed twice and went out on the third try, no sooner than retry_after asked.
	require.Equal(t, []string{"Which day suits you?", "Which day suits you?", "Which day suits you?"}, texts(sent))
	require.GreaterOrEqual(t, sent[2].At.Sub(sent[1].At), time.Second)
	require.Equal(t, 2, st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND delivery = 'sent'`),
		"the first turn's message and this one")
}

func TestTheSameUpdateTwiceIsOneStoredMessage(t *testing.T) {
	t.Parallel()
	st := setupStack(t)
	maria := telegramtest.Patient{ID: 7003, FirstName: "Maria", Lang: "en"}
	first := st.post(t, maria.Text(300, "hello"))
	again := st.post(t, maria.Text(300, "hello"))
	require.NotEmpty(t, first)
	require.Empty(t, again, "nothing is answered twice")
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`))
	require.Equal(t, len(first), st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

// Telegram may deliver an update again before the first delivery's answer reached it: deliveries of
// one update that arrive together still make one message and one answer, and every one gets 200.
func TestOneUpdateDeliveredManyTimesAtOnceIsOneMessageAndOneAnswer(t *testing.T) {
	t.Parallel()
	st := setupStack(t, false)
	u := telegramtest.Patient{ID: 7005, FirstName: "Maria", Lang: "en"}.Text(500, "hello")
	const deliveries = 12
	statuses := make(chan error, deliveries)
	for range deliveries {
		go func() {
			status, err := telegramtest.Deliver(http.DefaultClient, st.webhook, secret, u)
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("status %d", status)
			}
			statuses <- err
		}()
	}
	for range deliveries {
		require.NoError(t, <-statuses)
	}
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM river_job WHERE queue = 'outbox'`))
}

func TestAForeignContactIsOnlyStoredWhileStaffHoldTheConversation(t *testing.T) {
	t.Parallel()
	st := setupStack(t)
	maria := telegramtest.Patient{ID: 7004, FirstName: "Maria", Lang: "en"}
	require.NotEmpty(t, st.post(t, maria.Text(400, "hello")))
	conv, _, _, err := st.store.Receive(context.Background(), nil, inbox.Inbound{Channel: inbox.Telegram, Address: "7004",
		ExternalID: "401", Text: "human"})
	require.NoError(t, err)
	conv.Handover = true
	require.NoError(t, st.store.UpdateConversation(context.Background(), nil, conv))

	require.Empty(t, st.post(t, maria.Contact(402, 9999, "+351 913 000 999")))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE channel = 'telegram' AND external_id = '123456:402'`))
}
