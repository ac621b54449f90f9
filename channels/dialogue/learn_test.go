package dialogue_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
)

// toPhoneQuestion is Rui's conversation up to the question for his phone: the consultation on Tue 5
// Jan at 09:00.
var toPhoneQuestion = []turn{
	{"hi", []string{enWelcome, enAskExam}},
	{"1", []string{enAskDay}},
	{"@y:2027-01-05", []string{enSlots5}},
	{"09:00", []string{enAskName}},
	{"Rui Costa", []string{enAskPhone}},
}

// enRecorded9 is the answer to a request for Ana's consultation on 5 January at 09:00, with %s the
// patient's first name.
const enRecorded9 = "Thank you, %s! We have your request for Consultation on Tue 5 Jan at 09:00 with Ana Ferreira at Lisbon. " +
	"Our staff will confirm it shortly with a message here."

// TestSharedPhoneKeepsTheNameJustGiven: a patient who typed their name and then shares their phone
// with Telegram's contact button is not asked for their name again.
func TestSharedPhoneKeepsTheNameJustGiven(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Telegram, "8008")
	c.play(t, toPhoneQuestion)
	c.withPhone("+351912000444")
	c.play(t, []turn{{"", []string{fmt.Sprintf(enRecorded9, "Rui")}}})
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests WHERE name = 'Rui Costa' AND phone = '+351912000444'`))
}

// TestSharedPhoneOfAnotherPatientTakesTheirName: a phone other than the one given before may be
// someone else's, so the name is the one the clinic knows for that phone, or none.
func TestSharedPhoneOfAnotherPatientTakesTheirName(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Telegram, "8009")
	c.play(t, slices.Concat(toPhoneQuestion, []turn{
		{"+351 912 000 333", []string{fmt.Sprintf(enRecorded9, "Rui")}},
	}))
	c.withPhone(tb.Clinic.Patient.Phone)
	got := c.send(t, "")
	require.Len(t, got, 1)
	require.Contains(t, got[0], "Welcome back, Maria!")
	require.True(t, strings.HasSuffix(got[0], "\n\n"+tb.fill(enAskExam)), got[0])

	// A phone no patient has: the chat no longer takes Maria for the one writing.
	c.withPhone("+351912000888")
	c.play(t, []turn{{"", []string{enHelp, enAskExam}}, {"1", []string{enAskDay}}})
	c.send(t, "@y:2027-01-05")
	c.play(t, []turn{{"@{s:5 1000}", []string{enAskName + " [n=Rui Costa]"}}})
}
