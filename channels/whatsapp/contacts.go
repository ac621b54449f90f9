package whatsapp

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Contact is one WhatsApp address that wrote to the clinic or agreed to be messaged.
type Contact struct {
	// Address is the JID the clinic answers (user@server).
	Address string
	// Phone is the number in E.164 when WhatsApp gave it; LID is the hidden id it also used, if any.
	Phone string
	LID   string
}

// Wrote records that a contact wrote to the clinic: from then on the clinic may answer it. The phone
// and hidden id are kept when given, so a later message from the hidden id alone finds the phone.
func (s *Store) Wrote(ctx context.Context, c Contact) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_contacts (address, phone, lid, wrote_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (address) DO UPDATE SET
			phone = CASE WHEN EXCLUDED.phone <> '' THEN EXCLUDED.phone ELSE whatsapp_contacts.phone END,
			lid = CASE WHEN EXCLUDED.lid <> '' THEN EXCLUDED.lid ELSE whatsapp_contacts.lid END,
			wrote_at = COALESCE(whatsapp_contacts.wrote_at, EXCLUDED.wrote_at)`,
		c.Address, c.Phone, c.LID, s.now())
	if err != nil {
		return fmt.Errorf("record the WhatsApp contact %s: %w", c.Address, err)
	}
	return nil
}

// Consent records that the person at address (with its phone, if known) agreed to be messaged on
// WhatsApp, e.g. when booking with this number; the clinic may then write first.
func (s *Store) Consent(ctx context.Context, address, phone string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_contacts (address, phone, consent_at) VALUES ($1, $2, $3)
		ON CONFLICT (address) DO UPDATE SET consent_at = COALESCE(whatsapp_contacts.consent_at, EXCLUDED.consent_at),
			phone = CASE WHEN EXCLUDED.phone <> '' THEN EXCLUDED.phone ELSE whatsapp_contacts.phone END`,
		address, phone, s.now())
	if err != nil {
		return fmt.Errorf("record consent of the WhatsApp contact %s: %w", address, err)
	}
	return nil
}

// Consented says whether the clinic may message address: the person wrote first or agreed.
func (s *Store) Consented(ctx context.Context, address string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM whatsapp_contacts WHERE address = $1)`, address).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check consent of the WhatsApp contact %s: %w", address, err)
	}
	return ok, nil
}

// PhoneOfLID returns the phone kept for a hidden @lid id, or "" when none is known.
func (s *Store) PhoneOfLID(ctx context.Context, lid string) (string, error) {
	var phone string
	err := s.pool.QueryRow(ctx, `SELECT phone FROM whatsapp_contacts WHERE lid = $1 AND phone <> '' ORDER BY wrote_at DESC NULLS LAST LIMIT 1`, lid).Scan(&phone)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find the phone of WhatsApp id %s: %w", lid, err)
	}
	return phone, nil
}
