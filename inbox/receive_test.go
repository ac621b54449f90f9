package inbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
)

func inbound(ext, text string) inbox.Inbound {
	return inbox.Inbound{Channel: inbox.Telegram, Address: "tg:1001", ExternalID: ext, Text: text, Name: "Rui"}
}

func TestReceiveCreatesTheConversationWithConsentOnFirstContact(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, msg, dup, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	require.False(t, dup)
	require.True(t, conv.Consent)
	require.Equal(t, "Rui", conv.Name)
	require.Equal(t, inbox.In, msg.Direction)
	require.Equal(t, inbox.DeliveryReceived, msg.Delivery)
	require.Equal(t, conv.ID, msg.ConversationID)
	require.Nil(t, conv.PreviousIn, "nothing came before a first message")

	again, msg2, dup, err := b.Store.Receive(ctx, nil, inbound("u2", "second"))
	require.NoError(t, err)
	require.False(t, dup)
	require.Equal(t, conv.ID, again.ID, "one address, one conversation")
	require.Greater(t, msg2.ID, msg.ID)
	require.NotNil(t, again.PreviousIn)
	require.True(t, msg.At.Equal(*again.PreviousIn), "the first message came before: %v", again.PreviousIn)
}

func TestReceiveTwiceStoresOnce(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	again, msg, dup, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	require.True(t, dup)
	require.Nil(t, msg)
	require.Equal(t, conv.ID, again.ID)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM messages`))
}

func TestConcurrentDeliveriesOfOneMessageStoreItOnce(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	dups := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, dups[i], errs[i] = b.Store.Receive(ctx, nil, inbound("race", "hi"))
		}()
	}
	wg.Wait()
	fresh := 0
	for i := range n {
		require.NoError(t, errs[i])
		if !dups[i] {
			fresh++
		}
	}
	require.Equal(t, 1, fresh)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM messages`))
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM conversations`))
}

func TestReceiveInTheCallersTransactionSurvivesADuplicate(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	_, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	tx, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, _, dup, err := b.Store.Receive(ctx, tx, inbound("u1", "hello"))
	require.NoError(t, err)
	require.True(t, dup)
	_, _, dup, err = b.Store.Receive(ctx, tx, inbound("u2", "next"))
	require.NoError(t, err)
	require.False(t, dup)
	require.NoError(t, tx.Commit(ctx))
	require.Equal(t, 2, count(t, b, `SELECT count(*) FROM messages`))
}

func TestAVerifiedPhoneLinksThePatient(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	in := inbound("u1", "")
	in.Phone = b.Clinic.Patient.Phone
	conv, _, _, err := b.Store.Receive(ctx, nil, in)
	require.NoError(t, err)
	require.Equal(t, b.Clinic.Patient.Phone, conv.Phone)
	require.NotNil(t, conv.PatientID)
	require.Equal(t, b.Clinic.Patient.ID, *conv.PatientID)

	other := inbox.Inbound{Channel: inbox.WhatsApp, Address: "351900000000@s.whatsapp.net", ExternalID: "w1",
		Phone: "+351900000000", Text: "olá"}
	conv, _, _, err = b.Store.Receive(ctx, nil, other)
	require.NoError(t, err)
	require.Nil(t, conv.PatientID, "nobody has that phone")
}

func TestReceiveRefusesWhatCannotBeStored(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	for name, in := range map[string]inbox.Inbound{
		"unknown channel": {Channel: "sms", Address: "x", ExternalID: "1"},
		"no address":      {Channel: inbox.Telegram, ExternalID: "1"},
		"huge id":         {Channel: inbox.Telegram, Address: "x", ExternalID: string(make([]byte, 500))},
	} {
		_, _, _, err := b.Store.Receive(ctx, nil, in)
		requireKind(t, err, scheduling.KindInvalid, name)
	}
	require.Equal(t, 0, count(t, b, `SELECT count(*) FROM conversations`))
}

func TestUpdateConversationSavesItsFields(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "مرحبا"))
	require.NoError(t, err)
	conv.Name, conv.Phone, conv.Lang, conv.Handover = "سارة", "+351 912 345 671", "ar", true
	conv.PatientID = &b.Clinic.Patient.ID
	require.NoError(t, b.Store.UpdateConversation(ctx, nil, conv))
	got, err := b.Store.Conversation(ctx, conv.ID)
	require.NoError(t, err)
	require.Equal(t, "سارة", got.Name)
	require.Equal(t, "+351912345671", got.Phone)
	require.Equal(t, "ar", got.Lang)
	require.True(t, got.Handover)
	require.Equal(t, b.Clinic.Patient.ID, *got.PatientID)

	missing := *conv
	missing.ID = 1 << 60
	requireKind(t, b.Store.UpdateConversation(ctx, nil, &missing), scheduling.KindNotFound, "unknown id")
	bad := *conv
	bad.Phone = "12"
	requireKind(t, b.Store.UpdateConversation(ctx, nil, &bad), scheduling.KindRule, "bad phone")
}

func count(t *testing.T, b *inboxtest.Bundle, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.Pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func requireKind(t *testing.T, err error, kind scheduling.Kind, msgAndArgs ...any) {
	t.Helper()
	var e *scheduling.Error
	require.ErrorAs(t, err, &e, msgAndArgs...)
	require.Equal(t, kind, e.Kind, fmt.Sprint(msgAndArgs...)+": "+e.Error())
}

// TestReceiveSaysWhetherTheMessageOpenedItsConversation: the first message opens it; a later one, or
// a second delivery of the first, does not.
func TestReceiveSaysWhetherTheMessageOpenedItsConversation(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("o1", "hello"))
	require.NoError(t, err)
	require.True(t, conv.Opened)
	again, _, dup, err := b.Store.Receive(ctx, nil, inbound("o1", "hello"))
	require.NoError(t, err)
	require.True(t, dup)
	require.False(t, again.Opened)
	next, _, _, err := b.Store.Receive(ctx, nil, inbound("o2", "are you there?"))
	require.NoError(t, err)
	require.Equal(t, conv.ID, next.ID)
	require.False(t, next.Opened)
}

// TestReceiveSendsWhatTheCallerQueuesInTheSameRoundTrip: a caller's statement goes with the message,
// after it in the same transaction, and its answer is there when Receive returns; when it fails, the
// caller's transaction rolls back with the message and its new conversation.
func TestReceiveSendsWhatTheCallerQueuesInTheSameRoundTrip(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	var seen int
	countMessages := func(batch *pgx.Batch) {
		batch.Queue(`SELECT count(*) FROM messages`).QueryRow(func(row pgx.Row) error { return row.Scan(&seen) })
	}
	_, msg, _, err := b.Store.Receive(ctx, nil, inbound("q1", "hello"), countMessages)
	require.NoError(t, err)
	require.NotNil(t, msg)
	require.Equal(t, 1, seen, "it sees the message just stored")

	failing := inbound("q2", "again")
	failing.Address = "tg:2002"
	err = pgx.BeginFunc(ctx, b.Pool, func(tx pgx.Tx) error {
		_, _, _, err := b.Store.Receive(ctx, tx, failing, func(batch *pgx.Batch) { batch.Queue(`SELECT 1/0`) })
		return err
	})
	require.Error(t, err)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM messages`), "q2 is undone with the caller's transaction")
	require.Equal(t, 0, count(t, b, `SELECT count(*) FROM conversations WHERE address = 'tg:2002'`))
}
