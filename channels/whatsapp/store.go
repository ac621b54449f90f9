// Package whatsapp is the WhatsApp channel (DESIGN 3.5, 8): whatsmeow's events become inbox messages,
// replies go out as numbered lists, exactly one server holds the connection, and the link's state is
// kept in PostgreSQL so every server's console shows it.
package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store keeps the channel's own tables: the link's state, the contacts who wrote to the clinic, and
// link requests waiting for the server that holds the connection.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time

	// seen is the last phone sighting this store wrote (zero: none yet, or forgotten with the link):
	// a sighting less than phoneSeenStep after it is dropped without asking the database.
	seenMu sync.Mutex
	seen   time.Time
}

// NewStore returns a store on pool; now is the clock the states are stamped with (nil: system clock).
func NewStore(pool *pgxpool.Pool, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{pool: pool, now: now}
}

// Link is the connection's last recorded state.
type Link struct {
	State  State
	Detail string
	Since  time.Time
	// Account is the linked phone number in E.164, empty while not linked.
	Account string
	// QRCode is the code to show as a QR image while linking, valid until QRExpires.
	QRCode    string
	QRExpires time.Time
	// Holder names the server that holds the connection; HeldAt is its last sign of life.
	Holder string
	HeldAt time.Time
	// PhoneSeen is when the linked phone was last seen online; zero when not known.
	PhoneSeen time.Time
}

// Link reads the recorded state; before anything was recorded it is not linked.
func (s *Store) Link(ctx context.Context) (Link, error) {
	var l Link
	var qrExp, heldAt, seen *time.Time
	err := s.pool.QueryRow(ctx, `SELECT state, detail, since, account, qr_code, qr_expires_at, holder, held_at, phone_seen_at
		FROM whatsapp_link`).Scan(&l.State, &l.Detail, &l.Since, &l.Account, &l.QRCode, &qrExp, &l.Holder, &heldAt, &seen)
	if errors.Is(err, pgx.ErrNoRows) {
		return Link{State: NotLinked}, nil
	}
	if err != nil {
		return Link{}, fmt.Errorf("read the WhatsApp link state: %w", err)
	}
	if qrExp != nil {
		l.QRExpires = *qrExp
	}
	if heldAt != nil {
		l.HeldAt = *heldAt
	}
	if seen != nil {
		l.PhoneSeen = *seen
	}
	return l, nil
}

// SetState records a new state of the connection; since moves only when the state changes, so the
// console says how long it has been so. A state other than linking clears the QR code.
func (s *Store) SetState(ctx context.Context, state State, detail string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_link (state, detail, since) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET detail = EXCLUDED.detail,
			since = CASE WHEN whatsapp_link.state = EXCLUDED.state THEN whatsapp_link.since ELSE EXCLUDED.since END,
			state = EXCLUDED.state,
			qr_code = CASE WHEN EXCLUDED.state = 'linking' THEN whatsapp_link.qr_code ELSE '' END,
			qr_expires_at = CASE WHEN EXCLUDED.state = 'linking' THEN whatsapp_link.qr_expires_at END`,
		state, cut(detail, 500), s.now())
	if err != nil {
		return fmt.Errorf("record the WhatsApp state %s: %w", state, err)
	}
	return nil
}

// Linked reports whether a phone is linked: a number is recorded and the link was not ended.
func (l Link) Linked() bool {
	return l.Account != "" && l.State != LoggedOut && l.State != NotLinked
}

// SetAccount records the linked phone number (E.164), or clears it with "", which forgets when the
// phone was last seen too.
func (s *Store) SetAccount(ctx context.Context, phone string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_link (state, since, account) VALUES ('not_linked', $1, $2)
		ON CONFLICT (id) DO UPDATE SET account = EXCLUDED.account,
			phone_seen_at = CASE WHEN EXCLUDED.account = '' THEN NULL ELSE whatsapp_link.phone_seen_at END`, s.now(), phone)
	if phone == "" {
		s.seenMu.Lock()
		s.seen = time.Time{}
		s.seenMu.Unlock()
	}
	if err != nil {
		return fmt.Errorf("record the linked WhatsApp number: %w", err)
	}
	return nil
}

// SetQR records the QR code to show while linking and when it expires; the state becomes linking.
func (s *Store) SetQR(ctx context.Context, code string, expires time.Time) error {
	now := s.now()
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_link (state, detail, since, qr_code, qr_expires_at)
		VALUES ('linking', 'waiting for the QR code to be scanned', $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET detail = EXCLUDED.detail, qr_code = EXCLUDED.qr_code, qr_expires_at = EXCLUDED.qr_expires_at,
			since = CASE WHEN whatsapp_link.state = 'linking' THEN whatsapp_link.since ELSE EXCLUDED.since END,
			state = 'linking'`, now, code, expires)
	if err != nil {
		return fmt.Errorf("record the WhatsApp QR code: %w", err)
	}
	return nil
}

// phoneSeenStep is how much later a sighting of the phone must be than the recorded one to be written:
// the day count does not need more. A busy phone reports itself on every receipt, in the client's
// event handler; within the step of the sighting this store last wrote, no query is made.
const phoneSeenStep = time.Hour

// PhoneSeen records that the linked phone was online at t (a time ahead of the clock counts as now).
// An earlier sighting, or one less than phoneSeenStep after the recorded one, changes nothing.
func (s *Store) PhoneSeen(ctx context.Context, t time.Time) error {
	now := s.now()
	if t.IsZero() || t.After(now) {
		t = now
	}
	s.seenMu.Lock()
	last := s.seen
	s.seenMu.Unlock()
	if !last.IsZero() && t.Before(last.Add(phoneSeenStep)) {
		return nil
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_link (state, since, phone_seen_at) VALUES ('not_linked', $1, $2)
		ON CONFLICT (id) DO UPDATE SET phone_seen_at = EXCLUDED.phone_seen_at
		WHERE whatsapp_link.phone_seen_at IS NULL OR whatsapp_link.phone_seen_at <= EXCLUDED.phone_seen_at - make_interval(secs => $3)`,
		now, t, phoneSeenStep.Seconds())
	if err != nil {
		return fmt.Errorf("record when the linked phone was online: %w", err)
	}
	if tag.RowsAffected() == 1 {
		s.seenMu.Lock()
		if t.After(s.seen) {
			s.seen = t
		}
		s.seenMu.Unlock()
	}
	return nil
}

// Heartbeat records that holder still holds the connection.
func (s *Store) Heartbeat(ctx context.Context, holder string) error {
	now := s.now()
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_link (state, since, holder, held_at) VALUES ('not_linked', $1, $2, $1)
		ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, held_at = EXCLUDED.held_at`, now, cut(holder, 200))
	if err != nil {
		return fmt.Errorf("record the WhatsApp connection holder: %w", err)
	}
	return nil
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
