package dialogue_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/scheduling"
)

const (
	enWelcome = `Hello! I can book a visit for you. At any time you can write "status" for your place in the queue, ` +
		`"my bookings", "human" to talk to our staff, "start over" or "language".`
	enAskExam = "What would you like to book? [x:{C}=Consultation | x:{E}=ECG]"
	enAskDay  = "Which day suits you? [y:2027-01-04=Mon 4 Jan | y:2027-01-05=Tue 5 Jan | y:2027-01-06=Wed 6 Jan | " +
		"y:2027-01-07=Thu 7 Jan | y:2027-01-08=Fri 8 Jan]"
	enSlots5 = "These times are free on Tue 5 Jan. Which one would you like? [{s:5 800}=08:00 | {s:5 830}=08:30 | " +
		"{s:5 900}=09:00 | {s:5 930}=09:30 | {s:5 1000}=10:00]"
	enAskName  = "What is your full name?"
	enAskPhone = "What is your phone number, with the country code (for example +351 912 345 678)? (phone)"
	enHelp     = "Sorry, I did not understand. Please pick one of the choices, or write its number."
)

// TestHappyPathInEnglish: "Hi" → examination → (one branch, one doctor: skipped) → day → five real
// free slots → name → phone → the request is recorded with what was picked, and the slot stays held.
func TestHappyPathInEnglish(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Chatbot, "web-1")
	c.play(t, []turn{
		{"Hi", []string{enWelcome, enAskExam}},
		{"1", []string{enAskDay}},
		{"@y:2027-01-05", []string{enSlots5}},
		{"09:00", []string{enAskName}},
		{"Maria Lopes", []string{enAskPhone}},
		{"+351 912 000 111", []string{"Thank you, Maria! We have your request for Consultation on Tue 5 Jan at 09:00 " +
			"with Ana Ferreira at Lisbon. Our staff will confirm it shortly with a message here."}},
	})

	var name, phone, channel string
	var exam, branch, doctor scheduling.ID
	var start time.Time
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT name, phone, channel, examination_id, branch_id,
		doctor_id, preferred_start FROM requests WHERE conversation_id IS NOT NULL`).
		Scan(&name, &phone, &channel, &exam, &branch, &doctor, &start))
	cl := tb.Clinic
	require.Equal(t, []any{"Maria Lopes", "+351912000111", "chatbot", cl.Consultation.ID, cl.Branch.ID, cl.Doctor.ID},
		[]any{name, phone, channel, exam, branch, doctor})
	require.True(t, cl.At(5, 9, 0).Equal(start))
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests`))

	by, held, err := tb.gw.Engine().Holds().Held(context.Background(), cl.Doctor.ID, cl.At(5, 9, 0))
	require.NoError(t, err)
	require.True(t, held)
	require.Equal(t, by, conversationID(t, tb, inbox.Chatbot, "web-1").String())
	// Every turn's answer is stored in the conversation as one message, after the message it answers.
	require.Equal(t, 6, tb.count(t, `SELECT count(*) FROM messages WHERE direction = 'in'`))
	require.Equal(t, 6, tb.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

// TestHappyPathInArabic: the language comes from the first message; numbers may be written in
// Arabic-Indic digits and a day by its label.
func TestHappyPathInArabic(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.WhatsApp, "351912000222@s.whatsapp.net")
	c.play(t, []turn{
		{"مرحبا", []string{
			`مرحبًا! يمكنني حجز موعد لك. في أي وقت يمكنك كتابة "الحالة" لمعرفة دورك في الانتظار، أو "حجوزاتي"، أو "موظف" للتحدث مع فريقنا، أو "من جديد"، أو "اللغة".`,
			"ماذا تودّ أن تحجز؟ [x:{C}=Consultation | x:{E}=ECG]"}},
		{"١", []string{"أي يوم يناسبك؟ [y:2027-01-04=الاثنين 4 يناير | y:2027-01-05=الثلاثاء 5 يناير | " +
			"y:2027-01-06=الأربعاء 6 يناير | y:2027-01-07=الخميس 7 يناير | y:2027-01-08=الجمعة 8 يناير]"}},
		{"الثلاثاء 5 يناير", []string{"هذه الأوقات متاحة يوم الثلاثاء 5 يناير. أيّها تفضّل؟ [{s:5 800}=08:00 | " +
			"{s:5 830}=08:30 | {s:5 900}=09:00 | {s:5 930}=09:30 | {s:5 1000}=10:00]"}},
		{"@{s:5 930}", []string{"ما اسمك الكامل؟"}},
		{"فاطمة الزهراء", []string{"ما رقم هاتفك مع رمز الدولة (مثل \u200e+351 912 345 678)؟ (phone)"}},
		{"+351912000222", []string{"شكرًا يا فاطمة! وصلنا طلبك لـConsultation يوم الثلاثاء 5 يناير الساعة 09:30 " +
			"مع Ana Ferreira في Lisbon. سيؤكّده فريقنا قريبًا برسالة هنا."}},
	})
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM requests WHERE lang = 'ar' AND name = 'فاطمة الزهراء'`))
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM conversations WHERE lang = 'ar'`))
}

// TestWrongAnswersAreAskedAgainWithHelp, and a pause longer than the time-out starts over politely.
func TestWrongAnswersAreAskedAgainWithHelp(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Chatbot, "web-2")
	c.play(t, []turn{
		{"hello", []string{enWelcome, enAskExam}},
		{"banana", []string{enHelp, enAskExam}},
		{"7", []string{enHelp, enAskExam}},
		{"@y:2027-01-05", []string{enHelp, enAskExam}},
		{"consult", []string{enAskDay}},
		{"@y:2027-01-05", []string{enSlots5}},
		{"@{s:5 900}", []string{enAskName}},
		{"42", []string{"Please write your name in letters.", enAskName}},
		{"Rui Costa", []string{enAskPhone}},
		{"call me", []string{"That does not look like a phone number. Please write it with the country code, " +
			"for example +351 912 345 678.", enAskPhone}},
	})
	tb.advance(31 * time.Minute)
	c.play(t, []turn{
		{"+351912000333", []string{"That took a while, so let's start again.", enAskExam}},
	})
	require.Equal(t, 0, tb.count(t, `SELECT count(*) FROM requests`))
	// The time-out let go of the held slot: another conversation is offered it again.
	other := tb.chat(inbox.Chatbot, "web-3")
	other.play(t, []turn{{"hi", []string{enWelcome, enAskExam}}, {"1", []string{enAskDay}},
		{"@y:2027-01-05", []string{enSlots5}}})
}

// TestCancelAndStartOver work at any step, in either language's words.
func TestCancelAndStartOver(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Chatbot, "web-4")
	c.play(t, []turn{
		{"hi", []string{enWelcome, enAskExam}},
		{"1", []string{enAskDay}},
		{"Start over!", []string{enWelcome, enAskExam}},
		{"1", []string{enAskDay}},
		{"cancel", []string{"All right, I have stopped. Write anything when you want to start again."}},
		{"hello again", []string{enWelcome, enAskExam}},
		{"إلغاء", []string{"All right, I have stopped. Write anything when you want to start again."}},
	})
}

// TestLanguageSwitchAsksTheSameQuestionInTheNewLanguage.
func TestLanguageSwitchAsksTheSameQuestionInTheNewLanguage(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.chat(inbox.Telegram, "1001")
	c.lang = "en-GB"
	c.play(t, []turn{
		{"/start", []string{enWelcome, enAskExam}},
		{"1", []string{enAskDay}},
		{"language", []string{"Which language would you like? [l:en=English | l:ar=العربية]"}},
		{"2", []string{"سأكتب لك بالعربية من الآن.", "أي يوم يناسبك؟ [y:2027-01-04=الاثنين 4 يناير | " +
			"y:2027-01-05=الثلاثاء 5 يناير | y:2027-01-06=الأربعاء 6 يناير | y:2027-01-07=الخميس 7 يناير | " +
			"y:2027-01-08=الجمعة 8 يناير]"}},
		{"English", []string{"I will write in English from now on.", enAskDay}},
	})
	require.Equal(t, 1, tb.count(t, `SELECT count(*) FROM conversations WHERE lang = 'en'`))
}

func conversationID(t *testing.T, tb *testBundle, ch inbox.Channel, addr string) scheduling.ID {
	t.Helper()
	var id scheduling.ID
	require.NoError(t, tb.Pool.QueryRow(context.Background(),
		`SELECT id FROM conversations WHERE channel = $1 AND address = $2`, ch, addr).Scan(&id))
	return id
}
