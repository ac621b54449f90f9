package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// RequestKind is what staff ask of the server holding the connection.
type RequestKind string

// The link requests.
const (
	// RequestQR starts linking by QR code (the codes appear in the link state as they come).
	RequestQR RequestKind = "qr"
	// RequestPair asks for a pairing code to type on the phone instead of scanning.
	RequestPair RequestKind = "pair"
	// RequestUnlink ends the link and forgets the device.
	RequestUnlink RequestKind = "unlink"
)

// requestTTL is how long a request waits for the holder; older ones are dropped unanswered, so a
// server that takes over later does not act on a click nobody waits for any more.
const requestTTL = time.Minute

// ErrNoHolder is a link request that no server took up in time: no server holds the connection.
var ErrNoHolder = scheduling.Rule("whatsapp_unavailable",
	"No server is running the WhatsApp connection right now. Start the server (or `clinicd whatsapp link`) and try again.")

// linkRequest is one pending request.
type linkRequest struct {
	ID    int64
	Kind  RequestKind
	Phone string
}

// Ask records a link request for the holder and waits up to wait for its answer: the pairing code
// for RequestPair, the first QR code for RequestQR. A refusal by the holder is a domain error.
func (s *Store) Ask(ctx context.Context, kind RequestKind, phone string, wait time.Duration) (string, error) {
	l, err := s.Link(ctx)
	if err != nil {
		return "", err
	}
	if l.HeldAt.IsZero() || s.now().Sub(l.HeldAt) > staleAfter {
		return "", ErrNoHolder
	}
	var id int64
	err = s.pool.QueryRow(ctx, `INSERT INTO whatsapp_link_requests (kind, phone, created_at) VALUES ($1, $2, $3) RETURNING id`,
		kind, phone, s.now()).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("ask for WhatsApp %s: %w", kind, err)
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-deadline.C:
			return "", ErrNoHolder
		case <-tick.C:
		}
		var done *time.Time
		var result, msg string
		err := s.pool.QueryRow(ctx, `SELECT done_at, result, error FROM whatsapp_link_requests WHERE id = $1`, id).Scan(&done, &result, &msg)
		if err != nil {
			return "", fmt.Errorf("read WhatsApp %s answer: %w", kind, err)
		}
		if done == nil {
			continue
		}
		if msg != "" {
			return "", scheduling.Conflict("whatsapp_"+string(kind)+"_failed", "%s", msg)
		}
		return result, nil
	}
}

// pending returns the oldest request still waiting, if any, and drops the ones nobody waits for.
func (s *Store) pending(ctx context.Context) (*linkRequest, error) {
	now := s.now()
	if _, err := s.pool.Exec(ctx, `UPDATE whatsapp_link_requests SET done_at = $1, error = 'nobody answered in time'
		WHERE done_at IS NULL AND created_at < $2`, now, now.Add(-requestTTL)); err != nil {
		return nil, fmt.Errorf("drop stale WhatsApp requests: %w", err)
	}
	var r linkRequest
	err := s.pool.QueryRow(ctx, `SELECT id, kind, phone FROM whatsapp_link_requests WHERE done_at IS NULL ORDER BY id LIMIT 1`).
		Scan(&r.ID, &r.Kind, &r.Phone)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read WhatsApp requests: %w", err)
	}
	return &r, nil
}

// answer records a request's result, or its failure in words for staff.
func (s *Store) answer(ctx context.Context, id int64, result string, failure error) error {
	msg := ""
	if failure != nil {
		msg = cut(failure.Error(), 500)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE whatsapp_link_requests SET done_at = $2, result = $3, error = $4 WHERE id = $1`,
		id, s.now(), cut(result, 1000), msg); err != nil {
		return fmt.Errorf("answer WhatsApp request %d: %w", id, err)
	}
	return nil
}
