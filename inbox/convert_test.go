package inbox_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

var desk = inbox.Staff{Name: "desk", Actor: "desk"}

func TestConvertRegistersBooksAndSendsTheConfirmation(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submit(t, b, inbox.Telegram, "Rui")
	start := b.Clinic.At(5, 9, 0)
	got, err := b.Store.Convert(ctx, req.ID, desk, inbox.ConvertInput{Start: &start})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(got.ConfirmURL, inboxtest.BaseURL+"/c/"), got.ConfirmURL)
	require.GreaterOrEqual(t, len(strings.TrimPrefix(got.ConfirmURL, inboxtest.BaseURL+"/c/")), 22, "at least 128 bits")

	patient := schedtest.Must(b.Svc.GetPatient(ctx, got.PatientID))(t)
	require.Equal(t, "Rui", patient.Name)
	require.Equal(t, "+351912000111", patient.Phone)
	sess := schedtest.Must(b.Svc.GetSession(ctx, got.SessionID))(t)
	require.True(t, start.Equal(sess.Start))
	require.Equal(t, "telegram", sess.Channel)
	require.Equal(t, b.Clinic.Doctor.ID, sess.DoctorID)

	lead := schedtest.Must(b.Store.Get(ctx, req.ID))(t)
	require.Equal(t, inbox.StatusConverted, lead.Status)
	require.Equal(t, got.SessionID, *lead.SessionID)
	sent := b.Sender.Sent()
	require.Len(t, sent, 1)
	require.Contains(t, sent[0].Text, got.ConfirmURL)
	require.Contains(t, sent[0].Text, "Consultation at Lisbon with Ana Ferreira on 2027-01-05 at 09:00")
	conv := schedtest.Must(b.Store.Conversation(ctx, *req.ConversationID))(t)
	require.Equal(t, got.PatientID, *conv.PatientID)

	again, err := b.Store.Convert(ctx, req.ID, desk, inbox.ConvertInput{Start: &start})
	require.NoError(t, err)
	require.True(t, again.Replayed)
	require.Equal(t, got.SessionID, again.SessionID)
	require.Equal(t, got.PatientID, again.PatientID)
	require.Len(t, b.Sender.Sent(), 1, "converting twice confirms once")
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM sessions`))
}

func TestConvertFindsThePatientByPhone(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req, _, err := b.Store.Submit(ctx, nil, inbox.NewRequest{Channel: inbox.WebForm, Name: "Maria S.",
		Phone: b.Clinic.Patient.Phone, Requested: inbox.Requested{ExaminationID: &b.Clinic.Consultation.ID,
			BranchID: &b.Clinic.Branch.ID, DoctorID: &b.Clinic.Doctor.ID, Start: ptr(b.Clinic.At(5, 10, 0))}})
	require.NoError(t, err)
	got, err := b.Store.Convert(ctx, req.ID, desk, inbox.ConvertInput{})
	require.NoError(t, err)
	require.Equal(t, b.Clinic.Patient.ID, got.PatientID)
	require.Empty(t, b.Sender.Sent(), "the web form has no channel to send on")
	lead := schedtest.Must(b.Store.Get(ctx, req.ID))(t)
	require.Contains(t, lead.Confirmation, got.ConfirmURL, "staff pass the confirmation on")
}

func TestConvertIntoATakenSlotOffersAlternativesAndChangesNothing(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	start := b.Clinic.At(5, 9, 0)
	schedtest.Must(b.Svc.Book(ctx, "desk", b.Clinic.Booking(start)))(t)
	req := submit(t, b, inbox.WhatsApp, "Rui")
	_, err := b.Store.Convert(ctx, req.ID, desk, inbox.ConvertInput{Start: &start})
	var e *scheduling.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, scheduling.CodeSlotTaken, e.Code)
	require.NotEmpty(t, e.Details["alternatives"])
	lead := schedtest.Must(b.Store.Get(ctx, req.ID))(t)
	require.Equal(t, inbox.StatusNew, lead.Status)
	require.Equal(t, 0, count(t, b, `SELECT count(*) FROM patients WHERE phone = '+351912000111'`))
	require.Equal(t, 0, count(t, b, `SELECT count(*) FROM confirm_links`))

	_, err = b.Store.Convert(ctx, req.ID, desk, inbox.ConvertInput{Start: ptr(b.Clinic.At(5, 9, 30))})
	require.NoError(t, err, "another slot converts")
}

func TestConcurrentConvertsBookOnce(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submit(t, b, inbox.Chatbot, "Rui")
	start := b.Clinic.At(5, 11, 0)
	const n = 4
	var wg sync.WaitGroup
	out := make([]*inbox.Conversion, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = b.Store.Convert(ctx, req.ID, desk, inbox.ConvertInput{Start: &start})
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, out[0].SessionID, out[i].SessionID)
	}
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM sessions`))
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

func TestConvertExplainsWhatIsMissing(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	noPhone, _, err := b.Store.Submit(ctx, nil, inbox.NewRequest{Channel: inbox.WebForm, Name: "Ana"})
	require.NoError(t, err)
	_, err = b.Store.Convert(ctx, noPhone.ID, desk, inbox.ConvertInput{Start: ptr(b.Clinic.At(5, 9, 0))})
	requireKind(t, err, scheduling.KindRule, "no phone")
	noExam, _, err := b.Store.Submit(ctx, nil, inbox.NewRequest{Channel: inbox.WebForm, Name: "Ana", Phone: "+351912000222"})
	require.NoError(t, err)
	_, err = b.Store.Convert(ctx, noExam.ID, desk, inbox.ConvertInput{Start: ptr(b.Clinic.At(5, 9, 0))})
	requireKind(t, err, scheduling.KindRule, "no examination")
	_, err = b.Store.Convert(ctx, noExam.ID, desk, inbox.ConvertInput{ExaminationIDs: []scheduling.ID{b.Clinic.Consultation.ID},
		BranchID: &b.Clinic.Branch.ID, DoctorID: &b.Clinic.Doctor.ID})
	requireKind(t, err, scheduling.KindRule, "no start")
	_, err = b.Store.Convert(ctx, 1<<62, desk, inbox.ConvertInput{})
	requireKind(t, err, scheduling.KindNotFound)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM patients`), "nothing half-written")
}
