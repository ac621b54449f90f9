package whatsapp_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"clinic/inbox"
	"clinic/inbox/texts"
)

// from delivers a text from sender (a phone JID) and waits until nothing is left queued.
func (st *stack) from(t *testing.T, sender types.JID, id, text string) []sentText {
	t.Helper()
	before := len(st.phone.since(0))
	evt := &events.Message{
		Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: sender, Sender: sender},
			ID: id, PushName: "Maria", Timestamp: st.Svc.Now()},
		Message: &waE2E.Message{Conversation: proto.String(text)},
	}
	require.True(t, st.adapter.Event(context.Background(), evt), "stored, so acknowledged")
	st.settled(t)
	return st.phone.since(before)
}

// settled waits until every queued message has been delivered or has failed.
func (st *stack) settled(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool {
		return st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND delivery = 'queued'`) == 0
	}, 20*time.Second, 10*time.Millisecond, "every message is delivered or failed")
}

// clinicSays queues a message the clinic starts (as a reminder is) in the WhatsApp conversation of
// address and returns where it ended: its delivery and the reason it failed.
func (st *stack) clinicSays(t *testing.T, address, key string) (inbox.Delivery, string) {
	t.Helper()
	ctx := context.Background()
	conv, _, err := st.inbox.ConversationMessages(ctx, inbox.WhatsApp, address, 1)
	require.NoError(t, err)
	msg, err := st.inbox.Say(ctx, nil, conv, inbox.Outbound{Key: key, Lang: "en", Text: "Reminder: your visit is tomorrow at 09:00"})
	require.NoError(t, err)
	st.settled(t)
	var d inbox.Delivery
	var reason string
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT delivery, error FROM messages WHERE id = $1`, msg.ID).Scan(&d, &reason))
	return d, reason
}

func TestStopOnWhatsAppWithdrawsConsentUntilThePatientWritesAgain(t *testing.T) {
	t.Parallel()
	st := setupStack(t)
	ctx := context.Background()
	addr := pn.String()

	require.NotEmpty(t, st.from(t, pn, "3EB0100001", "Hi"), "the bot answers as always")
	d, _ := st.clinicSays(t, addr, "remind:1")
	require.Equal(t, inbox.DeliverySent, d, "before STOP the clinic may write")

	sent := st.from(t, pn, "3EB0100002", "STOP")
	require.Len(t, sent, 1, "one acknowledgement, no answer from the bot")
	require.Equal(t, texts.T("en", "whatsapp.stopped"), sent[0].Text)
	require.Equal(t, addr, sent[0].To)
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE channel = 'whatsapp' AND direction = 'in' AND text = 'STOP'`),
		"staff see the STOP in the conversation")

	// The opt-out is kept as the clinic's record: when, what was written, in which message.
	var at time.Time
	var words, msgID string
	var ended *time.Time
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT at, words, message_id, ended_at FROM whatsapp_opt_outs WHERE address = $1`, addr).
		Scan(&at, &words, &msgID, &ended))
	require.True(t, at.Equal(st.Svc.Now()), "at %s", at)
	require.Equal(t, "STOP", words)
	require.Equal(t, "3EB0100002", msgID)
	require.Nil(t, ended)

	// WhatsApp delivering the STOP again changes nothing and sends nothing.
	require.Empty(t, st.from(t, pn, "3EB0100002", "STOP"))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM whatsapp_opt_outs`))

	// What the clinic starts now fails for good, with a reason staff can read.
	before := len(st.phone.since(0))
	d, reason := st.clinicSays(t, addr, "remind:2")
	require.Equal(t, inbox.DeliveryFailed, d)
	require.Contains(t, reason, "wrote STOP on WhatsApp")
	require.Contains(t, reason, "until they write again")
	require.Len(t, st.phone.since(before), 0, "nothing reached the phone")

	// Writing again is opting in again: the bot answers, the clinic may write, the record shows it.
	require.NotEmpty(t, st.from(t, pn, "3EB0100003", "Hi again"))
	d, _ = st.clinicSays(t, addr, "remind:3")
	require.Equal(t, inbox.DeliverySent, d)
	var endedBy string
	require.NoError(t, st.Pool.QueryRow(ctx, `SELECT ended_at, ended_by FROM whatsapp_opt_outs WHERE address = $1`, addr).Scan(&ended, &endedBy))
	require.NotNil(t, ended)
	require.Equal(t, "wrote", endedBy)
}

func TestStopInArabicIsAcknowledgedInArabic(t *testing.T) {
	t.Parallel()
	st := setupStack(t)
	other := types.NewJID("971501234567", types.DefaultUserServer)
	for i, word := range []string{"إيقاف", "الغاء الاشتراك", " Unsubscribe! "} {
		sent := st.from(t, other, "3EB02000"+string(rune('1'+i)), word)
		require.Len(t, sent, 1, word)
		if i < 2 {
			require.Equal(t, texts.T("ar", "whatsapp.stopped"), sent[0].Text, word)
		}
	}
	require.Equal(t, 3, st.count(t, `SELECT count(*) FROM whatsapp_opt_outs WHERE address = $1`, other.String()))
	require.Equal(t, 0, st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND delivery = 'failed'`))
}
