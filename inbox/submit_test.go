package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
)

func TestSubmitTheSameKeyTwiceMakesOneRequest(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	start := b.Clinic.At(5, 9, 0)
	in := inbox.NewRequest{Channel: inbox.WebForm, Key: "form-1", Name: "  Zoë Ørsted ", Phone: "+351912000111",
		Requested: inbox.Requested{ExaminationID: &b.Clinic.Consultation.ID, BranchID: &b.Clinic.Branch.ID,
			Start: &start, Text: "back pain", Fields: map[string]string{"insurer": "Médis"}}}
	first, dup, err := b.Store.Submit(ctx, nil, in)
	require.NoError(t, err)
	require.False(t, dup)
	require.Equal(t, inbox.StatusNew, first.Status)
	require.Equal(t, "Zoë Ørsted", first.Name)
	require.Nil(t, first.ConversationID)
	require.True(t, start.Equal(*first.Requested.Start))
	require.Equal(t, "Médis", first.Requested.Fields["insurer"])

	again, dup, err := b.Store.Submit(ctx, nil, in)
	require.NoError(t, err)
	require.True(t, dup)
	require.Equal(t, first.ID, again.ID)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM requests`))
}

func TestSubmitLinksTheConversationOfItsAddress(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	req, _, err := b.Store.Submit(ctx, nil, inbox.NewRequest{Channel: conv.Channel, Address: conv.Address,
		Key: "tg:1001:1", Name: "Rui", Phone: "+351912000111"})
	require.NoError(t, err)
	require.NotNil(t, req.ConversationID)
	require.Equal(t, conv.ID, *req.ConversationID)
}

func TestSubmitRefusesUnknownIdsInTheCallersTransaction(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	tx, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	missing := scheduling.ID(1 << 60)
	_, _, err = b.Store.Submit(ctx, tx, inbox.NewRequest{Channel: inbox.WebForm, Name: "A",
		Requested: inbox.Requested{DoctorID: &missing}})
	requireKind(t, err, scheduling.KindRule)
	_, _, err = b.Store.Submit(ctx, tx, inbox.NewRequest{Channel: inbox.WebForm, Phone: "12345"})
	requireKind(t, err, scheduling.KindRule)
	_, _, err = b.Store.Submit(ctx, tx, inbox.NewRequest{Channel: inbox.WebForm, Name: "B"})
	require.NoError(t, err, "the transaction is still usable")
	require.NoError(t, tx.Commit(ctx))
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM requests`))
}

func TestSettingsDefaultsAndSave(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	s, err := b.Store.Settings(ctx)
	require.NoError(t, err)
	require.Equal(t, inbox.Settings{RequestExpiry: 72 * time.Hour, CancelCutoff: 2 * time.Hour, DefaultLang: "en"}, s)
	want := inbox.Settings{RequestExpiry: 24 * time.Hour, CancelCutoff: 0, DirectBooking: true, DefaultLang: "ar"}
	got, err := b.Store.SaveSettings(ctx, want)
	require.NoError(t, err)
	require.Equal(t, want, got)
	_, err = b.Store.SaveSettings(ctx, inbox.Settings{RequestExpiry: 90 * time.Minute, DefaultLang: "en"})
	requireKind(t, err, scheduling.KindRule)
	_, err = b.Store.SaveSettings(ctx, inbox.Settings{RequestExpiry: time.Hour, DefaultLang: "fr"})
	requireKind(t, err, scheduling.KindRule)
}
