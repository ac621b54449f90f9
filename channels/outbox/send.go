package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"clinic/inbox"
	"clinic/scheduling"
)

// deliverArgs is the job that delivers one stored outbound message. It is unique by message and key
// in every state, so a message is queued once however often it is sent (DESIGN 7: sent once per key).
type deliverArgs struct {
	MessageID inbox.ID `json:"message_id" river:"unique"`
	Key       string   `json:"key" river:"unique"`
}

// Kind names the job in the queue.
func (deliverArgs) Kind() string { return "outbox_deliver" }

// InsertOpts puts deliveries on their own queue, unique for as long as the job is kept.
func (deliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: deliveryQueue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: rivertype.JobStates()}}
}

// Send queues msg for delivery in the caller's transaction: it is delivered once tx commits, and
// never if it rolls back. A message already queued is not queued again.
func (o *Outbox) Send(ctx context.Context, tx pgx.Tx, msg inbox.Outbound) error {
	if msg.MessageID == 0 {
		return errors.New("outbox: send: the message has not been stored")
	}
	if _, err := o.client.InsertTx(ctx, tx, deliverArgs{MessageID: msg.MessageID, Key: msg.Key}, nil); err != nil {
		return fmt.Errorf("outbox: queue message %d: %w", msg.MessageID, err)
	}
	return nil
}

// SendMany queues several stored messages for delivery in the caller's transaction with one insert,
// as Send does for each of them.
func (o *Outbox) SendMany(ctx context.Context, tx pgx.Tx, msgs []inbox.Outbound) error {
	if len(msgs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(msgs))
	for i, msg := range msgs {
		if msg.MessageID == 0 {
			return errors.New("outbox: send: the message has not been stored")
		}
		params[i] = river.InsertManyParams{Args: deliverArgs{MessageID: msg.MessageID, Key: msg.Key}}
	}
	if _, err := o.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("outbox: queue %d messages: %w", len(msgs), err)
	}
	return nil
}

// Retry sends a failed message again (the staff's retry button). A message that is not failed is
// refused: one that is queued is still being tried, one that was sent stays sent.
func (o *Outbox) Retry(ctx context.Context, messageID inbox.ID) error {
	store, _ := o.inbox()
	if store == nil {
		return errors.New("outbox: retry: Use was not called")
	}
	delivery, err := o.delivery(ctx, messageID)
	if err != nil {
		return err
	}
	if delivery != inbox.DeliveryFailed {
		return scheduling.Rule("not_failed", "only a message that failed can be sent again; this one is %s", delivery)
	}
	// Queued first, so a delivery that fails again at once is not overwritten by this mark.
	if err := store.SetDelivery(ctx, messageID, inbox.DeliveryQueued, ""); err != nil {
		return fmt.Errorf("outbox: mark message %d queued again: %w", messageID, err)
	}
	if err := o.requeue(ctx, store, messageID); err != nil {
		if markErr := store.SetDelivery(ctx, messageID, inbox.DeliveryFailed, "could not be queued again"); markErr != nil {
			o.log.ErrorContext(ctx, "outbox: mark message failed again", "message_id", messageID, "err", markErr)
		}
		return err
	}
	return nil
}

// requeue makes the message's job available again, or queues a new one when the old job is gone.
func (o *Outbox) requeue(ctx context.Context, store *inbox.Store, messageID inbox.ID) error {
	var jobID int64
	err := o.pool.QueryRow(ctx, `SELECT id FROM river_job WHERE kind = $1 AND args @> jsonb_build_object('message_id', $2::text)
		ORDER BY id DESC LIMIT 1`, deliverArgs{}.Kind(), messageID.String()).Scan(&jobID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		out, err := store.Outbound(ctx, messageID)
		if err != nil {
			return fmt.Errorf("outbox: load message %d to queue again: %w", messageID, err)
		}
		res, err := o.client.Insert(ctx, deliverArgs{MessageID: messageID, Key: out.Key}, nil)
		if err != nil {
			return fmt.Errorf("outbox: queue message %d again: %w", messageID, err)
		}
		if res.UniqueSkippedAsDuplicate {
			return scheduling.Conflict("still_queued", "the message is already queued")
		}
		return nil
	case err != nil:
		return fmt.Errorf("outbox: find the job of message %d: %w", messageID, err)
	}
	// The attempt that marked the message failed finishes its job a moment later; a running job is
	// not retried, so wait for that.
	for wait := 0; ; wait++ {
		row, err := o.client.JobRetry(ctx, jobID)
		if err != nil {
			return fmt.Errorf("outbox: queue message %d again: %w", messageID, err)
		}
		if row.State != rivertype.JobStateRunning {
			return nil
		}
		if wait == 50 {
			return scheduling.Conflict("still_trying", "the message is still being tried; try again in a moment")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// delivery reads where an outbound message stands.
func (o *Outbox) delivery(ctx context.Context, messageID inbox.ID) (inbox.Delivery, error) {
	var d inbox.Delivery
	err := o.pool.QueryRow(ctx, `SELECT delivery FROM messages WHERE id = $1 AND direction = 'out'`, messageID).Scan(&d)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", scheduling.NotFound("message", messageID)
	}
	if err != nil {
		return "", fmt.Errorf("outbox: read delivery of message %d: %w", messageID, err)
	}
	return d, nil
}
