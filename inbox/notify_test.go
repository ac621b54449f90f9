package inbox_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
)

func follow(t *testing.T, b *inboxtest.Bundle) *inbox.Follower {
	t.Helper()
	f := inbox.NewFollower(b.Pool, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-f.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("the follower never listened")
	}
	return f
}

func next(t *testing.T, ch <-chan inbox.Change) (inbox.Change, bool) {
	t.Helper()
	select {
	case c, ok := <-ch:
		return c, ok
	case <-time.After(5 * time.Second):
		t.Fatal("no change arrived")
		return inbox.Change{}, false
	}
}

// TestFollowerHearsRequestsAndMessages: a recorded request and a received message each reach every
// subscriber once they commit, named by the request or the conversation.
func TestFollowerHearsRequestsAndMessages(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	f := follow(t, b)
	one, cancelOne := f.Subscribe()
	defer cancelOne()
	two, cancelTwo := f.Subscribe()
	defer cancelTwo()
	ctx := context.Background()

	req, _, err := b.Store.Submit(ctx, nil, inbox.NewRequest{Channel: inbox.WebForm, Key: "k1", Name: "Rui",
		Phone: "+351912000111"})
	require.NoError(t, err)
	for _, ch := range []<-chan inbox.Change{one, two} {
		c, ok := next(t, ch)
		require.True(t, ok)
		require.Equal(t, inbox.Change{RequestID: req.ID}, c)
	}

	conv, _, _, err := b.Store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.Telegram, Address: "42", ExternalID: "u1",
		Text: "hello"})
	require.NoError(t, err)
	c, _ := next(t, one)
	require.Equal(t, inbox.Change{ConversationID: conv.ID}, c)

	cancelOne()
	_, ok := <-one
	require.False(t, ok, "cancel closes the subscription")
}

// TestFollowerTellsSubscribersToReloadAfterALostConnection: when PostgreSQL drops the listening
// connection, subscribers are closed (they may have missed changes) and the follower listens again.
func TestFollowerTellsSubscribersToReloadAfterALostConnection(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	f := follow(t, b)
	sub, cancel := f.Subscribe()
	defer cancel()
	ctx := context.Background()
	_, err := b.Pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`)
	require.NoError(t, err)
	_, ok := next(t, sub)
	require.False(t, ok, "subscribers are told to reload")

	deadline := time.Now().Add(10 * time.Second)
	for {
		again, cancelAgain := f.Subscribe()
		_, err := b.Pool.Exec(ctx, `SELECT pg_notify($1, 'request:7')`, inbox.NotifyChannel)
		require.NoError(t, err)
		select {
		case c, ok := <-again:
			cancelAgain()
			if ok && c.RequestID == 7 {
				return
			}
		case <-time.After(200 * time.Millisecond):
			cancelAgain()
		}
		require.True(t, time.Now().Before(deadline), "the follower never listened again")
	}
}

func TestParseChange(t *testing.T) {
	t.Parallel()
	c, err := inbox.ParseChange("conversation:12")
	require.NoError(t, err)
	require.Equal(t, inbox.Change{ConversationID: 12}, c)
	for _, bad := range []string{"", "request", "request:", "request:x", "request:-1", "session:3"} {
		_, err := inbox.ParseChange(bad)
		require.Error(t, err, bad)
	}
}

// TestAQuietTransactionIsAnnouncedAfterItCommits: messages stored in a QuietTx say nothing at commit;
// Announce then tells subscribers about each conversation, however often it is announced at once.
func TestAQuietTransactionIsAnnouncedAfterItCommits(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	f := follow(t, b)
	sub, cancel := f.Subscribe()
	defer cancel()
	ctx := context.Background()

	var convs []inbox.ID
	for i, address := range []string{"41", "42", "43"} {
		tx, err := b.Pool.BeginTx(ctx, inbox.QuietTx)
		require.NoError(t, err)
		conv, _, _, err := b.Store.Receive(ctx, tx, inbox.Inbound{Channel: inbox.Telegram, Address: address,
			ExternalID: "q" + strconv.Itoa(i), Text: "hello"})
		require.NoError(t, err)
		require.NoError(t, tx.Commit(ctx))
		convs = append(convs, conv.ID)
	}
	// A message stored the ordinary way afterwards is announced by its commit, so once it has arrived
	// anything the quiet transactions had sent would have arrived before it.
	loud, _, _, err := b.Store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.Telegram, Address: "44", ExternalID: "l1",
		Text: "hello"})
	require.NoError(t, err)
	c, ok := next(t, sub)
	require.True(t, ok)
	require.Equal(t, inbox.Change{ConversationID: loud.ID}, c, "quiet transactions announced nothing")

	for _, id := range convs {
		b.Store.Announce(id)
	}
	b.Store.Announce(convs[0])
	b.Store.Flush()
	got := map[inbox.ID]int{}
	for range convs {
		c, ok := next(t, sub)
		require.True(t, ok)
		got[c.ConversationID]++
	}
	require.Equal(t, map[inbox.ID]int{convs[0]: 1, convs[1]: 1, convs[2]: 1}, got)
	select {
	case c := <-sub:
		// The first Announce may have gone before the last one was made: then convs[0] is told twice.
		require.Equal(t, inbox.Change{ConversationID: convs[0]}, c)
	case <-time.After(200 * time.Millisecond):
	}
}
