package whatsapp_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"golang.org/x/time/rate"
	"google.golang.org/protobuf/proto"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

// phone is what the clinic's WhatsApp would send: the texts, to whom, under which ids.
type phone struct {
	mu   sync.Mutex
	sent []sentText
}

type sentText struct {
	To   string
	ID   types.MessageID
	Text string
}

func (p *phone) SendText(_ context.Context, to types.JID, id types.MessageID, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent = append(p.sent, sentText{To: to.String(), ID: id, Text: text})
	return nil
}

func (p *phone) since(n int) []sentText {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]sentText(nil), p.sent[n:]...)
}

// stack is the WhatsApp channel as the server runs it: whatsmeow's events into the adapter, the
// gateway with the dialogue, the inbox, and the outbox delivering through the Deliverer.
type stack struct {
	*schedtest.Bundle
	clinic  *schedtest.Clinic
	adapter *whatsapp.Adapter
	phone   *phone
	inbox   *inbox.Store
}

func setupStack(t *testing.T) *stack {
	t.Helper()
	sb := schedtest.New(t)
	st := &stack{Bundle: sb, clinic: schedtest.NewClinic(t, sb.Svc), phone: &phone{}}
	log := slog.New(slog.DiscardHandler)
	ob, err := outbox.New(sb.Pool, log, sb.Svc.Now, nil, outbox.Config{
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }, PollInterval: 20 * time.Millisecond})
	require.NoError(t, err)
	store := inbox.NewStore(sb.Pool, log, sb.Svc.Now, sb.Svc, ob, inbox.Config{BaseURL: "https://clinic.example"})
	ob.Use(store, queue.New(sb.Pool, sb.Svc))
	rdb, prefix := dbtest.NewRedis(t)
	gw := channels.NewGateway(sb.Pool, log, sb.Svc.Now, sb.Svc, store, rdb, prefix, "https://clinic.example")
	wa := whatsapp.NewStore(sb.Pool, sb.Svc.Now)
	st.adapter = whatsapp.NewAdapter(gw, wa, log).WithInbox(store)
	st.inbox = store
	ob.Register(inbox.WhatsApp, whatsapp.NewDeliverer(st.phone, wa, rate.NewLimiter(rate.Inf, 1)))
	require.NoError(t, ob.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, ob.Stop(ctx))
	})
	return st
}

func (st *stack) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// lid and pn are the patient as WhatsApp names them: a hidden id, with the phone beside it.
var (
	lid = types.NewJID("204019337646125", types.HiddenUserServer)
	pn  = types.NewJID("351912000111", types.DefaultUserServer)
)

// write delivers a text from the patient, checks it was acknowledged only as stored, and waits until
// every reply it caused has gone out.
func (st *stack) write(t *testing.T, id, text string) []sentText {
	t.Helper()
	before := len(st.phone.since(0))
	evt := &events.Message{
		Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: lid, Sender: lid, SenderAlt: pn},
			ID: id, PushName: "Maria", Timestamp: st.Svc.Now()},
		Message: &waE2E.Message{Conversation: proto.String(text)},
	}
	require.True(t, st.adapter.Event(context.Background(), evt), "stored, so acknowledged")
	require.Eventually(t, func() bool {
		return st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out' AND delivery <> 'sent'`) == 0
	}, 20*time.Second, 10*time.Millisecond, "every reply is delivered")
	return st.phone.since(before)
}

// numbered maps each numbered choice's label to the number to type back.
func numbered(t *testing.T, sent []sentText) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range sent {
		for _, line := range strings.Split(s.Text, "\n") {
			if num, label, ok := strings.Cut(line, ". "); ok && num != "" && strings.Trim(num, "0123456789") == "" {
				out[label] = num
			}
		}
	}
	require.NotEmpty(t, out, "no numbered choices in %v", sent)
	return out
}

func TestABookingConversationOnWhatsAppFromHelloToARecordedRequest(t *testing.T) {
	t.Parallel()
	st := setupStack(t)

	sent := st.write(t, "3EB0000001", "Hi")
	require.NotEmpty(t, sent)
	for _, s := range sent {
		require.Equal(t, "351912000111@s.whatsapp.net", s.To, "answered at the phone WhatsApp gave for the hidden id")
	}
	exams := numbered(t, sent)
	require.Contains(t, exams, "Consultation")

	days := numbered(t, st.write(t, "3EB0000002", exams["Consultation"]))
	require.Len(t, days, 5)
	slots := numbered(t, st.write(t, "3EB0000003", days["Tue 5 Jan"]))
	require.Contains(t, slots, "09:00")

	// WhatsApp delivers the same message twice: one stored message, one answer.
	sent = st.write(t, "3EB0000004", slots["09:00"])
	require.True(t, strings.HasPrefix(sent[0].Text, "What is your full name?"), sent[0].Text)
	require.Empty(t, st.write(t, "3EB0000004", slots["09:00"]))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM messages WHERE channel = 'whatsapp' AND external_id = '3EB0000004'`))

	sent = st.write(t, "3EB0000005", "Maria Lopes")
	require.Len(t, sent, 1)
	require.Contains(t, sent[0].Text, "Thank you, Maria! We have your request for Consultation on Tue 5 Jan at 09:00")

	var name, phoneNo, channel string
	var start time.Time
	require.NoError(t, st.Pool.QueryRow(context.Background(),
		`SELECT name, phone, channel, preferred_start FROM requests`).Scan(&name, &phoneNo, &channel, &start))
	require.Equal(t, []string{"Maria Lopes", "+351912000111", "whatsapp"}, []string{name, phoneNo, channel},
		"the number WhatsApp gave is the patient's verified phone, never asked")
	require.True(t, st.clinic.At(5, 9, 0).Equal(start))
	require.Equal(t, 1, st.count(t, `SELECT count(*) FROM requests`))

	// Each reply went out once, under the id its key gives it.
	ids := map[types.MessageID]bool{}
	for _, s := range st.phone.since(0) {
		require.False(t, ids[s.ID], "one WhatsApp id per reply")
		ids[s.ID] = true
	}
	require.Equal(t, st.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`), len(ids))
}
