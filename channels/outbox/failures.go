package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/inbox"
	"clinic/scheduling"
)

// Failure is an outbound message that could not be delivered, as staff see it.
type Failure struct {
	MessageID      inbox.ID      `json:"message_id"`
	ConversationID inbox.ID      `json:"conversation_id"`
	Channel        inbox.Channel `json:"channel"`
	// Name is the patient's name on the conversation, where known.
	Name string `json:"name"`
	Text string `json:"text"`
	// Error says why the message was not delivered.
	Error string    `json:"error"`
	At    time.Time `json:"at"`
}

// Bounds of a failure list.
const (
	DefaultFailures = 50
	MaxFailures     = 200
)

// Failures lists the messages that could not be delivered, newest first; limit 0 is DefaultFailures.
func (o *Outbox) Failures(ctx context.Context, limit int) ([]Failure, error) {
	switch {
	case limit == 0:
		limit = DefaultFailures
	case limit < 0 || limit > MaxFailures:
		return nil, scheduling.Invalid("invalid_limit", "limit is between 1 and %d", MaxFailures)
	}
	rows, err := o.pool.Query(ctx, `SELECT m.id, m.conversation_id, c.channel, c.name, m.text, m.error, m.at
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.delivery = 'failed' ORDER BY m.at DESC, m.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox: list failed messages: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Failure, error) {
		var f Failure
		err := row.Scan(&f.MessageID, &f.ConversationID, &f.Channel, &f.Name, &f.Text, &f.Error, &f.At)
		f.At = f.At.UTC()
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: list failed messages: %w", err)
	}
	return out, nil
}
