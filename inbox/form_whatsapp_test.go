package inbox_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
)

// consentRow is one recorded WhatsApp consent, as a clinic would show it.
type consentRow struct {
	address, phone, via, wording, lang string
	givenAt                            time.Time
}

func consents(t *testing.T, b *inboxtest.Bundle, requestID inbox.ID) []consentRow {
	t.Helper()
	rows, err := b.Pool.Query(context.Background(), `SELECT address, phone, via, wording, lang, given_at
		FROM whatsapp_consents WHERE request_id = $1`, requestID)
	require.NoError(t, err)
	defer rows.Close()
	var out []consentRow
	for rows.Next() {
		var c consentRow
		require.NoError(t, rows.Scan(&c.address, &c.phone, &c.via, &c.wording, &c.lang, &c.givenAt))
		out = append(out, c)
	}
	require.NoError(t, rows.Err())
	return out
}

func contactConsentAt(t *testing.T, b *inboxtest.Bundle, address string) *time.Time {
	t.Helper()
	var at *time.Time
	err := b.Pool.QueryRow(context.Background(), `SELECT consent_at FROM whatsapp_contacts WHERE address = $1`, address).Scan(&at)
	if err != nil {
		require.ErrorContains(t, err, "no rows")
		return nil
	}
	return at
}

func formWith(whatsapp bool, phone, lang, key string) inbox.FormInput {
	return inbox.FormInput{Name: "Rui Costa", Phone: phone, Lang: lang, Key: key, WhatsApp: whatsapp, Via: inbox.ConsentViaForm}
}

// submitConsultation sends the booking form for the consultation, with or without WhatsApp consent.
func submitConsultation(t *testing.T, b *inboxtest.Bundle, whatsapp bool, phone, lang, key string) *inbox.Request {
	t.Helper()
	in := formWith(whatsapp, phone, lang, key)
	in.ExaminationID = &b.Clinic.Consultation.ID
	req, _, err := b.Store.SubmitForm(context.Background(), in, nil)
	require.NoError(t, err)
	return req
}

// convertAt9 books req on Tuesday at 09:00 with the clinic's doctor.
func convertAt9(t *testing.T, b *inboxtest.Bundle, req *inbox.Request) *inbox.Conversion {
	t.Helper()
	start := b.Clinic.At(5, 9, 0)
	got, err := b.Store.Convert(context.Background(), req.ID, desk, inbox.ConvertInput{Start: &start,
		BranchID: &b.Clinic.Branch.ID, DoctorID: &b.Clinic.Doctor.ID})
	require.NoError(t, err)
	return got
}

func TestWhatsAppConsentIsRecordedWithTheRequestOnlyWhenTicked(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()

	plain, _, err := b.Store.SubmitForm(ctx, formWith(false, "+351912000111", "en", "form:a"), nil)
	require.NoError(t, err)
	require.Empty(t, consents(t, b, plain.ID))
	require.Nil(t, contactConsentAt(t, b, "351912000111@s.whatsapp.net"), "unticked records nothing")

	ticked, _, err := b.Store.SubmitForm(ctx, formWith(true, "+971 50 123 4567", "ar", "form:b"), nil)
	require.NoError(t, err)
	got := consents(t, b, ticked.ID)
	require.Len(t, got, 1)
	require.Equal(t, "971501234567@s.whatsapp.net", got[0].address)
	require.Equal(t, "+971501234567", got[0].phone)
	require.Equal(t, inbox.ConsentViaForm, got[0].via)
	require.Equal(t, inbox.FormText("ar", "form.whatsapp_consent"), got[0].wording, "the words the patient ticked, in their language")
	require.Equal(t, "ar", got[0].lang)
	require.True(t, got[0].givenAt.Equal(b.Svc.Now()), "given at %s", got[0].givenAt)
	at := contactConsentAt(t, b, "971501234567@s.whatsapp.net")
	require.NotNil(t, at, "the WhatsApp channel may now write to the number")
	require.True(t, at.Equal(got[0].givenAt))

	// The same submission again records neither a second request nor a second consent.
	again, dup, err := b.Store.SubmitForm(ctx, formWith(true, "+971501234567", "ar", "form:b"), nil)
	require.NoError(t, err)
	require.True(t, dup)
	require.Equal(t, ticked.ID, again.ID)
	require.Len(t, consents(t, b, ticked.ID), 1)

	// A refused submission records no consent either: it is one transaction with the request.
	bad := formWith(true, "+971509999999", "en", "form:c")
	bad.Name = ""
	_, _, err = b.Store.SubmitForm(ctx, bad, nil)
	require.Error(t, err)
	require.Nil(t, contactConsentAt(t, b, "971509999999@s.whatsapp.net"))
}

func TestAFormRequestWithWhatsAppConsentIsConfirmedOnWhatsApp(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submitConsultation(t, b, true, "+971501234567", "ar", "form:w")
	got := convertAt9(t, b, req)

	sent := b.Sender.Sent()
	require.Len(t, sent, 1)
	msg := sent[0]
	require.Equal(t, inbox.WhatsApp, msg.Channel)
	require.Equal(t, "971501234567@s.whatsapp.net", msg.Address)
	require.Equal(t, "ar", msg.Lang)
	require.Contains(t, msg.Text, got.ConfirmURL, "the confirmation carries the confirm link")
	require.True(t, strings.HasPrefix(msg.Key, "confirm:"), msg.Key)

	// The conversation it went to is the patient's, with consent, so reminders find it.
	var patientID *inbox.ID
	var consent bool
	var lang string
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT patient_id, consent, lang FROM conversations WHERE channel = 'whatsapp' AND address = $1`,
		msg.Address).Scan(&patientID, &consent, &lang))
	require.NotNil(t, patientID)
	require.Equal(t, got.PatientID, *patientID)
	require.True(t, consent)
	require.Equal(t, "ar", lang)
	after, err := b.Store.Get(ctx, req.ID)
	require.NoError(t, err)
	require.Empty(t, after.Confirmation, "sent, so nothing is left for staff to pass on")
}

func TestAFormRequestWithoutConsentIsConfirmedAsBefore(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submitConsultation(t, b, false, "+971501234567", "en", "form:n")
	got := convertAt9(t, b, req)
	require.Empty(t, b.Sender.Sent())
	after, err := b.Store.Get(ctx, req.ID)
	require.NoError(t, err)
	require.Contains(t, after.Confirmation, got.ConfirmURL, "left for staff to pass on")
	var n int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM conversations`).Scan(&n))
	require.Zero(t, n)
}
