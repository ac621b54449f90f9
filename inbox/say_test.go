package inbox_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
)

func TestSayTheSameKeyTwiceRecordsAndSendsOnce(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	out := inbox.Outbound{Key: "welcome:u1", Text: "Welcome", Choices: []inbox.Choice{{ID: "book", Label: "Book"}}, AskPhone: true}
	first, err := b.Store.Say(ctx, nil, conv, out)
	require.NoError(t, err)
	require.Equal(t, inbox.DeliveryQueued, first.Delivery)
	second, err := b.Store.Say(ctx, nil, conv, out)
	require.NoError(t, err)
	require.Equal(t, first.ID, second.ID)

	sent := b.Sender.Sent()
	require.Len(t, sent, 1)
	require.Equal(t, first.ID, sent[0].MessageID)
	require.Equal(t, inbox.Telegram, sent[0].Channel)
	require.Equal(t, "tg:1001", sent[0].Address)
	require.Equal(t, "welcome:u1", sent[0].Key)

	loaded, err := b.Store.Outbound(ctx, first.ID)
	require.NoError(t, err)
	require.Equal(t, sent[0], *loaded)
	require.Equal(t, 2, count(t, b, `SELECT count(*) FROM messages`))
}

func TestSayRollsBackWhenTheSenderRefuses(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	b.Sender.Fail = errors.New("outbox full")
	_, err = b.Store.Say(ctx, nil, conv, inbox.Outbound{Key: "k", Text: "hi"})
	require.Error(t, err)
	require.Equal(t, 0, count(t, b, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

func TestSayNeedsThePatientToHaveWrittenFirst(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, _, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	conv.Consent = false
	require.NoError(t, b.Store.UpdateConversation(ctx, nil, conv))
	_, err = b.Store.Say(ctx, nil, conv, inbox.Outbound{Key: "k", Text: "hi"})
	requireKind(t, err, scheduling.KindRule)
	require.Empty(t, b.Sender.Sent())
}

func TestSetDeliveryRecordsSentAndFailed(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	conv, in, _, err := b.Store.Receive(ctx, nil, inbound("u1", "hello"))
	require.NoError(t, err)
	a, err := b.Store.Say(ctx, nil, conv, inbox.Outbound{Key: "a", Text: "one"})
	require.NoError(t, err)
	c, err := b.Store.Say(ctx, nil, conv, inbox.Outbound{Key: "c", Text: "two"})
	require.NoError(t, err)

	require.NoError(t, b.Store.SetDelivery(ctx, a.ID, inbox.DeliverySent, ""))
	require.NoError(t, b.Store.SetDelivery(ctx, c.ID, inbox.DeliveryFailed, "chat not found"))
	require.NoError(t, b.Store.SetDelivery(ctx, a.ID, inbox.DeliveryFailed, "late"), "sent stays sent")

	var delivery, reason string
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT delivery, error FROM messages WHERE id = $1`, a.ID).Scan(&delivery, &reason))
	require.Equal(t, "sent", delivery)
	require.Empty(t, reason)
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT delivery, error FROM messages WHERE id = $1`, c.ID).Scan(&delivery, &reason))
	require.Equal(t, "failed", delivery)
	require.Equal(t, "chat not found", reason)

	requireKind(t, b.Store.SetDelivery(ctx, in.ID, inbox.DeliverySent, ""), scheduling.KindNotFound, "inbound")
	requireKind(t, b.Store.SetDelivery(ctx, 1<<60, inbox.DeliverySent, ""), scheduling.KindNotFound, "unknown")
	requireKind(t, b.Store.SetDelivery(ctx, a.ID, "lost", ""), scheduling.KindInvalid, "bad state")
	_, err = b.Store.Outbound(ctx, in.ID)
	requireKind(t, err, scheduling.KindNotFound, "inbound is not outbound")
}
