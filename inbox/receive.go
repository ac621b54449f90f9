package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Limits on what a channel hands over; longer text is cut, longer ids are refused.
const (
	maxAddress   = 300
	maxIDLength  = 200
	maxText      = 8000
	maxName      = 200
	maxLang      = 16
	maxReason    = 1000
	maxReqText   = 4000
	maxFields    = 50
	maxFieldKey  = 100
	maxFieldText = 2000
)

// errDuplicate rolls back a savepoint whose inbound message turned out to be stored already.
var errDuplicate = errors.New("inbound message stored before")

const conversationColumns = `c.id, c.channel, c.address, c.patient_id, c.name, c.phone, c.lang, c.handover, c.consent`

func scanConversation(row pgx.Row) (*Conversation, error) {
	var c Conversation
	err := row.Scan(&c.ID, &c.Channel, &c.Address, &c.PatientID, &c.Name, &c.Phone, &c.Lang, &c.Handover, &c.Consent)
	return &c, err
}

// Receive stores an inbound message in its conversation (created on first contact, keyed by channel
// and address) and reports dup=true, storing nothing, when (channel, ExternalID) was stored before.
// Patient wrote first => conv.Consent = true. A verified in.Phone is kept on the conversation and
// links the patient with that phone if one exists.
func (s *Store) Receive(ctx context.Context, tx pgx.Tx, in Inbound) (conv *Conversation, msg *Message, dup bool, err error) {
	if err := checkInbound(&in); err != nil {
		return nil, nil, false, err
	}
	at := in.At
	if at.IsZero() {
		at = s.now()
	}
	err = s.inTx(ctx, tx, func(tx pgx.Tx) error {
		if conv, err = s.inboundSeen(ctx, tx, in); conv != nil || err != nil {
			return err
		}
		conv, err = scanConversation(tx.QueryRow(ctx, `
			INSERT INTO conversations AS c (channel, address, name, phone, lang, consent, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, true, $6, $6)
			ON CONFLICT (channel, address) DO UPDATE SET consent = true, updated_at = EXCLUDED.updated_at,
				name = CASE WHEN c.name = '' THEN EXCLUDED.name ELSE c.name END,
				phone = CASE WHEN EXCLUDED.phone <> '' THEN EXCLUDED.phone ELSE c.phone END,
				lang = CASE WHEN c.lang = '' THEN EXCLUDED.lang ELSE c.lang END
			RETURNING `+conversationColumns,
			in.Channel, in.Address, in.Name, in.Phone, in.Lang, s.now()))
		if err != nil {
			return fmt.Errorf("store conversation: %w", err)
		}
		if in.Phone != "" {
			if err := linkPatient(ctx, tx, conv); err != nil {
				return err
			}
		}
		msg = &Message{ConversationID: conv.ID, Direction: In, Text: in.Text, Choice: in.Choice, Delivery: DeliveryReceived}
		err = tx.QueryRow(ctx, `
			INSERT INTO messages (conversation_id, channel, direction, external_id, text, choice, lang, delivery, at)
			VALUES ($1, $2, 'in', NULLIF($3, ''), $4, $5, $6, 'received', $7)
			ON CONFLICT (channel, external_id) DO NOTHING
			RETURNING id, at`,
			conv.ID, conv.Channel, in.ExternalID, in.Text, in.Choice, in.Lang, at).Scan(&msg.ID, &msg.At)
		if errors.Is(err, pgx.ErrNoRows) {
			return errDuplicate
		}
		if err != nil {
			return fmt.Errorf("store inbound message: %w", err)
		}
		msg.At = msg.At.UTC()
		return nil
	})
	if errors.Is(err, errDuplicate) {
		// Another delivery of the same message committed between the check and the insert.
		conv, err = s.inboundSeen(ctx, tx, in)
		return conv, nil, conv != nil, err
	}
	if err != nil {
		return nil, nil, false, err
	}
	if conv != nil && msg == nil {
		return conv, nil, true, nil
	}
	return conv, msg, false, nil
}

// inboundSeen returns the conversation of an inbound message already stored with in's external id,
// or nil.
func (s *Store) inboundSeen(ctx context.Context, tx pgx.Tx, in Inbound) (*Conversation, error) {
	if in.ExternalID == "" {
		return nil, nil
	}
	conv, err := scanConversation(s.db(tx).QueryRow(ctx, `SELECT `+conversationColumns+`
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.channel = $1 AND m.external_id = $2`, in.Channel, in.ExternalID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up inbound message: %w", err)
	}
	return conv, nil
}

// linkPatient links the conversation to the patient registered with its phone, if any.
func linkPatient(ctx context.Context, tx pgx.Tx, conv *Conversation) error {
	var id ID
	err := tx.QueryRow(ctx, `UPDATE conversations c SET patient_id = p.id FROM patients p
		WHERE c.id = $1 AND p.phone = c.phone RETURNING p.id`, conv.ID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("link conversation to patient: %w", err)
	}
	conv.PatientID = &id
	return nil
}

// checkInbound refuses what cannot be stored and trims what may be cut.
func checkInbound(in *Inbound) error {
	switch {
	case !validChannel(in.Channel):
		return invalid("invalid_channel", "channel %q is not one of web_form, chatbot, whatsapp, telegram", in.Channel)
	case in.Address == "" || len(in.Address) > maxAddress:
		return invalid("invalid_address", "a conversation's address has 1 to %d characters", maxAddress)
	case len(in.ExternalID) > maxIDLength || len(in.Choice) > maxIDLength:
		return invalid("invalid_message_id", "a message id or choice has at most %d characters", maxIDLength)
	}
	in.Text = cut(in.Text, maxText)
	in.Name = cut(strings.TrimSpace(in.Name), maxName)
	in.Lang = cut(in.Lang, maxLang)
	if in.Phone != "" {
		phone, err := scheduling.NormalizePhone(in.Phone, "")
		if err != nil {
			// A channel vouching for a malformed number is not worth losing the message over.
			phone = ""
		}
		in.Phone = phone
	}
	return nil
}

func validChannel(c Channel) bool {
	for _, ch := range Channels {
		if ch == c {
			return true
		}
	}
	return false
}

// cut shortens s to at most n runes, never splitting one, and drops invalid UTF-8.
func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// UpdateConversation saves Name, Phone, Lang, PatientID, Handover and Consent.
func (s *Store) UpdateConversation(ctx context.Context, tx pgx.Tx, conv *Conversation) error {
	if conv == nil {
		return invalid("missing_conversation", "no conversation given")
	}
	phone := conv.Phone
	if phone != "" {
		p, err := scheduling.NormalizePhone(phone, "")
		if err != nil {
			return err
		}
		phone = p
	}
	name := cut(strings.TrimSpace(conv.Name), maxName)
	lang := cut(conv.Lang, maxLang)
	return s.inTx(ctx, tx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE conversations SET name = $2, phone = $3, lang = $4, patient_id = $5,
			handover = $6, consent = $7, updated_at = $8 WHERE id = $1`,
			conv.ID, name, phone, lang, conv.PatientID, conv.Handover, conv.Consent, s.now())
		if err != nil {
			if code, _ := pgCode(err); code == sqlstateForeignKey {
				return rule("unknown_patient", "patient %d does not exist", derefID(conv.PatientID))
			}
			return fmt.Errorf("update conversation: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound("conversation", conv.ID)
		}
		conv.Name, conv.Phone, conv.Lang = name, phone, lang
		return nil
	})
}

// Conversation returns one conversation.
func (s *Store) Conversation(ctx context.Context, id ID) (*Conversation, error) {
	c, err := scanConversation(s.pool.QueryRow(ctx, `SELECT `+conversationColumns+` FROM conversations c WHERE c.id = $1`, id))
	if err != nil {
		return nil, noRows(err, "conversation", id)
	}
	return c, nil
}

func derefID(id *ID) ID {
	if id == nil {
		return 0
	}
	return *id
}
