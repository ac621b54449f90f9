package dialogue_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// TestHumanHandoverKeepsTheBotQuietUntilStaffHandBack: "human" hands over; the patient's next
// messages are stored and answered by nobody but staff; once staff hand back, the bot answers again.
func TestHumanHandoverKeepsTheBotQuietUntilStaffHandBack(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Chatbot, "web-h")
	c.play(t, []turn{
		{"hi", []string{enWelcome, enAskExam}},
		{"I want to talk to a person", []string{enHelp, enAskExam}},
		{"Human", []string{"A member of our staff will answer you here shortly."}},
		{"hello?", nil},
		{"is anyone there", nil},
	})
	id := conversationID(t, tb, inbox.Chatbot, "web-h")
	require.Equal(t, 5, tb.count(t, `SELECT count(*) FROM messages WHERE conversation_id = $1 AND direction = 'in'`, id))
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM conversations WHERE handover`))

	conv, err := tb.Store.Conversation(context.Background(), id)
	require.NoError(t, err)
	conv.Handover = false
	require.NoError(t, tb.Store.UpdateConversation(context.Background(), nil, conv))
	c.play(t, []turn{{"thanks, booking now", []string{enWelcome, enAskExam}}})
}

// TestStatusAnswersThePlaceInTheQueue: a WhatsApp number the channel vouches for is the patient's,
// greeted by name; "status" answers their place today and the expected time, and asks for a phone
// number first where none is known.
func TestStatusAnswersThePlaceInTheQueue(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	cl := tb.Clinic
	ctx := context.Background()
	*tb.Clock = cl.At(4, 8, 0)
	ahead := cl.Booking(cl.At(4, 9, 0))
	ahead.PatientID = cl.AddPatient(t, tb.Svc, 1).ID
	first := schedtest.Must(tb.Svc.Book(ctx, "desk", ahead))(t)
	mine := schedtest.Must(tb.Svc.Book(ctx, "desk", cl.Booking(cl.At(4, 9, 30))))(t)
	schedtest.Must(tb.Svc.CheckIn(ctx, "desk", first.ID))(t)
	schedtest.Must(tb.Svc.CheckIn(ctx, "desk", mine.ID))(t)

	wa := tb.chat(inbox.WhatsApp, "351912345671@s.whatsapp.net")
	wa.phone = cl.Patient.Phone
	got := wa.send(t, "hi")
	require.Equal(t, []string{`Welcome back, Maria! At any time you can write "status", "my bookings", "human", "start over" or "language".` +
		"\n\n" + tb.fill(enAskExam)}, got)
	// The place and the expected time; then the question the patient was at, again, in the same message.
	for _, ask := range []string{"Status", "where am i?"} {
		got = wa.send(t, ask)
		require.Len(t, got, 1)
		require.Regexp(t, `^Lisbon, your 09:30 visit: people ahead of you: 1\. Expected between \d\d:\d\d and \d\d:\d\d\.\n\n`, got[0])
		require.True(t, strings.HasSuffix(got[0], tb.fill(enAskExam)), got[0])
	}

	web := tb.chat(inbox.Chatbot, "web-s")
	web.play(t, []turn{{"status", []string{enAskPhone}}})
	got = web.send(t, "+351 912 345 671")
	require.Len(t, got, 1)
	require.Regexp(t, `^Lisbon, your 09:30 visit: people ahead of you: 1\.`, got[0])
	require.Equal(t, []string{"I cannot find a visit for today with your phone number."},
		tb.chat(inbox.Telegram, "77").withPhone("+351912000999").send(t, "status"))
}

func (c *chat) withPhone(phone string) *chat { c.phone = phone; return c }

// TestMyBookingsCancelsAnUpcomingVisitAfterAYes: only with a phone the channel vouched for; a typed
// number shows nothing.
func TestMyBookingsCancelsAnUpcomingVisitAfterAYes(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	cl := tb.Clinic
	ctx := context.Background()
	s := schedtest.Must(tb.Svc.Book(ctx, "desk", cl.Booking(cl.At(5, 9, 0))))(t)
	tb.vars["{S}"] = s.ID.String()

	wa := tb.chat(inbox.WhatsApp, "351912345671@s.whatsapp.net").withPhone(cl.Patient.Phone)
	wa.play(t, []turn{
		{"my bookings", []string{"Your upcoming visits. Pick one if you want to cancel it. " +
			"[k:{S}=Tue 5 Jan 09:00 · Consultation | c:restart=Start over]"}},
		{"1", []string{"Cancel your visit on Tue 5 Jan 09:00 · Consultation? [ok=Yes, cancel it | no=No, keep it]"}},
		{"no", []string{"All right, your visit stays booked."}},
		{"حجوزاتي", []string{"Your upcoming visits. Pick one if you want to cancel it. " +
			"[k:{S}=Tue 5 Jan 09:00 · Consultation | c:restart=Start over]"}},
		{"@k:{S}", []string{"Cancel your visit on Tue 5 Jan 09:00 · Consultation? [ok=Yes, cancel it | no=No, keep it]"}},
		{"yes", []string{"Your visit is cancelled."}},
		{"my bookings", []string{"You have no upcoming visits."}},
	})
	got := schedtest.Must(tb.Svc.GetSession(ctx, s.ID))(t)
	require.Equal(t, scheduling.StatusCancelled, got.Status)

	web := tb.chat(inbox.Chatbot, "web-b")
	web.play(t, []turn{
		{"my bookings", []string{enAskPhone}},
		{"+351912345671", []string{"For your privacy I can show your bookings only once your phone number is confirmed, " +
			"by sharing your contact on Telegram, on WhatsApp, or through the link in your confirmation."}},
	})
}

// TestReturningPatientIsNotAskedAgain: a patient known by the channel's phone books with the name
// and phone on file.
func TestReturningPatientIsNotAskedAgain(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	tg := tb.chat(inbox.Telegram, "2002").withPhone(tb.Clinic.Patient.Phone)
	got := tg.send(t, "hello")
	require.Contains(t, got[0], "Welcome back, Maria!")
	tg.play(t, []turn{
		{"1", []string{enAskDay}},
		{"@y:2027-01-05", []string{enSlots5}},
		{"08:30", []string{"Thank you, Maria! We have your request for Consultation on Tue 5 Jan at 08:30 " +
			"with Ana Ferreira at Lisbon. Our staff will confirm it shortly with a message here."}},
	})
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests WHERE name = 'Maria Silva' AND phone = $1`, tb.Clinic.Patient.Phone))
}
