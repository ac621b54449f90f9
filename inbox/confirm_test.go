package inbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// converted converts a request on ch for Tuesday 5 January 2027 at 09:00 and returns it with its token.
func converted(t *testing.T, b *inboxtest.Bundle, ch inbox.Channel) (*inbox.Request, *inbox.Conversion, string) {
	t.Helper()
	req := submit(t, b, ch, "Rui")
	got, err := b.Store.Convert(context.Background(), req.ID, desk, inbox.ConvertInput{Start: ptr(b.Clinic.At(5, 9, 0))})
	require.NoError(t, err)
	return req, got, strings.TrimPrefix(got.ConfirmURL, inboxtest.BaseURL+"/c/")
}

func TestConfirmShowsTheVisitAndConfirmsOnce(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	// The web form's phone is verified once its link is opened: a chat with that phone joins the patient.
	_, _, _, err := b.Store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.WhatsApp, Address: "351912000111@s.whatsapp.net",
		ExternalID: "w1", Text: "hi", Phone: "+351912000111"})
	require.NoError(t, err)
	_, conv, token := converted(t, b, inbox.WebForm)

	v, err := b.Store.Confirm(ctx, token)
	require.NoError(t, err)
	require.Equal(t, conv.SessionID, v.SessionID)
	require.Equal(t, []string{"Consultation"}, v.Examinations)
	require.Equal(t, "Lisbon", v.Branch)
	require.Equal(t, "Ana Ferreira", v.Doctor)
	require.Equal(t, "2027-01-05T09:00:00Z", v.Start.Format("2006-01-02T15:04:05Z07:00"))
	require.Equal(t, "Europe/Lisbon", v.Start.Location().String())
	require.Equal(t, scheduling.StatusWaiting, v.Status)
	require.NotNil(t, v.ConfirmedAt)
	require.True(t, v.CanCancel)
	require.True(t, strings.HasPrefix(v.TrackingURL, inboxtest.BaseURL+"/q/"), v.TrackingURL)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM conversations WHERE patient_id = $1`, conv.PatientID))

	*b.Clock = b.Clock.Add(10)
	again, err := b.Store.Confirm(ctx, token)
	require.NoError(t, err)
	require.True(t, v.ConfirmedAt.Equal(*again.ConfirmedAt), "confirming twice keeps the first time")
}

func TestUnknownAndExpiredLinksRevealNothing(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	_, _, token := converted(t, b, inbox.Telegram)
	_, unknown := b.Store.Confirm(ctx, "A"+token[1:]+"x")
	requireKind(t, unknown, scheduling.KindNotFound)
	_, empty := b.Store.Confirm(ctx, "")
	require.Equal(t, unknown.Error(), empty.Error())
	_, huge := b.Store.CancelByToken(ctx, strings.Repeat("x", 5000), "")
	require.Equal(t, unknown.Error(), huge.Error())

	*b.Clock = b.Clinic.At(5, 9, 30) // the visit has ended
	_, expired := b.Store.Confirm(ctx, token)
	require.Equal(t, unknown.Error(), expired.Error())
}

func TestCancelByLinkUpToTheCutOff(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	_, conv, token := converted(t, b, inbox.Telegram)

	*b.Clock = b.Clinic.At(5, 7, 1) // 1 h 59 before the visit; the cut-off is 2 h
	v, err := b.Store.Confirm(ctx, token)
	require.NoError(t, err)
	require.False(t, v.CanCancel)
	_, err = b.Store.CancelByToken(ctx, token, "sick")
	requireKind(t, err, scheduling.KindRule)
	require.Equal(t, scheduling.StatusWaiting, schedtest.Must(b.Svc.GetSession(ctx, conv.SessionID))(t).Status)

	*b.Clock = b.Clinic.At(5, 6, 59)
	v, err = b.Store.CancelByToken(ctx, token, "sick")
	require.NoError(t, err)
	require.Equal(t, scheduling.StatusCancelled, v.Status)
	require.False(t, v.CanCancel)
	sess := schedtest.Must(b.Svc.GetSession(ctx, conv.SessionID))(t)
	require.Equal(t, "cancelled by the patient: sick", *sess.CancelReason)
	sent := b.Sender.Sent()
	require.Len(t, sent, 2, "the confirmation, then the cancellation")
	require.Contains(t, sent[1].Text, "2027-01-05 at 09:00 is cancelled")

	again, err := b.Store.CancelByToken(ctx, token, "again")
	require.NoError(t, err)
	require.Equal(t, scheduling.StatusCancelled, again.Status)
	require.Len(t, b.Sender.Sent(), 2, "cancelling twice tells once")
	v, err = b.Store.Confirm(ctx, token)
	require.NoError(t, err)
	require.Empty(t, v.TrackingURL, "a cancelled visit has no place in the queue")
}

func TestALinkFollowsItsVisitWhenItMovesLater(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	_, conv, token := converted(t, b, inbox.WebForm)
	_, err := b.Svc.Reschedule(ctx, "desk", conv.SessionID, scheduling.RescheduleInput{Start: b.Clinic.At(6, 9, 0)})
	require.NoError(t, err)
	*b.Clock = b.Clinic.At(5, 12, 0) // after the visit's first time, before its new one
	v, err := b.Store.Confirm(ctx, token)
	require.NoError(t, err)
	require.Equal(t, 6, v.Start.Day())
}
