package telegram_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/telegram/telegramtest"
	"clinic/inbox"
)

func markup(t *testing.T, c telegramtest.Call) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(c.Params.Get("reply_markup")), &m))
	return m
}

func TestDeliverChoicesAsAnInlineKeyboard(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	err := tb.bot.Deliver(ctx, inbox.Outbound{Channel: inbox.Telegram, Address: "501", Text: "Which day?",
		Choices: []inbox.Choice{{ID: "d:1", Label: "Mon 4"}, {ID: "d:2", Label: "Tue 5"},
			{ID: "d:3", Label: "Wednesday 6 January, afternoon"}, {ID: "d:4", Label: "Thu 7"}}})
	require.NoError(t, err)

	sent := tb.api.Calls("sendMessage")
	require.Len(t, sent, 1)
	require.Equal(t, "501", sent[0].Params.Get("chat_id"))
	require.Equal(t, "Which day?", sent[0].Params.Get("text"))
	require.Equal(t, map[string]any{"inline_keyboard": []any{
		[]any{button("Mon 4", "d:1"), button("Tue 5", "d:2")},
		[]any{button("Wednesday 6 January, afternoon", "d:3")},
		[]any{button("Thu 7", "d:4")},
	}}, markup(t, sent[0]))
}

func button(label, data string) map[string]any {
	return map[string]any{"text": label, "callback_data": data}
}

func TestDeliverAsksThePhoneWithAContactButton(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	err := tb.bot.Deliver(context.Background(), inbox.Outbound{Channel: inbox.Telegram, Address: "501",
		Text: "ما رقم هاتفك؟", AskPhone: true, Lang: "ar"})
	require.NoError(t, err)
	m := markup(t, tb.api.Calls("sendMessage")[0])
	require.Equal(t, []any{[]any{map[string]any{"text": "مشاركة رقم هاتفي", "request_contact": true}}}, m["keyboard"])
	require.Equal(t, true, m["one_time_keyboard"])

	require.NoError(t, tb.bot.Deliver(context.Background(), inbox.Outbound{Channel: inbox.Telegram, Address: "501", Text: "Thanks"}))
	require.Equal(t, true, markup(t, tb.api.Calls("sendMessage")[1])["remove_keyboard"], "a plain message takes the contact button away")
}

func TestDeliverRefusesWhatTelegramCannotCarry(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	long := string(make([]byte, 65))
	for _, msg := range []inbox.Outbound{
		{Address: "not-a-chat", Text: "hi"},
		{Address: "501", Text: ""},
		{Address: "501", Text: "pick", Choices: []inbox.Choice{{ID: long, Label: "x"}}},
	} {
		require.ErrorIs(t, tb.bot.Deliver(context.Background(), msg), channels.ErrPermanent, "%+v", msg)
	}
	require.Empty(t, tb.api.Calls("sendMessage"))
}

func TestDeliverFailuresSayWhetherToRetry(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	msg := inbox.Outbound{Channel: inbox.Telegram, Address: "501", Text: "Your visit is tomorrow at 09:00"}
	tb.api.Script("sendMessage",
		telegramtest.Reply{Code: 502, Message: "Bad Gateway"},
		telegramtest.Reply{Code: 429, Message: "Too Many Requests: retry after 7", RetryAfter: 7},
		telegramtest.Reply{Code: 400, Message: "Bad Request: chat not found"},
		telegramtest.Reply{Code: 403, Message: "Forbidden: bot was blocked by the user"},
	)

	err := tb.bot.Deliver(ctx, msg)
	require.Error(t, err)
	require.NotErrorIs(t, err, channels.ErrPermanent, "a server error is retried")
	var after *channels.RetryAfter
	require.False(t, errors.As(err, &after))

	err = tb.bot.Deliver(ctx, msg)
	require.ErrorAs(t, err, &after)
	require.Equal(t, 7*time.Second, after.After)

	require.ErrorIs(t, tb.bot.Deliver(ctx, msg), channels.ErrPermanent)
	require.ErrorIs(t, tb.bot.Deliver(ctx, msg), channels.ErrPermanent)

	require.NoError(t, tb.bot.Deliver(ctx, msg), "the script is spent: Telegram takes the message")
	require.Len(t, tb.api.Calls("sendMessage"), 5)
}

func TestDeliverStopsWithItsContext(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := tb.bot.Deliver(ctx, inbox.Outbound{Channel: inbox.Telegram, Address: "501", Text: "hi"})
	require.ErrorIs(t, err, context.Canceled)
}

func TestDeliverSplitsATextTooLongForOneMessage(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	line := strings.Repeat("word ", 199) + "end.\n" // 1,000 characters
	text := strings.Repeat(line, 9)
	err := tb.bot.Deliver(context.Background(), inbox.Outbound{Channel: inbox.Telegram, Address: "501", Text: text,
		Choices: []inbox.Choice{{ID: "ok", Label: "OK"}}})
	require.NoError(t, err)
	sent := tb.api.Calls("sendMessage")
	require.Len(t, sent, 3)
	var joined []string
	for i, c := range sent {
		part := c.Params.Get("text")
		require.LessOrEqual(t, utf8.RuneCountInString(part), 4000)
		require.True(t, strings.HasSuffix(strings.TrimSpace(part), "end."), "part %d is cut at a line's end", i)
		joined = append(joined, part)
		require.Equal(t, i == 2, c.Params.Get("reply_markup") != "", "only the last part has the keyboard")
	}
	require.Equal(t, text, strings.Join(joined, "\n"))
}
