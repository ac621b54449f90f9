package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
)

// A delivery that waits on another delivery of the same message and loses leaves nothing of its own:
// not the message, nor its changes to the conversation.
func TestADeliveryThatLosesTheRaceChangesNothing(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	first, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer first.Rollback(ctx)
	conv, msg, dup, err := b.Store.Receive(ctx, first, inbound("race", "hi"))
	require.NoError(t, err)
	require.False(t, dup)
	require.NotNil(t, msg)

	type result struct {
		conv *inbox.Conversation
		dup  bool
		err  error
	}
	done := make(chan result, 1)
	go func() {
		in := inbound("race", "hi")
		in.Phone = "+351912345678"
		c, _, d, err := b.Store.Receive(ctx, nil, in)
		done <- result{c, d, err}
	}()
	// The second delivery waits for the first to commit or roll back.
	require.Eventually(t, func() bool {
		return count(t, b, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock'`) > 0
	}, 30*time.Second, 5*time.Millisecond)
	require.NoError(t, first.Commit(ctx))

	r := <-done
	require.NoError(t, r.err)
	require.True(t, r.dup)
	require.Equal(t, conv.ID, r.conv.ID)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM messages`))
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM conversations WHERE phone = ''`),
		"the losing delivery's phone is not kept")
}

// One conversation's messages are answered one at a time: a second message waits until the
// transaction that stored the first ends.
func TestAConversationsNextMessageWaitsForTheTurnBeforeIt(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	first, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer first.Rollback(ctx)
	conv, _, _, err := b.Store.Receive(ctx, first, inbound("turn-1", "hi"))
	require.NoError(t, err)

	type result struct {
		conv *inbox.Conversation
		err  error
	}
	done := make(chan result, 1)
	go func() {
		c, _, _, err := b.Store.Receive(ctx, nil, inbound("turn-2", "a second message"))
		done <- result{c, err}
	}()
	require.Eventually(t, func() bool {
		return count(t, b, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock'`) > 0
	}, 30*time.Second, 5*time.Millisecond, "the second message waits for the first turn")
	select {
	case r := <-done:
		t.Fatalf("the second message was stored while the first turn was open: %v", r.err)
	default:
	}
	require.NoError(t, first.Commit(ctx))

	r := <-done
	require.NoError(t, r.err)
	require.Equal(t, conv.ID, r.conv.ID)
	require.Equal(t, 2, count(t, b, `SELECT count(*) FROM messages`))
}
