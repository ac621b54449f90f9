package dialogue_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
)

const enLost = "Sorry, I lost my place in our conversation, so let's start again."

// forget deletes the conversation's state from Redis, as a restart without persistence or an
// eviction does.
func (c *chat) forget(t *testing.T) {
	t.Helper()
	key := c.tb.prefix + "dialogue:" + conversationID(t, c.tb, c.ch, c.addr).String()
	n, err := c.tb.rdb.Del(context.Background(), key).Result()
	require.NoError(t, err)
	require.Equal(t, int64(1), n, "no state at %s", key)
}

// TestLostStateSaysSoAndStartsAgain: when the state of a conversation under way is gone, the bot
// says it lost its place (in the conversation's language) and asks the first question, and what was
// recorded before stays.
func TestLostStateSaysSoAndStartsAgain(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Chatbot, "web-lost")
	c.play(t, slices.Concat(toPhoneQuestion, []turn{
		{"+351 912 000 333", []string{fmt.Sprintf(enRecorded9, "Rui")}},
		{"one more", []string{"Welcome back, Rui! At any time you can write \"status\", \"my bookings\", \"human\", " +
			"\"start over\" or \"language\".", enAskExam}},
		{"1", []string{enAskDay}},
	}))
	tb.advance(10 * time.Minute)
	c.forget(t)
	c.play(t, []turn{
		{"@y:2027-01-06", []string{enLost, enAskExam}},
		{"1", []string{enAskDay}},
	})
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests WHERE name = 'Rui Costa' AND status = 'new'`))

	ar := tb.chat(inbox.WhatsApp, "351912000777@s.whatsapp.net")
	ar.send(t, "مرحبا")
	ar.forget(t)
	ar.play(t, []turn{{"١", []string{"عذرًا، فقدتُ موضعي في محادثتنا، فلنبدأ من جديد.",
		"ماذا تودّ أن تحجز؟ [x:{C}=Consultation | x:{E}=ECG]"}}})
}

// TestLostStateAfterTheTimeOutIsANewConversation: a patient last heard from longer ago than the
// time-out is greeted as at the start, state or not.
func TestLostStateAfterTheTimeOutIsANewConversation(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Chatbot, "web-gone")
	c.play(t, []turn{{"hi", []string{enWelcome, enAskExam}}, {"1", []string{enAskDay}}})
	tb.advance(31 * time.Minute)
	c.forget(t)
	c.play(t, []turn{{"hello", []string{enWelcome, enAskExam}}})
}
