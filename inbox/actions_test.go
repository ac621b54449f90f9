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

func TestReplySignsTheMessageAndHoldsTheConversation(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submit(t, b, inbox.Telegram, "Rui")
	user := addUser(t, b, "joana@clinic.example")
	by := inbox.Staff{UserID: &user, Name: "joana@clinic.example", Actor: "user:1"}

	msg, err := b.Store.Reply(ctx, req.ID, by, "  We have a slot at 10:00 tomorrow.  ", "k1")
	require.NoError(t, err)
	require.Equal(t, "We have a slot at 10:00 tomorrow.", msg.Text)
	require.Equal(t, "joana@clinic.example", msg.By)
	again, err := b.Store.Reply(ctx, req.ID, by, "We have a slot at 10:00 tomorrow.", "k1")
	require.NoError(t, err)
	require.Equal(t, msg.ID, again.ID, "a retried reply sends once")
	require.Len(t, b.Sender.Sent(), 1)
	require.Equal(t, "telegram:Rui", b.Sender.Sent()[0].Address)

	lead, err := b.Store.Get(ctx, req.ID)
	require.NoError(t, err)
	require.Equal(t, inbox.StatusInProgress, lead.Status)
	require.Equal(t, "joana@clinic.example", lead.Messages[1].By)
	conv, err := b.Store.Conversation(ctx, *req.ConversationID)
	require.NoError(t, err)
	require.True(t, conv.Handover, "the bot stays quiet while staff talk")

	lead, err = b.Store.Handback(ctx, req.ID)
	require.NoError(t, err)
	conv, err = b.Store.Conversation(ctx, *req.ConversationID)
	require.NoError(t, err)
	require.False(t, conv.Handover)
	require.Len(t, b.Sender.Sent(), 2, "the patient is told the assistant is back")
	require.Equal(t, lead.Messages[2].Text, b.Sender.Sent()[1].Text)
	_, err = b.Store.Handback(ctx, req.ID)
	require.NoError(t, err)
	require.Len(t, b.Sender.Sent(), 2, "handing back twice tells once")

	_, err = b.Store.Reply(ctx, req.ID, by, "   ", "")
	requireKind(t, err, scheduling.KindRule)
	form := submit(t, b, inbox.WebForm, "Ana")
	_, err = b.Store.Reply(ctx, form.ID, by, "hello", "")
	requireKind(t, err, scheduling.KindRule, "the form has no chat")
	_, err = b.Store.Reply(ctx, 1<<62, by, "hello", "")
	requireKind(t, err, scheduling.KindNotFound)
}

func TestRejectNeedsAReasonAndNeverUndoesAConversion(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submit(t, b, inbox.WebForm, "Ana")
	_, err := b.Store.Reject(ctx, req.ID, " ")
	requireKind(t, err, scheduling.KindRule)
	got, err := b.Store.Reject(ctx, req.ID, "spam")
	require.NoError(t, err)
	require.Equal(t, inbox.StatusRejected, got.Status)
	require.Equal(t, "spam", got.RejectReason)
	again, err := b.Store.Reject(ctx, req.ID, "spam again")
	require.NoError(t, err)
	require.Equal(t, "spam", again.RejectReason, "rejecting twice changes nothing")
	_, err = b.Store.Convert(ctx, req.ID, inbox.Staff{Actor: "desk"}, inbox.ConvertInput{Start: ptr(b.Clinic.At(5, 9, 0))})
	requireKind(t, err, scheduling.KindConflict, "a rejected request is not converted")

	other := submit(t, b, inbox.WebForm, "Bea")
	_, err = b.Store.Convert(ctx, other.ID, inbox.Staff{Actor: "desk"}, inbox.ConvertInput{Start: ptr(b.Clinic.At(5, 9, 0))})
	require.NoError(t, err)
	_, err = b.Store.Reject(ctx, other.ID, "changed my mind")
	requireKind(t, err, scheduling.KindConflict)
	_, err = b.Store.Reject(ctx, 1<<62, "x")
	requireKind(t, err, scheduling.KindNotFound)
}

func TestAssignUnknownUserIsRefused(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submit(t, b, inbox.WebForm, "Ana")
	missing := scheduling.ID(1 << 62)
	_, err := b.Store.Assign(ctx, req.ID, &missing)
	requireKind(t, err, scheduling.KindRule)
	user := addUser(t, b, "desk@clinic.example")
	_, err = b.Store.Assign(ctx, 1<<62, &user)
	requireKind(t, err, scheduling.KindNotFound)
	got, err := b.Store.Assign(ctx, req.ID, &user)
	require.NoError(t, err)
	require.Equal(t, user, *got.AssigneeID)
	got, err = b.Store.Assign(ctx, req.ID, nil)
	require.NoError(t, err)
	require.Nil(t, got.AssigneeID)
}

func TestExpireClosesRequestsNobodyActedOn(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	idle := submit(t, b, inbox.WebForm, "Ana")
	chatting := submit(t, b, inbox.Telegram, "Rui")
	done := submit(t, b, inbox.WebForm, "Bea")
	_, err := b.Store.Reject(ctx, done.ID, "duplicate")
	require.NoError(t, err)

	*b.Clock = b.Clock.Add(71 * time.Hour)
	n, err := b.Store.Expire(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "not yet 72 hours")
	conv, err := b.Store.Conversation(ctx, *chatting.ConversationID)
	require.NoError(t, err)
	_, _, _, err = b.Store.Receive(ctx, nil, inbox.Inbound{Channel: conv.Channel, Address: conv.Address, ExternalID: "late", Text: "still there?"})
	require.NoError(t, err)

	*b.Clock = b.Clock.Add(2 * time.Hour)
	n, err = b.Store.Expire(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	for id, want := range map[scheduling.ID]inbox.Status{idle.ID: inbox.StatusExpired, chatting.ID: inbox.StatusNew, done.ID: inbox.StatusRejected} {
		got, err := b.Store.Get(ctx, id)
		require.NoError(t, err)
		require.Equal(t, want, got.Status)
	}
	n, err = b.Store.Expire(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}

func ptr[T any](v T) *T { return &v }
