package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"clinic/channels"
	"clinic/inbox"
	"clinic/scheduling"
)

// deliveredMark is the job metadata written once the channel took the message, so an attempt that
// failed only to record it does not deliver it a second time.
const deliveredMark = "delivered"

// deliverWorker delivers one message through its channel's Deliverer.
type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	o *Outbox
}

// NextRetry waits the configured backoff after a failed attempt.
func (w *deliverWorker) NextRetry(job *river.Job[deliverArgs]) time.Time {
	return time.Now().Add(w.o.cfg.Backoff(job.Attempt))
}

// Timeout bounds one attempt, so a hung channel is retried rather than holding a worker.
func (w *deliverWorker) Timeout(*river.Job[deliverArgs]) time.Duration { return time.Minute }

// Work delivers the message and records the outcome. Delivery is at least once: a server that dies
// after the channel took the message and before it was marked sent delivers it again on the next
// attempt, with the same Key, which a channel that can uses to drop the second copy.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	o := w.o
	store, _ := o.inbox()
	id := job.Args.MessageID
	delivery, behind, err := o.deliveryInOrder(ctx, id)
	var domain *scheduling.Error
	if errors.As(err, &domain) && domain.Kind == scheduling.KindNotFound {
		return river.JobCancel(fmt.Errorf("message %d no longer exists", id))
	}
	if err != nil {
		return err
	}
	if delivery == inbox.DeliverySent {
		return nil
	}
	if behind && !wasDelivered(job) {
		return river.JobSnooze(orderWait)
	}
	if !wasDelivered(job) {
		out, err := store.Outbound(ctx, id)
		if err != nil {
			return fmt.Errorf("load message %d: %w", id, err)
		}
		if err := o.deliverOne(ctx, out); err != nil {
			return w.failed(ctx, job, err)
		}
		if err := river.MetadataSet(ctx, deliveredMark, true); err != nil {
			return fmt.Errorf("note message %d delivered: %w", id, err)
		}
	}
	if err := store.SetDelivery(ctx, id, inbox.DeliverySent, ""); err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	return nil
}

// orderWait is how long a message waits for an earlier one of its conversation to go out first.
const orderWait = 250 * time.Millisecond

// orderWindow bounds the wait: only earlier messages queued this shortly before keep a message back,
// so a reply the patient needs is not held behind one that keeps failing.
const orderWindow = time.Minute

// deliveryInOrder reads where a message stands and whether an earlier message of the same
// conversation, queued within orderWindow before it, has not gone out yet. The workers deliver in
// parallel; a patient reads a turn's replies in the order the bot wrote them only if each waits for
// the one before.
func (o *Outbox) deliveryInOrder(ctx context.Context, messageID inbox.ID) (inbox.Delivery, bool, error) {
	var d inbox.Delivery
	var behind bool
	err := o.pool.QueryRow(ctx, `
		SELECT m.delivery, EXISTS (
			SELECT 1 FROM messages e
			WHERE e.conversation_id = m.conversation_id AND e.direction = 'out' AND e.delivery = 'queued'
			  AND e.id < m.id AND e.at >= m.at - $2::interval)
		FROM messages m WHERE m.id = $1 AND m.direction = 'out'`, messageID, orderWindow).Scan(&d, &behind)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, scheduling.NotFound("message", messageID)
	}
	if err != nil {
		return "", false, fmt.Errorf("outbox: read delivery of message %d: %w", messageID, err)
	}
	return d, behind, nil
}

// wasDelivered reads the delivered mark from the job's stored metadata.
func wasDelivered(job *river.Job[deliverArgs]) bool {
	var meta map[string]json.RawMessage
	if len(job.Metadata) == 0 || json.Unmarshal(job.Metadata, &meta) != nil {
		return false
	}
	_, ok := meta[deliveredMark]
	return ok
}

// deliverOne hands the message to its channel. Channels without a deliverer whose messages are read
// where they are written (the chatbot's widget, the web form's page) have nothing to deliver.
func (o *Outbox) deliverOne(ctx context.Context, out *inbox.Outbound) (err error) {
	d := o.deliverer(out.Channel)
	if d == nil {
		if out.Channel == inbox.Chatbot || out.Channel == inbox.WebForm {
			return nil
		}
		return fmt.Errorf("the %s channel is not set up on this server: %w", out.Channel, channels.ErrPermanent)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the %s channel failed unexpectedly: %v", out.Channel, r)
		}
	}()
	return d.Deliver(ctx, *out)
}

// failed decides what a failed attempt becomes: a snooze for as long as the channel asked, the
// failed state for a permanent failure or the last attempt, or else a retry after the backoff.
func (w *deliverWorker) failed(ctx context.Context, job *river.Job[deliverArgs], err error) error {
	var wait *channels.RetryAfter
	if errors.As(err, &wait) {
		w.o.log.InfoContext(ctx, "outbox: channel asked to wait", "message_id", job.Args.MessageID, "after", wait.After)
		return river.JobSnooze(max(wait.After, time.Second))
	}
	permanent := errors.Is(err, channels.ErrPermanent)
	if permanent || job.Attempt >= job.MaxAttempts {
		store, _ := w.o.inbox()
		if markErr := store.SetDelivery(ctx, job.Args.MessageID, inbox.DeliveryFailed, err.Error()); markErr != nil {
			return fmt.Errorf("mark message %d failed (%v): %w", job.Args.MessageID, err, markErr)
		}
		w.o.log.WarnContext(ctx, "outbox: message not delivered", "message_id", job.Args.MessageID,
			"attempt", job.Attempt, "err", err)
	}
	if permanent {
		return river.JobCancel(err)
	}
	return err
}
