package dialogue_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

const enSlotGone = "Sorry, someone else has just taken that time. Here are the times still free."

// TestASlotHeldForOnePatientIsRefusedToAnother: two patients are offered the same times; the first to
// pick 09:00 holds it, the second is told politely and offered the times still free, and nobody
// else is offered 09:00 while it is held, not even the booking form.
func TestASlotHeldForOnePatientIsRefusedToAnother(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	a := tb.chat(inbox.Chatbot, "web-a")
	b := tb.chat(inbox.Telegram, "3003")
	for _, c := range []*chat{a, b} {
		c.play(t, []turn{{"hi", []string{enWelcome, enAskExam}}, {"1", []string{enAskDay}}, {"@y:2027-01-05", []string{enSlots5}}})
	}
	a.play(t, []turn{{"09:00", []string{enAskName}}})
	b.play(t, []turn{{"3", []string{enSlotGone, "These times are free on Tue 5 Jan. Which one would you like? " +
		"[{s:5 800}=08:00 | {s:5 830}=08:30 | {s:5 930}=09:30 | {s:5 1000}=10:00 | {s:5 1030}=10:30]"}}})
	// Picking it again keeps it for the one who holds it.
	a.play(t, []turn{{"start over", []string{enWelcome, enAskExam}}, {"1", []string{enAskDay}},
		{"@y:2027-01-05", []string{enSlots5}}})

	cl := tb.Clinic
	ctx := context.Background()
	slots := schedtest.Must(tb.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: cl.Branch.ID,
		ExaminationIDs: []scheduling.ID{cl.Consultation.ID}, From: scheduling.DateOf(cl.At(5, 0, 0)),
		To: scheduling.DateOf(cl.At(5, 0, 0)), Channel: scheduling.ChannelWebForm}))(t)
	free, err := tb.gw.Engine().Holds().Free(ctx, slots)
	require.NoError(t, err)
	require.Len(t, free, len(slots), "start over let go of the slot")

	a.play(t, []turn{{"09:00", []string{enAskName}}})
	free, err = tb.gw.Engine().Holds().Free(ctx, slots)
	require.NoError(t, err)
	require.Len(t, free, len(slots)-1)
	for _, sl := range free {
		require.False(t, sl.Start.Equal(cl.At(5, 9, 0)), "the held slot is left out of the form's offer")
	}
}

// TestASlotBookedBetweenOfferAndAnswer is answered with the times still free.
func TestASlotBookedBetweenOfferAndAnswer(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	cl := tb.Clinic
	c := tb.chat(inbox.WhatsApp, "351912000444@s.whatsapp.net")
	c.play(t, []turn{{"hi", []string{enWelcome, enAskExam}}, {"1", []string{enAskDay}}, {"@y:2027-01-05", []string{enSlots5}}})
	schedtest.Must(tb.Svc.Book(context.Background(), "desk", cl.Booking(cl.At(5, 9, 0))))(t)
	c.play(t, []turn{{"@{s:5 900}", []string{enSlotGone, "These times are free on Tue 5 Jan. Which one would you like? " +
		"[{s:5 800}=08:00 | {s:5 830}=08:30 | {s:5 930}=09:30 | {s:5 1000}=10:00 | {s:5 1030}=10:30]"}}})
}

// TestDuplicateDeliveryIsAnsweredOnce: the same message delivered twice is stored once and answered
// once; the second delivery gets the first answer back through Replay, and acts no more.
func TestDuplicateDeliveryIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Telegram, "4004").withPhone(tb.Clinic.Patient.Phone)
	c.send(t, "hi")
	c.send(t, "1")
	c.send(t, "@y:2027-01-05")
	in := c.message("08:00", "final")
	first := c.deliver(t, in)
	require.Len(t, first, 1)
	require.Contains(t, first[0], "We have your request")
	require.Empty(t, c.deliver(t, in))
	again, err := tb.gw.Replay(context.Background(), in)
	require.NoError(t, err)
	require.Equal(t, first, render(again))
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests`))
	require.Equal(t, 4, tb.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`))
}
