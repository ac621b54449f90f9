package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

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

// Wrote records that a contact wrote to the clinic: from then on the clinic may answer it, and a
// STOP the contact sent before is over (writing again is opting in again). The phone and hidden id are
// kept when given, so a later message from the hidden id alone finds the phone.
func (s *Store) Wrote(ctx context.Context, c Contact) error {
	now := s.now()
	_, err := s.pool.Exec(ctx, `WITH contact AS (
			INSERT INTO whatsapp_contacts AS w (address, phone, lid, wrote_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (address) DO UPDATE SET
				phone = CASE WHEN EXCLUDED.phone <> '' THEN EXCLUDED.phone ELSE w.phone END,
				lid = CASE WHEN EXCLUDED.lid <> '' THEN EXCLUDED.lid ELSE w.lid END,
				wrote_at = COALESCE(w.wrote_at, EXCLUDED.wrote_at),
				opted_out_at = NULL
			RETURNING address)
		UPDATE whatsapp_opt_outs SET ended_at = $4, ended_by = 'wrote'
		WHERE address = (SELECT address FROM contact) AND ended_at IS NULL`,
		c.Address, c.Phone, c.LID, now)
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

// Permission is whether the clinic may message one WhatsApp address.
type Permission struct {
	// Allowed is true when the person wrote to the clinic or agreed to be messaged there.
	Allowed bool
	// OptedOut is when they asked the clinic to stop (STOP), zero unless that still holds: the
	// clinic then starts nothing there until they write again.
	OptedOut time.Time
}

// Permission reads whether the clinic may message address.
func (s *Store) Permission(ctx context.Context, address string) (Permission, error) {
	var p Permission
	var out *time.Time
	err := s.pool.QueryRow(ctx, `SELECT true, opted_out_at FROM whatsapp_contacts WHERE address = $1`, address).Scan(&p.Allowed, &out)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Permission{}, fmt.Errorf("check consent of the WhatsApp contact %s: %w", address, err)
	}
	if out != nil {
		p.OptedOut = *out
	}
	return p, nil
}

// Consented says whether the clinic may start a message to address: the person wrote first or
// agreed, and has not asked the clinic to stop since.
func (s *Store) Consented(ctx context.Context, address string) (bool, error) {
	p, err := s.Permission(ctx, address)
	return p.Allowed && p.OptedOut.IsZero(), err
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
