package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/inbox"
	"clinic/scheduling"
)

func TestOneKeyIsSentOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	conv := b.converse(t, "tg:1", "")
	msg := b.say(t, conv, "welcome:1", "Welcome")
	again := b.say(t, conv, "welcome:1", "Welcome")
	require.Equal(t, msg.ID, again.ID)
	// Queued a second time by hand too: the job is unique per message and key.
	out, err := b.store.Outbound(ctx, msg.ID)
	require.NoError(t, err)
	require.NoError(t, pgx.BeginFunc(ctx, b.Pool, func(tx pgx.Tx) error { return b.ob.Send(ctx, tx, *out) }))

	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	require.NoError(t, b.ob.Stop(ctx))
	calls := b.tg.calls()
	require.Len(t, calls, 1)
	require.Equal(t, "welcome:1", calls[0].Key)
	require.Equal(t, "tg:1", calls[0].Address)
	require.Equal(t, "Welcome", calls[0].Text)
	require.Len(t, b.jobs(t, msg.ID), 1)
}

func TestAFailedAttemptIsRetriedUntilItSucceeds(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	b.tg.setAnswer(func(call int, _ inbox.Outbound) error {
		if call < 3 {
			return errors.New("telegram: Bad Gateway")
		}
		return nil
	})
	msg := b.say(t, b.converse(t, "tg:1", ""), "k", "Hello")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	calls := b.tg.calls()
	require.Len(t, calls, 3)
	for _, c := range calls {
		require.Equal(t, "k", c.Key)
	}
	_, reason := b.message(t, msg.ID)
	require.Empty(t, reason)
}

func TestRetryAfterSnoozesTheJobAtLeastThatLong(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	b.tg.setAnswer(func(int, inbox.Outbound) error {
		return fmt.Errorf("telegram: Too Many Requests: %w", &channels.RetryAfter{After: 37 * time.Second, Err: errors.New("429")})
	})
	msg := b.say(t, b.converse(t, "tg:1", ""), "k", "Hello")
	start(t, b.ob)
	var j job
	require.Eventually(t, func() bool {
		jobs := b.jobs(t, msg.ID)
		j = jobs[0]
		return j.state == "scheduled"
	}, time.Minute, 10*time.Millisecond)
	require.GreaterOrEqual(t, j.scheduledAt.Sub(j.attemptedAt), 37*time.Second)
	require.Len(t, b.tg.calls(), 1)
	d, _ := b.message(t, msg.ID)
	require.Equal(t, inbox.DeliveryQueued, d, "a message the channel asked to hold back is still on its way")
}

func TestPermanentFailureIsVisibleAndCanBeRetried(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	b.tg.setAnswer(func(int, inbox.Outbound) error {
		return fmt.Errorf("telegram: Forbidden: bot was blocked by the user: %w", channels.ErrPermanent)
	})
	conv := b.converse(t, "tg:1", "")
	msg := b.say(t, conv, "k", "Hello")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliveryFailed)
	require.Len(t, b.tg.calls(), 1, "a permanent failure is not retried")
	_, reason := b.message(t, msg.ID)
	require.Contains(t, reason, "bot was blocked by the user")

	failures, err := b.ob.Failures(ctx, 0)
	require.NoError(t, err)
	require.Len(t, failures, 1)
	require.Equal(t, msg.ID, failures[0].MessageID)
	require.Equal(t, conv.ID, failures[0].ConversationID)
	require.Equal(t, inbox.Telegram, failures[0].Channel)
	require.Equal(t, "Hello", failures[0].Text)
	require.Contains(t, failures[0].Error, "blocked")

	// The patient unblocked the bot; staff press retry.
	b.tg.setAnswer(nil)
	require.NoError(t, b.ob.Retry(ctx, msg.ID))
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	require.Len(t, b.tg.calls(), 2)
	failures, err = b.ob.Failures(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, failures)

	var domain *scheduling.Error
	require.ErrorAs(t, b.ob.Retry(ctx, msg.ID), &domain)
	require.Equal(t, "not_failed", domain.Code)
	require.ErrorAs(t, b.ob.Retry(ctx, msg.ID+1000), &domain)
	require.Equal(t, scheduling.KindNotFound, domain.Kind)
}

func TestTheLastAttemptMarksTheMessageFailed(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{MaxAttempts: 3})
	b.tg.setAnswer(func(int, inbox.Outbound) error { return errors.New("telegram: Bad Gateway") })
	msg := b.say(t, b.converse(t, "tg:1", ""), "k", "Hello")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliveryFailed)
	require.Len(t, b.tg.calls(), 3)
	_, reason := b.message(t, msg.ID)
	require.Equal(t, "telegram: Bad Gateway", reason)
}

// A retried job that is gone from the queue (cleaned out after its retention) is queued anew.
func TestRetryQueuesAgainWhenTheJobIsGone(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	b.tg.setAnswer(func(int, inbox.Outbound) error { return channels.ErrPermanent })
	msg := b.say(t, b.converse(t, "tg:1", ""), "k", "Hello")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliveryFailed)
	_, err := b.Pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'outbox_deliver'`)
	require.NoError(t, err)
	b.tg.setAnswer(nil)
	require.NoError(t, b.ob.Retry(ctx, msg.ID))
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	require.Len(t, b.tg.calls(), 2)
}

func TestChannelsWithoutDeliveryAreSentAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	conv, _, _, err := b.store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.Chatbot, Address: "chat-1", ExternalID: "t1", Text: "hi"})
	require.NoError(t, err)
	msg := b.say(t, conv, "k", "Hello from the bot")
	wa, _, _, err := b.store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.WhatsApp, Address: "351912345671@s.whatsapp.net", ExternalID: "w1", Text: "hi"})
	require.NoError(t, err)
	unset := b.say(t, wa, "k", "Hello on WhatsApp")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	b.waitDelivery(t, unset.ID, inbox.DeliveryFailed)
	_, reason := b.message(t, unset.ID)
	require.Contains(t, reason, "whatsapp channel is not set up")
	require.Empty(t, b.tg.calls())
}

// TestAConversationsMessagesGoOutInTheOrderTheyWereWritten: the workers deliver in parallel, yet a
// patient reads one turn's replies in order, even when the first is slow to go out.
func TestAConversationsMessagesGoOutInTheOrderTheyWereWritten(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	b.tg.setAnswer(func(_ int, msg inbox.Outbound) error {
		if msg.Key == "turn:0" {
			time.Sleep(300 * time.Millisecond)
		}
		return nil
	})
	conv := b.converse(t, "tg:order", "")
	ctx := context.Background()
	var ids []inbox.ID
	require.NoError(t, pgx.BeginFunc(ctx, b.Pool, func(tx pgx.Tx) error {
		for i, text := range []string{"Hello!", "What would you like to book?", "1. Consultation"} {
			msg, err := b.store.Say(ctx, tx, conv, inbox.Outbound{Key: fmt.Sprintf("turn:%d", i), Text: text})
			if err != nil {
				return err
			}
			ids = append(ids, msg.ID)
		}
		return nil
	}))
	start(t, b.ob)
	for _, id := range ids {
		b.waitDelivery(t, id, inbox.DeliverySent)
	}
	var keys []string
	for _, c := range b.tg.calls() {
		keys = append(keys, c.Key)
	}
	require.Equal(t, []string{"turn:0", "turn:1", "turn:2"}, keys)
}
