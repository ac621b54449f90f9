package inbox_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
)

// batchRecorder is a ManySender that records each SendMany call apart.
type batchRecorder struct {
	inboxtest.Recorder
	mu      sync.Mutex
	batches [][]inbox.Outbound
}

func (r *batchRecorder) SendMany(_ context.Context, _ pgx.Tx, msgs []inbox.Outbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, append([]inbox.Outbound(nil), msgs...))
	return nil
}

func (r *batchRecorder) Batches() [][]inbox.Outbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]inbox.Outbound(nil), r.batches...)
}

// manyStore is a store on b's database whose sender queues several messages at once, with a
// conversation the patient opened.
func manyStore(t *testing.T, b *inboxtest.Bundle) (*inbox.Store, *batchRecorder, *inbox.Conversation) {
	t.Helper()
	rec := &batchRecorder{}
	store := inbox.NewStore(b.Pool, slog.New(slog.DiscardHandler), b.Svc.Now, b.Svc, rec,
		inbox.Config{BaseURL: inboxtest.BaseURL})
	conv, _, _, err := store.Receive(context.Background(), nil, inbound("u1", "hello"))
	require.NoError(t, err)
	return store, rec, conv
}

func TestSayManyStoresInOrderAndQueuesOnceWithOneCall(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	store, rec, conv := manyStore(t, b)
	ctx := context.Background()
	outs := []inbox.Outbound{
		{Key: "m:0", Text: "Welcome"},
		{Key: "m:1", Text: "Which examination?", Choices: []inbox.Choice{{ID: "e1", Label: "X-ray"}}, AskPhone: true, Lang: "pt"},
	}
	msgs, err := store.SayMany(ctx, nil, conv, outs)
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	require.Less(t, msgs[0].ID, msgs[1].ID)
	require.Equal(t, "Welcome", msgs[0].Text)
	require.Equal(t, []inbox.Choice{{ID: "e1", Label: "X-ray"}}, msgs[1].Choices)
	require.Equal(t, inbox.DeliveryQueued, msgs[1].Delivery)
	batches := rec.Batches()
	require.Len(t, batches, 1)
	require.Equal(t, []inbox.ID{msgs[0].ID, msgs[1].ID}, []inbox.ID{batches[0][0].MessageID, batches[0][1].MessageID})
	require.Equal(t, "m:1", batches[0][1].Key)
	require.Equal(t, "tg:1001", batches[0][1].Address)

	loaded, err := store.Outbound(ctx, msgs[1].ID)
	require.NoError(t, err)
	require.True(t, loaded.AskPhone)
	require.Equal(t, "pt", loaded.Lang)

	again, err := store.SayMany(ctx, nil, conv, outs)
	require.NoError(t, err)
	require.Equal(t, msgs[0].ID, again[0].ID)
	require.Equal(t, msgs[1].ID, again[1].ID)
	require.Len(t, rec.Batches(), 2)
	require.Empty(t, rec.Batches()[1], "said before: nothing queued again")
	require.Equal(t, 2, count(t, b, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

func TestSayManyQueuesOnlyTheKeysNotSaidBefore(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	store, rec, conv := manyStore(t, b)
	ctx := context.Background()
	first, err := store.Say(ctx, nil, conv, inbox.Outbound{Key: "a", Text: "one"})
	require.NoError(t, err)
	msgs, err := store.SayMany(ctx, nil, conv, []inbox.Outbound{{Key: "b", Text: "two"}, {Key: "a", Text: "one again"}})
	require.NoError(t, err)
	require.Equal(t, first.ID, msgs[1].ID)
	require.Equal(t, "one", msgs[1].Text)
	// Say queued "a" through the same sender; SayMany queued "b" alone.
	batches := rec.Batches()
	require.Len(t, batches, 2)
	require.Len(t, batches[0], 1)
	require.Equal(t, first.ID, batches[0][0].MessageID)
	require.Len(t, batches[1], 1)
	require.Equal(t, msgs[0].ID, batches[1][0].MessageID)
}

func TestSayManyNeedsThePatientToHaveWrittenFirst(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	store, rec, conv := manyStore(t, b)
	ctx := context.Background()
	conv.Consent = false
	require.NoError(t, store.UpdateConversation(ctx, nil, conv))
	_, err := store.SayMany(ctx, nil, conv, []inbox.Outbound{{Key: "a", Text: "one"}, {Key: "b", Text: "two"}})
	requireKind(t, err, scheduling.KindRule)
	require.Empty(t, rec.Batches())
	require.Equal(t, 0, count(t, b, `SELECT count(*) FROM messages WHERE direction = 'out'`))

	_, err = store.SayMany(ctx, nil, &inbox.Conversation{ID: conv.ID + 1000}, []inbox.Outbound{{Key: "a", Text: "one"}, {Key: "b", Text: "two"}})
	requireKind(t, err, scheduling.KindNotFound)
}

// A turn's replies are usually folded into one message: it takes the same two statements, not Say's
// savepoint and look-up.
func TestSayManyQueuesALoneMessageWithOneCall(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	store, rec, conv := manyStore(t, b)
	msgs, err := store.SayMany(context.Background(), nil, conv, []inbox.Outbound{{Key: "m:0", Text: "Welcome"}})
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	batches := rec.Batches()
	require.Len(t, batches, 1)
	require.Len(t, batches[0], 1)
	require.Equal(t, msgs[0].ID, batches[0][0].MessageID)
	require.Empty(t, rec.Sent(), "queued through SendMany, not Send")

	none, err := store.SayMany(context.Background(), nil, conv, nil)
	require.NoError(t, err)
	require.Empty(t, none)
	require.Len(t, rec.Batches(), 1, "nothing to say queues nothing")
}
