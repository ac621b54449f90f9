package whatsapp

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"go.mau.fi/whatsmeow/types/events"

	"clinic/inbox"
	"clinic/inbox/texts"
)

// Inbox is what the channel needs of the inbox to take a STOP itself, without the dialogue: store the
// patient's message in their conversation, queue the acknowledgement, and tell the console after the
// commit. *inbox.Store is one.
type Inbox interface {
	Receive(ctx context.Context, tx pgx.Tx, in inbox.Inbound, also ...func(*pgx.Batch)) (*inbox.Conversation, *inbox.Message, bool, error)
	ReceiveTx(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error
	SayMany(ctx context.Context, tx pgx.Tx, conv *inbox.Conversation, outs []inbox.Outbound) ([]*inbox.Message, error)
	Announce(id inbox.ID)
}

// WithInbox lets the adapter take STOP messages itself through box; it returns the adapter.
func (a *Adapter) WithInbox(box Inbox) *Adapter {
	a.inbox = box
	return a
}

// stopWords are the messages that withdraw consent, as normalised by normaliseStop, with the
// language they are in. Only a message that is one of them as a whole counts: "stop the reminder for
// Tuesday" is a message for the clinic. Bare "cancel" and "الغاء" are not here: patients write them
// about their visit.
var stopWords = map[string]string{
	"stop":             "en",
	"stop all":         "en",
	"stopall":          "en",
	"unsubscribe":      "en",
	"opt out":          "en",
	"optout":           "en",
	"ايقاف":            "ar",
	"اوقف":             "ar",
	"توقف":             "ar",
	"الغاء الاشتراك":   "ar",
	"ايقاف الرسائل":    "ar",
	"الغاء الاشتراكات": "ar",
}

// stopWord reports whether text asks the clinic to stop messaging, and the language it is in.
func stopWord(text string) (lang string, ok bool) {
	lang, ok = stopWords[normaliseStop(text)]
	return lang, ok
}

// normaliseStop lower-cases text, drops punctuation, symbols (emoji), Arabic diacritics and the
// tatweel, writes every alef with hamza or madda as a plain alef, and collapses spaces.
func normaliseStop(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			b.WriteRune('ا')
		case r == 'ـ' || unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// stopAckPrefix starts the idempotency key of the acknowledgement of a STOP: the one message the
// Deliverer sends to a contact who opted out.
const stopAckPrefix = "whatsapp-stop:"

// optOut takes a STOP: in one transaction the message is stored in the patient's conversation (the
// dialogue does not answer it), the opt-out is recorded, and the acknowledgement in the patient's
// language is queued. A second delivery of the message does nothing more.
func (a *Adapter) optOut(ctx context.Context, e *events.Message, contact Contact, text, lang string) bool {
	info := e.Info
	if a.inbox == nil {
		// Without the inbox the opt-out is still honoured: nothing the clinic starts goes out.
		if err := pgx.BeginFunc(ctx, a.store.pool, func(tx pgx.Tx) error {
			return a.store.OptOut(ctx, tx, contact, info.ID, text, lang)
		}); err != nil {
			a.log.ErrorContext(ctx, "WhatsApp opt-out not recorded; WhatsApp will deliver it again", "message", info.ID, "err", err)
			return false
		}
		a.log.WarnContext(ctx, "WhatsApp opt-out recorded without acknowledgement: no inbox", "message", info.ID)
		return true
	}
	var conv *inbox.Conversation
	stored := false
	err := a.inbox.ReceiveTx(ctx, inbox.QuietTx, func(tx pgx.Tx) error {
		stored = false
		in := inbox.Inbound{Channel: inbox.WhatsApp, Address: contact.Address, ExternalID: info.ID, Text: text,
			Name: info.PushName, Phone: contact.Phone, At: info.Timestamp}
		c, _, dup, err := a.inbox.Receive(ctx, tx, in)
		if err != nil || dup {
			return err
		}
		conv, stored = c, true
		ackLang := lang
		if lang != "ar" && conv.Lang != "" {
			ackLang = conv.Lang
		}
		if err := a.store.OptOut(ctx, tx, contact, info.ID, text, ackLang); err != nil {
			return err
		}
		// SayMany sets no savepoint: a failure rolls the whole transaction back anyway.
		_, err = a.inbox.SayMany(ctx, tx, conv, []inbox.Outbound{{Key: stopAckPrefix + info.ID, Lang: ackLang,
			Text: texts.T(ackLang, "whatsapp.stopped")}})
		if err != nil {
			return fmt.Errorf("queue the acknowledgement of a STOP: %w", err)
		}
		return nil
	})
	if err != nil {
		a.log.ErrorContext(ctx, "WhatsApp opt-out not stored; WhatsApp will deliver it again", "message", info.ID, "err", err)
		return false
	}
	if stored {
		a.inbox.Announce(conv.ID)
	}
	return true
}

// OptOut records, in tx, that the contact asked the clinic to stop messaging them with the message
// id saying words (in lang): the clinic starts nothing at the address until they write again. The
// record stays as the clinic's proof of it; a message recorded before changes nothing.
func (s *Store) OptOut(ctx context.Context, tx pgx.Tx, c Contact, messageID, words, lang string) error {
	now := s.now()
	_, err := tx.Exec(ctx, `WITH stop AS (
			INSERT INTO whatsapp_opt_outs (address, phone, at, message_id, words, lang)
			VALUES ($1, $2, $4, $5, $6, $7)
			ON CONFLICT (message_id) DO NOTHING
			RETURNING address, phone, at)
		INSERT INTO whatsapp_contacts AS w (address, phone, lid, wrote_at, opted_out_at)
		SELECT address, phone, $3, at, at FROM stop
		ON CONFLICT (address) DO UPDATE SET opted_out_at = EXCLUDED.opted_out_at,
			phone = CASE WHEN EXCLUDED.phone <> '' THEN EXCLUDED.phone ELSE w.phone END,
			lid = CASE WHEN EXCLUDED.lid <> '' THEN EXCLUDED.lid ELSE w.lid END,
			wrote_at = COALESCE(w.wrote_at, EXCLUDED.wrote_at)`,
		c.Address, c.Phone, c.LID, now, messageID, cut(strings.TrimSpace(words), 200), lang)
	if err != nil {
		return fmt.Errorf("record the opt-out of the WhatsApp contact %s: %w", c.Address, err)
	}
	return nil
}

// OptOutRecord is one STOP as the clinic keeps it.
type OptOutRecord struct {
	At    time.Time
	Words string
	// Ended is when the patient opted in again (zero while the opt-out holds), and EndedBy how:
	// "wrote", "booking_form" or "booking_api".
	Ended   time.Time
	EndedBy string
}

// OptOuts lists the STOPs recorded for address, the latest first.
func (s *Store) OptOuts(ctx context.Context, address string) ([]OptOutRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, words, ended_at, COALESCE(ended_by, '') FROM whatsapp_opt_outs
		WHERE address = $1 ORDER BY at DESC, id DESC`, address)
	if err != nil {
		return nil, fmt.Errorf("list the opt-outs of the WhatsApp contact %s: %w", address, err)
	}
	var out []OptOutRecord
	var r OptOutRecord
	var ended *time.Time
	_, err = pgx.ForEachRow(rows, []any{&r.At, &r.Words, &ended, &r.EndedBy}, func() error {
		rec := r
		if ended != nil {
			rec.Ended = *ended
		}
		out = append(out, rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the opt-outs of the WhatsApp contact %s: %w", address, err)
	}
	return out, nil
}
