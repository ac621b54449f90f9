package dialogue_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/scheduling/schedtest"
)

// TestDirectBookingBooksTheHeldSlot: where the clinic lets the bots book, the request becomes a
// visit in the slot the patient picked, and the confirmation with its link goes out on their channel.
func TestDirectBookingBooksTheHeldSlot(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	settings, err := tb.Store.Settings(ctx)
	require.NoError(t, err)
	settings.DirectBooking = true
	_, err = tb.Store.SaveSettings(ctx, settings)
	require.NoError(t, err)

	c := tb.chat(inbox.WhatsApp, "351912000666@s.whatsapp.net").withPhone("+351912000666")
	c.play(t, []turn{
		{"hi", []string{enWelcome, enAskExam}},
		{"1", []string{enAskDay}},
		{"@y:2027-01-05", []string{enSlots5}},
		{"09:30", []string{enAskName}},
		{"Nuno Alves", []string{"Thank you, Nuno! I am booking your Consultation on Tue 5 Jan at 09:30 with Ana Ferreira " +
			"at Lisbon. The confirmation with its link follows in a moment."}},
	})
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests WHERE status = 'converted'`))
	var start = tb.Clinic.At(5, 9, 30)
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM sessions s JOIN patients p ON p.id = s.patient_id
		WHERE s.starts_at = $1 AND p.phone = '+351912000666' AND p.name = 'Nuno Alves'`, start))
	sent := tb.Sender.Sent()
	require.Contains(t, sent[len(sent)-1].Text, "Your visit is booked")
	require.Contains(t, sent[len(sent)-1].Text, "https://clinic.example/c/")

	// A time booked at the desk after it was held cannot be booked by the bot: staff get the request.
	other := tb.chat(inbox.Telegram, "6006").withPhone("+351912000667")
	other.play(t, []turn{{"hi", []string{enWelcome, enAskExam}}, {"1", []string{enAskDay}},
		{"@y:2027-01-05", []string{"These times are free on Tue 5 Jan. Which one would you like? [{s:5 800}=08:00 | " +
			"{s:5 830}=08:30 | {s:5 900}=09:00 | {s:5 1000}=10:00 | {s:5 1030}=10:30]"}},
		{"08:00", []string{enAskName}}})
	cl := tb.Clinic
	schedtest.Must(tb.Svc.Book(ctx, "desk", cl.Booking(cl.At(5, 8, 0))))(t)
	other.send(t, "Rita Sousa")
	sent = tb.Sender.Sent()
	require.Equal(t, "Sorry, that time could not be booked automatically. Our staff have your request and will "+
		"contact you here shortly.", sent[len(sent)-1].Text)
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests WHERE status = 'new' AND name = 'Rita Sousa'`))
}
