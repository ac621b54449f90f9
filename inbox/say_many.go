package inbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SayMany records the bot's outbound messages in the conversation and hands them to the Sender in
// the same tx, as Say does for each in turn, in two round trips to the database whatever their
// number, one alone included: the messages are stored in one insert and, when the Sender is a
// ManySender, queued in one.
// A key said before keeps its first recording and is not sent again. The messages come back in the
// order given. Unlike Say it sets no savepoint in tx: after an error tx is to be rolled back.
func (s *Store) SayMany(ctx context.Context, tx pgx.Tx, conv *Conversation, outs []Outbound) ([]*Message, error) {
	o, err := s.checkOutgoing(conv, outs)
	if err != nil {
		return nil, err
	}
	if len(outs) == 0 {
		return []*Message{}, nil
	}
	if tx == nil {
		var msgs []*Message
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			msgs, err = s.record(ctx, tx, conv.ID, o, author{})
			return err
		})
		return msgs, err
	}
	return s.record(ctx, tx, conv.ID, o, author{})
}

// outgoing is outbound messages checked and laid out in columns for one insert.
type outgoing struct {
	outs               []Outbound
	keys, texts, langs []string
	choices            [][]byte
	askPhone           []bool
}

// checkOutgoing refuses, before any transaction, what cannot be said (checkOutbound), a missing
// conversation and an inbox without a sender.
func (s *Store) checkOutgoing(conv *Conversation, outs []Outbound) (*outgoing, error) {
	if conv == nil {
		return nil, invalid("missing_conversation", "no conversation given")
	}
	if s.send == nil {
		return nil, errors.New("say: the inbox has no sender")
	}
	n := len(outs)
	o := &outgoing{outs: append([]Outbound(nil), outs...), keys: make([]string, n), texts: make([]string, n),
		langs: make([]string, n), choices: make([][]byte, n), askPhone: make([]bool, n)}
	for i := range o.outs {
		out := &o.outs[i]
		c, err := checkOutbound(out)
		if err != nil {
			return nil, err
		}
		o.keys[i], o.texts[i], o.choices[i], o.askPhone[i] = out.Key, cut(out.Text, maxText), c, out.AskPhone
		o.langs[i] = cut(out.Lang, maxLang)
	}
	return o, nil
}

// record stores the messages in one insert and hands those stored now to the sender in tx.
func (s *Store) record(ctx context.Context, tx pgx.Tx, convID ID, o *outgoing, by author) ([]*Message, error) {
	stored, err := s.insertOutbound(ctx, tx, convID, o, by)
	if err != nil {
		return nil, err
	}
	return s.queueOutbound(ctx, tx, convID, o.outs, stored)
}

// storedOutbound is a message insertOutbound stored, with what its sender needs besides.
type storedOutbound struct {
	msg                *Message
	key, lang, address string
	channel            Channel
}

// insertOutbound stores the messages in one insert, when the conversation has the patient's consent,
// and returns those it stored by key; a key stored before is left as it was and missing from the
// result, and so is every key when the conversation is missing or without consent.
func (s *Store) insertOutbound(ctx context.Context, tx pgx.Tx, convID ID, o *outgoing, by author) (map[string]storedOutbound, error) {
	rows, err := tx.Query(ctx, `
		WITH m AS (
		INSERT INTO messages AS m (conversation_id, channel, direction, key, text, choices, ask_phone, lang,
			by_user, by_name, delivery, at)
		SELECT c.id, c.channel, 'out', u.key, u.text, u.choices, u.ask_phone, left(COALESCE(NULLIF(u.lang, ''), c.lang), $3),
			$9, $10, 'queued', $2
		FROM conversations c, unnest($4::text[], $5::text[], $6::jsonb[], $7::boolean[], $8::text[]) WITH ORDINALITY
			AS u(key, text, choices, ask_phone, lang, n)
		WHERE c.id = $1 AND c.consent
		ORDER BY u.n
		ON CONFLICT (conversation_id, key) DO NOTHING
		RETURNING m.*
		)
		SELECT `+messageColumns+`, m.key, m.lang, m.channel, c.address FROM m, conversations c WHERE c.id = $1`,
		convID, s.now(), maxLang, o.keys, o.texts, o.choices, o.askPhone, o.langs, by.userID, by.name)
	if err != nil {
		return nil, fmt.Errorf("record outbound messages: %w", err)
	}
	defer rows.Close()
	byKey := map[string]storedOutbound{}
	for rows.Next() {
		var o storedOutbound
		m, err := scanMessageWith(rows, &o.key, &o.lang, &o.channel, &o.address)
		if err != nil {
			return nil, fmt.Errorf("record outbound messages: %w", err)
		}
		o.msg = m
		byKey[o.key] = o
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("record outbound messages: %w", err)
	}
	return byKey, nil
}

// queueOutbound hands the messages stored now to the sender, in one call when it is a ManySender, and
// returns the messages in
// the order of outs, loading those said before; none stored and none said before means the
// conversation is missing or without consent.
func (s *Store) queueOutbound(ctx context.Context, tx pgx.Tx, convID ID, outs []Outbound,
	stored map[string]storedOutbound) ([]*Message, error) {
	if len(stored) == 0 {
		var consent bool
		err := tx.QueryRow(ctx, `SELECT consent FROM conversations WHERE id = $1`, convID).Scan(&consent)
		if err != nil {
			return nil, noRows(err, "conversation", convID)
		}
		if !consent {
			return nil, rule("no_consent", "the patient has not written on this address, so the clinic may not message them there")
		}
	}
	var send []Outbound
	queued := map[string]bool{}
	msgs := make([]*Message, len(outs))
	for i, out := range outs {
		o, ok := stored[out.Key]
		m := o.msg
		if !ok {
			// Said before: the first recording stands and was sent then.
			var err error
			m, err = scanMessage(tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages m
				WHERE m.conversation_id = $1 AND m.key = $2`, convID, out.Key))
			if err != nil {
				return nil, fmt.Errorf("load message said before: %w", err)
			}
		} else if !queued[out.Key] {
			queued[out.Key] = true
			out.MessageID, out.Channel, out.Address, out.Lang = m.ID, o.channel, o.address, o.lang
			send = append(send, out)
		}
		msgs[i] = m
	}
	if many, ok := s.send.(ManySender); ok {
		if err := many.SendMany(ctx, tx, send); err != nil {
			return nil, fmt.Errorf("queue %d messages: %w", len(send), err)
		}
		return msgs, nil
	}
	for _, out := range send {
		if err := s.send.Send(ctx, tx, out); err != nil {
			return nil, fmt.Errorf("queue message %d: %w", out.MessageID, err)
		}
	}
	return msgs, nil
}
