package inbox_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/inbox/inboxtest"
)

// stop records that the patient at phone wrote STOP on WhatsApp, as the WhatsApp channel does.
func stop(t *testing.T, b *inboxtest.Bundle, phone, messageID string) {
	t.Helper()
	ctx := context.Background()
	wa := whatsapp.NewStore(b.Pool, b.Svc.Now)
	require.NoError(t, pgx.BeginFunc(ctx, b.Pool, func(tx pgx.Tx) error {
		return wa.OptOut(ctx, tx, whatsapp.Contact{Address: inbox.WhatsAppAddress(phone), Phone: phone}, messageID, "STOP", "en")
	}))
}

func TestStaffSeeTheWhatsAppConsentAndTheConfirmationSentThere(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()

	plain, _, err := b.Store.SubmitForm(ctx, formWith(false, "+351912000111", "en", "form:p"), nil)
	require.NoError(t, err)
	got, err := b.Store.WhatsAppConsentOf(ctx, plain.ID)
	require.NoError(t, err)
	require.Nil(t, got, "no consent given")

	req := submitConsultation(t, b, true, "+971501234567", "ar", "form:c")
	got, err = b.Store.WhatsAppConsentOf(ctx, req.ID)
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Equal(t, "+971501234567", got.Phone)
	require.Equal(t, inbox.ConsentViaForm, got.Via)
	require.Equal(t, inbox.FormText("ar", "form.whatsapp_consent"), got.Wording)
	require.True(t, got.GivenAt.Equal(b.Svc.Now()))
	require.True(t, got.OptedOut.IsZero())
	require.Nil(t, got.Confirmation, "not converted yet")

	conv := convertAt9(t, b, req)
	got, err = b.Store.WhatsAppConsentOf(ctx, req.ID)
	require.NoError(t, err)
	require.NotNil(t, got.Confirmation)
	require.Contains(t, got.Confirmation.Text, conv.ConfirmURL)
	require.Equal(t, inbox.DeliveryQueued, got.Confirmation.Delivery)

	require.NoError(t, b.Store.SetDelivery(ctx, got.Confirmation.ID, inbox.DeliveryFailed, "this number is not on WhatsApp"))
	got, err = b.Store.WhatsAppConsentOf(ctx, req.ID)
	require.NoError(t, err)
	require.Equal(t, inbox.DeliveryFailed, got.Confirmation.Delivery)
	require.Equal(t, "this number is not on WhatsApp", got.Confirmation.Error)
}

func TestAPatientWhoWroteStopIsConfirmedThroughStaffInstead(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submitConsultation(t, b, true, "+971501234567", "en", "form:s")
	stop(t, b, "+971501234567", "3EB0STOP1")

	got, err := b.Store.WhatsAppConsentOf(ctx, req.ID)
	require.NoError(t, err)
	require.True(t, got.OptedOut.Equal(b.Svc.Now()), "staff see the STOP")

	conv := convertAt9(t, b, req)
	require.Empty(t, b.Sender.Sent(), "nothing queued on WhatsApp")
	after, err := b.Store.Get(ctx, req.ID)
	require.NoError(t, err)
	require.Contains(t, after.Confirmation, conv.ConfirmURL, "left for staff to pass on")
	got, err = b.Store.WhatsAppConsentOf(ctx, req.ID)
	require.NoError(t, err)
	require.Nil(t, got.Confirmation)
}

func TestTickingTheConsentAgainEndsAStop(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	_, _, err := b.Store.SubmitForm(ctx, formWith(true, "+971501234567", "en", "form:1"), nil)
	require.NoError(t, err)
	stop(t, b, "+971501234567", "3EB0STOP2")
	wa := whatsapp.NewStore(b.Pool, b.Svc.Now)
	ok, err := wa.Consented(ctx, "971501234567@s.whatsapp.net")
	require.NoError(t, err)
	require.False(t, ok)

	// A request without the box ticked changes nothing.
	_, _, err = b.Store.SubmitForm(ctx, formWith(false, "+971501234567", "en", "form:2"), nil)
	require.NoError(t, err)
	ok, err = wa.Consented(ctx, "971501234567@s.whatsapp.net")
	require.NoError(t, err)
	require.False(t, ok)

	_, _, err = b.Store.SubmitForm(ctx, formWith(true, "+971501234567", "en", "form:3"), nil)
	require.NoError(t, err)
	ok, err = wa.Consented(ctx, "971501234567@s.whatsapp.net")
	require.NoError(t, err)
	require.True(t, ok, "ticking the box is opting in again")
	rec, err := wa.OptOuts(ctx, "971501234567@s.whatsapp.net")
	require.NoError(t, err)
	require.Len(t, rec, 1)
	require.True(t, rec[0].Ended.Equal(b.Svc.Now()))
	require.Equal(t, inbox.ConsentViaForm, rec[0].EndedBy)
}
