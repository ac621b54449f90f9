package inbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
)

// received is what a Receive run in the background answered.
type received struct {
	conv *inbox.Conversation
	dup  bool
	err  error
}

// raceBehindAnOpenTurn stores message first in a transaction left open, then receives second from
// another connection and waits until that one is held up on a lock. Committing the returned
// transaction lets the second go on; its answer arrives on the channel.
func raceBehindAnOpenTurn(t *testing.T, b *inboxtest.Bundle, first, second inbox.Inbound) (*inbox.Conversation, func(), <-chan received) {
	t.Helper()
	return raceWith(t, b, first, func() received {
		c, _, d, err := b.Store.Receive(context.Background(), nil, second)
		return received{c, d, err}
	})
}

// raceWith is raceBehindAnOpenTurn with the second message received by receive.
func raceWith(t *testing.T, b *inboxtest.Bundle, first inbox.Inbound, receive func() received) (*inbox.Conversation, func(), <-chan received) {
	t.Helper()
	ctx := context.Background()
	tx, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback(ctx) })
	conv, msg, dup, err := b.Store.Receive(ctx, tx, first)
	require.NoError(t, err)
	require.False(t, dup)
	require.NotNil(t, msg)
	done := make(chan received, 1)
	go func() { done <- receive() }()
	require.Eventually(t, func() bool {
		return count(t, b, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock'`) > 0
	}, 30*time.Second, 5*time.Millisecond, "the second message waits for the first's transaction")
	select {
	case r := <-done:
		t.Fatalf("the second message was stored while the first's transaction was open: %v", r.err)
	default:
	}
	return conv, func() { require.NoError(t, tx.Commit(ctx)) }, done
}

// losingDelivery is the second delivery of inbound("race", "hi"), carrying a phone the first did not,
// so that whatever it changed in the conversation would show.
func losingDelivery() inbox.Inbound {
	in := inbound("race", "hi")
	in.Phone = "+351912345678"
	return in
}

// requireLostWithoutTrace checks that the losing delivery r was told it is a duplicate in conv and
// left nothing of its own: no second message, and not its phone.
func requireLostWithoutTrace(t *testing.T, b *inboxtest.Bundle, conv *inbox.Conversation, r received) {
	t.Helper()
	require.True(t, r.dup)
	require.Equal(t, conv.ID, r.conv.ID)
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM messages`))
	require.Equal(t, 1, count(t, b, `SELECT count(*) FROM conversations WHERE phone = ''`),
		"the losing delivery's phone is not kept")
}

// A delivery that waits on another delivery of the same message and loses leaves nothing of its own:
// not the message, nor its changes to the conversation.
func TestADeliveryThatLosesTheRaceChangesNothing(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	conv, commit, done := raceBehindAnOpenTurn(t, b, inbound("race", "hi"), losingDelivery())
	commit()

	r := <-done
	require.NoError(t, r.err)
	requireLostWithoutTrace(t, b, conv, r)
}

// In a caller's transaction, the losing delivery is told to roll back and receive again (ErrRaced),
// which ReceiveTx does: the second transaction finds the message stored, and the first's changes to
// the conversation are gone.
func TestADeliveryThatLosesTheRaceInATransactionIsReceivedAgain(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	again := losingDelivery()
	var errs []error
	conv, commit, done := raceWith(t, b, inbound("race", "hi"), func() received {
		var r received
		r.err = b.Store.ReceiveTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
			var err error
			r.conv, _, r.dup, err = b.Store.Receive(ctx, tx, again)
			errs = append(errs, err)
			return err
		})
		return r
	})
	commit()

	r := <-done
	require.NoError(t, r.err)
	require.Len(t, errs, 2)
	require.ErrorIs(t, errs[0], inbox.ErrRaced)
	require.NoError(t, errs[1])
	requireLostWithoutTrace(t, b, conv, r)
}

// One conversation's messages are answered one at a time: a second message waits until the
// transaction that stored the first ends.
func TestAConversationsNextMessageWaitsForTheTurnBeforeIt(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	conv, commit, done := raceBehindAnOpenTurn(t, b, inbound("turn-1", "hi"), inbound("turn-2", "a second message"))
	commit()

	r := <-done
	require.NoError(t, r.err)
	require.False(t, r.dup)
	require.Equal(t, conv.ID, r.conv.ID)
	require.Equal(t, 2, count(t, b, `SELECT count(*) FROM messages`))
}
