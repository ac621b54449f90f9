package outbox_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/types"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

// waSent is what the WhatsApp deliverer handed to the client.
type waSent struct {
	to, text string
}

// waPhone is a WhatsApp client that records what it is asked to send.
type waPhone struct {
	mu   sync.Mutex
	sent []waSent
}

func (p *waPhone) SendText(_ context.Context, to types.JID, _ types.MessageID, text string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent = append(p.sent, waSent{to.String(), text})
	return nil
}

func (p *waPhone) texts() []waSent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]waSent(nil), p.sent...)
}

// whatsappBundle is the outbox fixture with the real WhatsApp deliverer (consent checked in the
// WhatsApp channel's tables) in front of a recording client, beside the Telegram one.
func whatsappBundle(t *testing.T) (*testBundle, *waPhone, *whatsapp.Deliverer) {
	t.Helper()
	sb := schedtest.New(t)
	b := &testBundle{Bundle: sb, clinic: schedtest.NewClinic(t, sb.Svc), tg: &fakeChannel{}}
	b.cfg = outbox.Config{Backoff: func(int) time.Duration { return 10 * time.Millisecond }, PollInterval: 20 * time.Millisecond}
	phone := &waPhone{}
	wa := whatsapp.NewDeliverer(phone, whatsapp.NewStore(sb.Pool, sb.Svc.Now), whatsapp.NewLimiter())
	ob, err := outbox.New(sb.Pool, slog.New(slog.DiscardHandler), sb.Svc.Now,
		map[inbox.Channel]channels.Deliverer{inbox.Telegram: b.tg, inbox.WhatsApp: wa}, b.cfg)
	require.NoError(t, err)
	b.ob = ob
	b.store = inbox.NewStore(sb.Pool, slog.New(slog.DiscardHandler), sb.Svc.Now, sb.Svc, b.ob, inbox.Config{BaseURL: "https://clinic.example"})
	b.queue = queue.New(sb.Pool, sb.Svc)
	b.ob.Use(b.store, b.queue)
	return b, phone, wa
}

// formBooking sends the booking form for phone in lang, with or without WhatsApp consent, and books it
// at start.
func formBooking(t *testing.T, b *testBundle, phone, lang string, consent bool, start time.Time) *inbox.Conversion {
	t.Helper()
	ctx := context.Background()
	c := b.clinic
	req, _, err := b.store.SubmitForm(ctx, inbox.FormInput{Name: "Layla Haddad", Phone: phone, Lang: lang,
		ExaminationID: &c.Consultation.ID, BranchID: &c.Branch.ID, Key: "form:" + phone, WhatsApp: consent, Via: inbox.ConsentViaForm}, nil)
	require.NoError(t, err)
	conv, err := b.store.Convert(ctx, req.ID, inbox.Staff{Name: "desk", Actor: "desk"},
		inbox.ConvertInput{Start: &start, DoctorID: &c.Doctor.ID})
	require.NoError(t, err)
	return conv
}

func TestAFormBookingWithWhatsAppConsentIsConfirmedAndRemindedOnWhatsApp(t *testing.T) {
	t.Parallel()
	b, phone, _ := whatsappBundle(t)
	c := b.clinic
	start(t, b.ob)
	booked := formBooking(t, b, "+971501234567", "ar", true, c.At(5, 10, 0))

	// The confirmation, with its confirm link, goes to a number that never wrote to the clinic.
	require.Eventually(t, func() bool { return len(phone.texts()) == 1 }, time.Minute, 10*time.Millisecond)
	got := phone.texts()[0]
	require.Equal(t, "971501234567@s.whatsapp.net", got.to)
	require.Contains(t, got.text, booked.ConfirmURL)
	require.Contains(t, got.text, "2027-01-05")

	// The day before, the reminder follows on WhatsApp, in Arabic.
	b.remindAt(t, c.At(4, 10, 0))
	require.Eventually(t, func() bool { return len(phone.texts()) == 2 }, time.Minute, 10*time.Millisecond)
	reminder := phone.texts()[1]
	require.Equal(t, "971501234567@s.whatsapp.net", reminder.to)
	require.Contains(t, reminder.text, "تذكير", reminder.text)
	msgs := b.outMessages(t, "971501234567@s.whatsapp.net")
	require.Len(t, msgs, 2)
	for key := range msgs {
		require.True(t, strings.HasPrefix(key, "confirm:") || strings.HasPrefix(key, "reminder:"), key)
	}
	require.Empty(t, b.tg.calls())
}

func TestAFormBookingWithoutConsentGetsNothingOnWhatsApp(t *testing.T) {
	t.Parallel()
	b, phone, wa := whatsappBundle(t)
	c := b.clinic
	start(t, b.ob)
	booked := formBooking(t, b, "+971507654321", "en", false, c.At(5, 10, 0))
	b.remindAt(t, c.At(4, 10, 0))

	lead, err := b.store.Get(context.Background(), 1)
	require.NoError(t, err)
	require.Contains(t, lead.Confirmation, booked.ConfirmURL, "left for staff to pass on, as before")
	require.Zero(t, b.count(t, `SELECT count(*) FROM messages`))

	// Asked to write to that number anyway, the WhatsApp channel refuses for good.
	err = wa.Deliver(context.Background(), inbox.Outbound{Key: "k", Channel: inbox.WhatsApp,
		Address: "971507654321@s.whatsapp.net", Text: "Your visit is confirmed"})
	require.ErrorIs(t, err, channels.ErrPermanent)
	require.Empty(t, phone.texts())
}
