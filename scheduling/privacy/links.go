package privacy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"clinic/scheduling"
)

// TokenBytes is the randomness of a tracking token: 192 bits, written as 32 base64url characters.
const TokenBytes = 24

// TokenLength is the length of a tracking token as written.
var TokenLength = base64.RawURLEncoding.EncodedLen(TokenBytes)

// TrackingLink makes a new token with which the session's patient follows their place in the queue
// (the public page /q/{token}). Only its SHA-256 is kept; it works until the end of the session's
// local day, and a session whose day is over gets none.
func (s *Store) TrackingLink(ctx context.Context, sess *scheduling.Session, actor scheduling.Actor) (token string, expires time.Time, err error) {
	y, m, d := sess.Start.Date() // a session's times are in its branch's zone
	expires = time.Date(y, m, d+1, 0, 0, 0, 0, sess.Start.Location())
	now := s.now()
	if !expires.After(now) {
		return "", time.Time{}, scheduling.Rule("session_day_over",
			"session %d was on %d-%02d-%02d; a tracking link works only until the end of the session's day", sess.ID, y, m, d)
	}
	raw := make([]byte, TokenBytes)
	rand.Read(raw)
	token = base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	_, err = s.db.Exec(ctx, `INSERT INTO tracking_links (token_hash, session_id, created_at, created_by, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, sum[:], sess.ID, now, string(actor), expires)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("save tracking link of session %d: %w", sess.ID, err)
	}
	return token, expires, nil
}
