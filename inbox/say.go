package inbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
)

const messageColumns = `m.id, m.conversation_id, m.direction, m.text, m.choice, m.choices, m.by_name, m.delivery, m.error, m.at`

func scanMessage(row pgx.Row) (*Message, error) { return scanMessageWith(row) }

// scanMessageWith scans messageColumns and then extra.
func scanMessageWith(row pgx.Row, extra ...any) (*Message, error) {
	var m Message
	var choices []byte
	dest := append([]any{&m.ID, &m.ConversationID, &m.Direction, &m.Text, &m.Choice, &choices, &m.By, &m.Delivery, &m.Error, &m.At}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(choices, &m.Choices); err != nil {
		return nil, fmt.Errorf("read message %d choices: %w", m.ID, err)
	}
	m.At = m.At.UTC()
	return &m, nil
}

// author names who wrote an outbound message: a staff member, or nobody for the bot and the system.
type author struct {
	userID *ID
	name   string
}

// Say records an outbound message in the conversation (delivery queued) and hands it to the Sender
// in the same tx; out.Key is its idempotency key: saying the same key twice records and sends once.
func (s *Store) Say(ctx context.Context, tx pgx.Tx, conv *Conversation, out Outbound) (*Message, error) {
	return s.say(ctx, tx, conv, out, author{})
}

func (s *Store) say(ctx context.Context, tx pgx.Tx, conv *Conversation, out Outbound, by author) (*Message, error) {
	o, err := s.checkOutgoing(conv, []Outbound{out})
	if err != nil {
		return nil, err
	}
	var msgs []*Message
	err = s.inTx(ctx, tx, func(tx pgx.Tx) error {
		msgs, err = s.record(ctx, tx, conv.ID, o, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	return msgs[0], nil
}

// checkOutbound refuses an outbound message that cannot be said, gives it a key when it has none and
// returns its choices encoded.
func checkOutbound(out *Outbound) ([]byte, error) {
	switch {
	case out.Text == "" && len(out.Choices) == 0:
		return nil, rule("missing_text", "a message needs text")
	case len([]rune(out.Text)) > maxText:
		return nil, rule("text_too_long", "a message has at most %d characters", maxText)
	case len(out.Key) > maxIDLength:
		return nil, invalid("invalid_key", "a message key has at most %d characters", maxIDLength)
	}
	if out.Key == "" {
		out.Key = randomKey()
	}
	choices, err := json.Marshal(nonNil(out.Choices))
	if err != nil {
		return nil, fmt.Errorf("encode choices: %w", err)
	}
	return choices, nil
}

func nonNil(c []Choice) []Choice {
	if c == nil {
		return []Choice{}
	}
	return c
}

func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "auto:" + hex.EncodeToString(b)
}

// SetDelivery records what happened to an outbound message (sent, or failed with a reason). A message
// once sent stays sent.
func (s *Store) SetDelivery(ctx context.Context, messageID ID, d Delivery, reason string) error {
	switch d {
	case DeliverySent, DeliveryQueued:
		reason = ""
	case DeliveryFailed:
		reason = cut(reason, maxReason)
	default:
		return invalid("invalid_delivery", "delivery %q is not one of queued, sent, failed", d)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE messages SET delivery = $2, error = $3,
			delivered_at = CASE WHEN $2 = 'sent' THEN $4::timestamptz ELSE delivered_at END
		WHERE id = $1 AND direction = 'out' AND delivery <> 'sent'`, messageID, d, reason, s.now())
	if err != nil {
		return fmt.Errorf("record delivery of message %d: %w", messageID, err)
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	var found bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE id = $1 AND direction = 'out')`, messageID).Scan(&found); err != nil {
		return fmt.Errorf("look up message %d: %w", messageID, err)
	}
	if !found {
		return notFound("message", messageID)
	}
	return nil
}

// Outbound loads one stored outbound message with its conversation's channel and address, for the
// outbox.
func (s *Store) Outbound(ctx context.Context, messageID ID) (*Outbound, error) {
	var out Outbound
	var choices []byte
	err := s.pool.QueryRow(ctx, `SELECT m.id, m.key, c.channel, c.address, m.text, m.choices, m.ask_phone, m.lang
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.id = $1 AND m.direction = 'out'`, messageID).
		Scan(&out.MessageID, &out.Key, &out.Channel, &out.Address, &out.Text, &choices, &out.AskPhone, &out.Lang)
	if err != nil {
		return nil, noRows(err, "message", messageID)
	}
	if err := json.Unmarshal(choices, &out.Choices); err != nil {
		return nil, fmt.Errorf("read message %d choices: %w", messageID, err)
	}
	if len(out.Choices) == 0 {
		out.Choices = nil
	}
	return &out, nil
}
