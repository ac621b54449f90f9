package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// How a patient gave consent to WhatsApp messages with their booking request (FormInput.Via).
const (
	ConsentViaForm = "booking_form"
	ConsentViaAPI  = "booking_api"
)

// WhatsAppAddress is the WhatsApp address of a phone in E.164: its digits at WhatsApp's user server,
// the address the WhatsApp channel answers and keeps consent under.
func WhatsAppAddress(phone string) string {
	return strings.TrimPrefix(phone, "+") + "@s.whatsapp.net"
}

// recordWhatsAppConsent records, in tx, that the patient who sent req agreed to get its confirmation
// and reminders on WhatsApp at the request's phone: the words they ticked in their language, when and
// how (an audit the clinic can show), and the consent that lets the WhatsApp channel write to a number
// that never wrote first. Ticking it after writing STOP on WhatsApp is opting in again: the opt-out
// ends, on its record too. A request keeps the first consent recorded for it.
func (s *Store) recordWhatsAppConsent(ctx context.Context, tx pgx.Tx, req *Request, via string) error {
	if req.Phone == "" {
		return nil
	}
	if via != ConsentViaAPI {
		via = ConsentViaForm
	}
	_, err := tx.Exec(ctx, `WITH given AS (
			INSERT INTO whatsapp_consents (address, phone, request_id, given_at, via, wording, lang)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (request_id) DO NOTHING
			RETURNING address, phone, given_at, via
		), contact AS (
			INSERT INTO whatsapp_contacts AS w (address, phone, consent_at) SELECT address, phone, given_at FROM given
			ON CONFLICT (address) DO UPDATE SET consent_at = COALESCE(w.consent_at, EXCLUDED.consent_at),
				phone = CASE WHEN w.phone = '' THEN EXCLUDED.phone ELSE w.phone END, opted_out_at = NULL
			RETURNING address)
		UPDATE whatsapp_opt_outs o SET ended_at = g.given_at, ended_by = g.via
		FROM given g WHERE o.address = g.address AND o.ended_at IS NULL AND EXISTS (SELECT 1 FROM contact)`,
		WhatsAppAddress(req.Phone), req.Phone, req.ID, s.now(), via, formText(req.Lang, "form.whatsapp_consent"), req.Lang)
	if err != nil {
		return fmt.Errorf("record WhatsApp consent of request %d: %w", req.ID, err)
	}
	return nil
}

// whatsappConversation is the conversation a request without one (the web form) is answered on when
// its patient agreed to WhatsApp messages with it: the WhatsApp conversation of the request's phone,
// opened with that consent if the patient never wrote there. Nil when they did not agree, or wrote
// STOP on WhatsApp since and not again after it: the confirmation is then left for staff to pass on.
func (s *Store) whatsappConversation(ctx context.Context, tx pgx.Tx, req *Request) (*Conversation, error) {
	conv, err := scanConversation(tx.QueryRow(ctx, `
		INSERT INTO conversations AS c (channel, address, name, phone, lang, consent, created_at, updated_at)
		SELECT $1, k.address, $2, k.phone, $3, true, $4, $4
		FROM whatsapp_consents k LEFT JOIN whatsapp_contacts w ON w.address = k.address
		WHERE k.request_id = $5 AND w.opted_out_at IS NULL
		ON CONFLICT (channel, address) DO UPDATE SET consent = true, updated_at = EXCLUDED.updated_at,
			name = CASE WHEN c.name = '' THEN EXCLUDED.name ELSE c.name END,
			phone = CASE WHEN c.phone = '' THEN EXCLUDED.phone ELSE c.phone END,
			lang = CASE WHEN c.lang = '' THEN EXCLUDED.lang ELSE c.lang END
		RETURNING `+conversationColumns, WhatsApp, cut(req.Name, maxName), req.Lang, s.now(), req.ID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open the WhatsApp conversation of request %d: %w", req.ID, err)
	}
	return conv, nil
}

// WhatsAppConsent is what staff see of a request's consent to WhatsApp messages.
type WhatsAppConsent struct {
	Phone string
	// Via is how it was given (ConsentViaForm, ConsentViaAPI), Wording the words the patient ticked.
	Via, Wording string
	GivenAt      time.Time
	// OptedOut is when the patient wrote STOP on WhatsApp, zero unless that still holds.
	OptedOut time.Time
	// Confirmation is the request's confirmation sent on WhatsApp, with its delivery; nil until the
	// request is converted, and when it was not sent there (the patient had written STOP).
	Confirmation *Message
}

// WhatsAppConsentOf reads the consent to WhatsApp messages given with request id; nil when none.
func (s *Store) WhatsAppConsentOf(ctx context.Context, id ID) (*WhatsAppConsent, error) {
	var c WhatsAppConsent
	var out *time.Time
	var msgID *ID
	err := s.pool.QueryRow(ctx, `SELECT k.phone, k.via, k.wording, k.given_at, w.opted_out_at,
			(SELECT m.id FROM conversations c JOIN messages m ON m.conversation_id = c.id
			 WHERE c.channel = $2 AND c.address = k.address AND m.key = 'confirm:' || k.request_id)
		FROM whatsapp_consents k LEFT JOIN whatsapp_contacts w ON w.address = k.address
		WHERE k.request_id = $1`, id, WhatsApp).Scan(&c.Phone, &c.Via, &c.Wording, &c.GivenAt, &out, &msgID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read WhatsApp consent of request %d: %w", id, err)
	}
	c.GivenAt = c.GivenAt.UTC()
	if out != nil {
		c.OptedOut = out.UTC()
	}
	if msgID != nil {
		if c.Confirmation, err = scanMessage(s.pool.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages m WHERE m.id = $1`, *msgID)); err != nil {
			return nil, fmt.Errorf("read the WhatsApp confirmation of request %d: %w", id, err)
		}
	}
	return &c, nil
}
