package outbox_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

// fakeChannel is a Deliverer that records what it was given and answers as a test scripts it.
type fakeChannel struct {
	mu        sync.Mutex
	delivered []inbox.Outbound
	// answer, when set, decides each call's outcome from the 1-based call number; a panic in it is a
	// server dying after the channel took the message.
	answer func(call int, msg inbox.Outbound) error
}

func (f *fakeChannel) Deliver(_ context.Context, msg inbox.Outbound) error {
	f.mu.Lock()
	f.delivered = append(f.delivered, msg)
	n, answer := len(f.delivered), f.answer
	f.mu.Unlock()
	if answer == nil {
		return nil
	}
	return answer(n, msg)
}

func (f *fakeChannel) setAnswer(a func(call int, msg inbox.Outbound) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer = a
}

func (f *fakeChannel) calls() []inbox.Outbound {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]inbox.Outbound(nil), f.delivered...)
}

type testBundle struct {
	*schedtest.Bundle
	clinic *schedtest.Clinic
	store  *inbox.Store
	queue  *queue.Service
	ob     *outbox.Outbox
	tg     *fakeChannel
	cfg    outbox.Config
}

// setup builds an outbox with a Telegram deliverer on a fresh database with the scheduling fixtures'
// clinic; it is not started. Retries wait 10 ms.
func setup(t testing.TB, cfg outbox.Config) *testBundle {
	t.Helper()
	sb := schedtest.New(t)
	b := &testBundle{Bundle: sb, clinic: schedtest.NewClinic(t, sb.Svc), tg: &fakeChannel{}}
	if cfg.Backoff == nil {
		cfg.Backoff = func(int) time.Duration { return 10 * time.Millisecond }
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 20 * time.Millisecond
	}
	b.cfg = cfg
	b.ob = b.newOutbox(t)
	b.store = inbox.NewStore(sb.Pool, slog.New(slog.DiscardHandler), sb.Svc.Now, sb.Svc, b.ob, inbox.Config{BaseURL: "https://clinic.example"})
	b.queue = queue.New(sb.Pool, sb.Svc)
	b.ob.Use(b.store, b.queue)
	return b
}

// newOutbox is another server's outbox on the same database and channel.
func (b *testBundle) newOutbox(t testing.TB) *outbox.Outbox {
	t.Helper()
	ob, err := outbox.New(b.Pool, slog.New(slog.DiscardHandler), b.Svc.Now,
		map[inbox.Channel]channels.Deliverer{inbox.Telegram: b.tg}, b.cfg)
	require.NoError(t, err)
	if b.store != nil {
		ob.Use(b.store, b.queue)
	}
	return ob
}

// start starts ob and stops it when the test ends.
func start(t *testing.T, ob *outbox.Outbox) {
	t.Helper()
	require.NoError(t, ob.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, ob.Stop(ctx))
	})
}

// converse opens a Telegram conversation from chat, with the patient's phone vouched for when given
// (which links the conversation to the patient registered with it).
func (b *testBundle) converse(t testing.TB, chat, phone string) *inbox.Conversation {
	t.Helper()
	conv, _, _, err := b.store.Receive(context.Background(), nil, inbox.Inbound{Channel: inbox.Telegram,
		Address: chat, ExternalID: "hello:" + chat, Text: "hello", Name: "Maria", Phone: phone})
	require.NoError(t, err)
	return conv
}

// say records and queues text under key in conv, committed.
func (b *testBundle) say(t *testing.T, conv *inbox.Conversation, key, text string) *inbox.Message {
	t.Helper()
	msg, err := b.store.Say(context.Background(), nil, conv, inbox.Outbound{Key: key, Text: text})
	require.NoError(t, err)
	return msg
}

// message reads an outbound message's delivery and error.
func (b *testBundle) message(t *testing.T, id inbox.ID) (inbox.Delivery, string) {
	t.Helper()
	var d inbox.Delivery
	var reason string
	require.NoError(t, b.Pool.QueryRow(context.Background(), `SELECT delivery, error FROM messages WHERE id = $1`, id).Scan(&d, &reason))
	return d, reason
}

// waitDelivery waits until the message reaches want; when it does not, the failure shows where the
// message and its delivery jobs stand.
func (b *testBundle) waitDelivery(t *testing.T, id inbox.ID, want inbox.Delivery) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		d, reason := b.message(t, id)
		if d == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("message %d never became %s: it is %s (%q), its jobs %+v", id, want, d, reason, b.jobs(t, id))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// job is the delivery job of a message as the queue keeps it.
type job struct {
	state                    string
	attempt                  int
	scheduledAt, attemptedAt time.Time
}

func (b *testBundle) jobs(t *testing.T, messageID inbox.ID) []job {
	t.Helper()
	rows, err := b.Pool.Query(context.Background(), `SELECT state, attempt, scheduled_at, COALESCE(attempted_at, scheduled_at)
		FROM river_job WHERE kind = 'outbox_deliver' AND (args->>'message_id')::bigint = $1 ORDER BY id`, messageID)
	require.NoError(t, err)
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		require.NoError(t, rows.Scan(&j.state, &j.attempt, &j.scheduledAt, &j.attemptedAt))
		out = append(out, j)
	}
	require.NoError(t, rows.Err())
	return out
}

// count runs a count query.
func (b *testBundle) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.Pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

// book books the i-th extra patient (0: the clinic's own) at start, with a Telegram conversation
// from that patient unless chat is empty.
func (b *testBundle) book(t *testing.T, i int, start time.Time, chat string) *scheduling.Session {
	t.Helper()
	ctx := context.Background()
	patient := b.clinic.Patient
	if i > 0 {
		patient = b.clinic.AddPatient(t, b.Svc, i)
	}
	in := b.clinic.Booking(start)
	in.PatientID = patient.ID
	sess, err := b.Svc.Book(ctx, "test", in)
	require.NoError(t, err)
	if chat != "" {
		b.converse(t, chat, patient.Phone)
	}
	return sess
}

// outMessages lists the outbound texts in a chat, by key.
func (b *testBundle) outMessages(t *testing.T, chat string) map[string]string {
	t.Helper()
	rows, err := b.Pool.Query(context.Background(), `SELECT m.key, m.text FROM messages m
		JOIN conversations c ON c.id = m.conversation_id WHERE c.address = $1 AND m.direction = 'out'`, chat)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, text string
		require.NoError(t, rows.Scan(&k, &text))
		out[k] = text
	}
	require.NoError(t, rows.Err())
	return out
}
