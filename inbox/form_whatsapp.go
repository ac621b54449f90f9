package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
// that never wrote first. A request keeps the first consent recorded for it.
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
			RETURNING address, phone, given_at)
		INSERT INTO whatsapp_contacts AS w (address, phone, consent_at) SELECT address, phone, given_at FROM given
		ON CONFLICT (address) DO UPDATE SET consent_at = COALESCE(w.consent_at, EXCLUDED.consent_at),
			phone = CASE WHEN w.phone = '' THEN EXCLUDED.phone ELSE w.phone END`,
		WhatsAppAddress(req.Phone), req.Phone, req.ID, s.now(), via, formText(req.Lang, "form.whatsapp_consent"), req.Lang)
	if err != nil {
		return fmt.Errorf("record WhatsApp consent of request %d: %w", req.ID, err)
	}
	return nil
}

// whatsappConversation is the conversation a request without one (the web form) is answered on when
// its patient agreed to WhatsApp messages with it: the WhatsApp conversation of the request's phone,
// opened with that consent if the patient never wrote there. Nil when they did not agree.
func (s *Store) whatsappConversation(ctx context.Context, tx pgx.Tx, req *Request) (*Conversation, error) {
	var address, phone string
	err := tx.QueryRow(ctx, `SELECT address, phone FROM whatsapp_consents WHERE request_id = $1`, req.ID).Scan(&address, &phone)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read WhatsApp consent of request %d: %w", req.ID, err)
	}
	now := s.now()
	conv, err := scanConversation(tx.QueryRow(ctx, `
		INSERT INTO conversations AS c (channel, address, name, phone, lang, consent, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, true, $6, $6)
		ON CONFLICT (channel, address) DO UPDATE SET consent = true, updated_at = EXCLUDED.updated_at,
			name = CASE WHEN c.name = '' THEN EXCLUDED.name ELSE c.name END,
			phone = CASE WHEN c.phone = '' THEN EXCLUDED.phone ELSE c.phone END,
			lang = CASE WHEN c.lang = '' THEN EXCLUDED.lang ELSE c.lang END
		RETURNING `+conversationColumns, WhatsApp, address, cut(req.Name, maxName), phone, req.Lang, now))
	if err != nil {
		return nil, fmt.Errorf("open the WhatsApp conversation of request %d: %w", req.ID, err)
	}
	return conv, nil
}
