package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
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

const conversationColumns = `c.id, c.channel, c.address, c.patient_id, c.name, c.phone, c.lang, c.handover, c.consent`

func scanConversation(row pgx.Row) (*Conversation, error) {
	var c Conversation
	err := row.Scan(&c.ID, &c.Channel, &c.Address, &c.PatientID, &c.Name, &c.Phone, &c.Lang, &c.Handover, &c.Consent)
	return &c, err
}

// ErrRaced is Receive's answer, in a caller's transaction, when another delivery of the same message
// was stored while this one waited for its conversation. The transaction holds this delivery's
// changes to the conversation and is to be rolled back; in a new one, Receive finds the message
// stored (ReceiveTx does both).
var ErrRaced = errors.New("inbox: another delivery of the message was stored meanwhile; receive it again in a new transaction")

// Receive stores an inbound message in its conversation (created on first contact, keyed by channel
// and address) and reports dup=true, storing nothing, when (channel, ExternalID) was stored before.
// Patient wrote first => conv.Consent = true. A verified in.Phone is kept on the conversation and
// links the patient with that phone if one exists.
//
// In tx, a newly stored message leaves its conversation's row locked until tx ends (the upsert locks
// it), so that one conversation's messages are answered one at a time across servers; conv.PreviousIn
// says when the patient last wrote before it. Each of also may queue a statement of its own to go to
// the database in the same round trip, after the message is stored. After an error, ErrRaced
// included, tx is to be rolled back: Receive sets no savepoint: its subtransaction cost a bot turn about
// 8% of its database CPU.
func (s *Store) Receive(ctx context.Context, tx pgx.Tx, in Inbound, also ...func(*pgx.Batch)) (conv *Conversation, msg *Message, dup bool, err error) {
	if err := checkInbound(&in); err != nil {
		return nil, nil, false, err
	}
	at := in.At
	if at.IsZero() {
		at = s.now()
	}
	if tx != nil {
		return s.receive(ctx, tx, in, at, also)
	}
	err = s.ReceiveTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		conv, msg, dup, err = s.receive(ctx, tx, in, at, also)
		return err
	})
	if err != nil {
		return nil, nil, false, err
	}
	return conv, msg, dup, nil
}

// ReceiveTx runs fn, which receives a message, in a transaction begun with opts and commits it. When
// Receive in fn lost a race with another delivery of the same message (ErrRaced), fn runs once more
// in a new transaction, where Receive finds the message stored: the losing delivery changes nothing.
func (s *Store) ReceiveTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, s.pool, opts, fn)
	if errors.Is(err, ErrRaced) {
		err = pgx.BeginTxFunc(ctx, s.pool, opts, fn)
	}
	return err
}

// receiveSQL looks the message up by its external id and, when it is new, stores its conversation
// and the message in one statement: a row from the look-up (seen) or the conversation with the
// message's id and time, which are NULL when another delivery of it was stored meanwhile, the time of
// the patient's message before it (the statement does not see its own insert), and whether the
// conversation was created by this statement (an inserted row has no xmax; an updated one has the
// updating transaction's).
const receiveSQL = `
	WITH seen AS (
		SELECT ` + conversationColumns + ` FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE $7 <> '' AND m.channel = $1 AND m.external_id = $7
	), conv AS (
		INSERT INTO conversations AS c (channel, address, name, phone, lang, consent, created_at, updated_at)
		SELECT $1, $2, $3, $4, $5, true, $6, $6 WHERE NOT EXISTS (SELECT 1 FROM seen)
		ON CONFLICT (channel, address) DO UPDATE SET consent = true, updated_at = EXCLUDED.updated_at,
			name = CASE WHEN c.name = '' THEN EXCLUDED.name ELSE c.name END,
			phone = CASE WHEN EXCLUDED.phone <> '' THEN EXCLUDED.phone ELSE c.phone END,
			lang = CASE WHEN c.lang = '' THEN EXCLUDED.lang ELSE c.lang END
		RETURNING ` + conversationColumns + `, c.xmax = 0 AS opened
	), msg AS (
		INSERT INTO messages (conversation_id, channel, direction, external_id, text, choice, lang, delivery, at)
		SELECT c.id, c.channel, 'in', NULLIF($7, ''), $8, $9, $5, 'received', $10 FROM conv c
		ON CONFLICT (channel, external_id) DO NOTHING
		RETURNING id, at
	)
	SELECT ` + conversationColumns + `, false, msg.id, msg.at,
		(SELECT p.at FROM messages p WHERE p.conversation_id = c.id AND p.direction = 'in' ORDER BY p.id DESC LIMIT 1),
		c.opened
	FROM conv c LEFT JOIN msg ON true
	UNION ALL
	SELECT c.*, true, NULL::bigint, NULL::timestamptz, NULL::timestamptz, false FROM seen c`

// receive is Receive in tx, in one round trip with the statements also queues.
func (s *Store) receive(ctx context.Context, tx pgx.Tx, in Inbound, at time.Time, also []func(*pgx.Batch)) (*Conversation, *Message, bool, error) {
	var conv Conversation
	var seen bool
	var msgID *ID
	var msgAt *time.Time
	batch := &pgx.Batch{}
	batch.Queue(receiveSQL, in.Channel, in.Address, in.Name, in.Phone, in.Lang, s.now(), in.ExternalID, in.Text,
		in.Choice, at).QueryRow(func(row pgx.Row) error {
		return row.Scan(&conv.ID, &conv.Channel, &conv.Address, &conv.PatientID, &conv.Name, &conv.Phone,
			&conv.Lang, &conv.Handover, &conv.Consent, &seen, &msgID, &msgAt, &conv.PreviousIn, &conv.Opened)
	})
	for _, queue := range also {
		queue(batch)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, nil, false, fmt.Errorf("store inbound message: %w", err)
	}
	switch {
	case seen:
		conv.PreviousIn, conv.Opened = nil, false
		return &conv, nil, true, nil
	case msgID == nil:
		// Another delivery of the same message committed between the look-up and the insert.
		return nil, nil, false, ErrRaced
	}
	if conv.PreviousIn != nil {
		t := conv.PreviousIn.UTC()
		conv.PreviousIn = &t
	}
	if in.Phone != "" {
		if err := linkPatient(ctx, tx, &conv); err != nil {
			return nil, nil, false, err
		}
	}
	msg := &Message{ID: *msgID, ConversationID: conv.ID, Direction: In, Text: in.Text, Choice: in.Choice,
		Delivery: DeliveryReceived, At: msgAt.UTC()}
	return &conv, msg, false, nil
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
