package outbox_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/channels/outbox"
	"clinic/inbox"
)

// A message stored and queued in one transaction survives a server that dies before sending it: the
// next server to start sends it, once. A transaction that rolled back queued nothing.
func TestCrashBetweenStoringAndSending(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	conv := b.converse(t, "tg:1", "")
	var kept *inbox.Message
	require.NoError(t, pgx.BeginFunc(ctx, b.Pool, func(tx pgx.Tx) error {
		var err error
		kept, err = b.store.Say(ctx, tx, conv, inbox.Outbound{Key: "kept", Text: "Kept"})
		return err
	}))
	rollback := errors.New("the change that caused it failed")
	err := pgx.BeginFunc(ctx, b.Pool, func(tx pgx.Tx) error {
		if _, err := b.store.Say(ctx, tx, conv, inbox.Outbound{Key: "lost", Text: "Lost"}); err != nil {
			return err
		}
		return rollback
	})
	require.ErrorIs(t, err, rollback)
	d, _ := b.message(t, kept.ID)
	require.Equal(t, inbox.DeliveryQueued, d)
	require.Empty(t, b.tg.calls(), "no server was delivering")

	// Two servers come up; the message is sent once.
	start(t, b.ob)
	start(t, b.newOutbox(t))
	b.waitDelivery(t, kept.ID, inbox.DeliverySent)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM river_job WHERE kind = 'outbox_deliver'`))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
	calls := b.tg.calls()
	require.Len(t, calls, 1)
	require.Equal(t, "kept", calls[0].Key)
}

// Delivery is at least once: a server that dies after the channel took a message and before it was
// marked sent delivers it again on the next attempt. Both copies carry the same key, which a channel
// that can (WhatsApp's message id) uses to drop the second; the message ends sent, once, in the
// conversation.
func TestCrashAfterDeliveringBeforeMarking(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	b.tg.setAnswer(func(call int, _ inbox.Outbound) error {
		if call == 1 {
			panic("the server died after the channel took the message")
		}
		return nil
	})
	msg := b.say(t, b.converse(t, "tg:1", ""), "reply:7", "Hello")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	calls := b.tg.calls()
	require.Len(t, calls, 2)
	require.Equal(t, calls[0].Key, calls[1].Key)
	require.Equal(t, msg.ID, calls[1].MessageID)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM messages WHERE direction = 'out'`))
}

// When the channel took a message but recording it as sent failed (the database went away for a
// moment), the next attempt only records it: the channel is not given it twice.
func TestFailingToMarkSentDoesNotDeliverAgain(t *testing.T) {
	t.Parallel()
	b := setup(t, outbox.Config{})
	ctx := context.Background()
	_, err := b.Pool.Exec(ctx, `
		CREATE SEQUENCE mark_attempts;
		CREATE FUNCTION refuse_first_mark() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF nextval('mark_attempts') = 1 THEN
				RAISE EXCEPTION 'connection lost';
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER refuse_first_mark BEFORE UPDATE ON messages FOR EACH ROW
			WHEN (NEW.delivery = 'sent') EXECUTE FUNCTION refuse_first_mark();`)
	require.NoError(t, err)
	msg := b.say(t, b.converse(t, "tg:1", ""), "k", "Hello")
	start(t, b.ob)
	b.waitDelivery(t, msg.ID, inbox.DeliverySent)
	require.Len(t, b.tg.calls(), 1)
	require.Equal(t, 2, b.count(t, `SELECT last_value FROM mark_attempts`), "the first mark failed, the second stood")
}
