package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
	"clinic/web/access"
)

var (
	errNoSession = errors.New("console: no such session")
	errExpired   = errors.New("console: session expired")
)

// touchEvery is how stale last_seen_at may get before a request writes it again: the idle expiry is
// counted in minutes, so one write a minute per session is enough.
const touchEvery = time.Minute

// account is the signed-in user of a request, with the session it came in.
type account struct {
	SessionID int64
	UserID    int64
	Email     string
	Role      access.Role
	DoctorID  scheduling.ID
	// CSRF is the session's token that every form and state-changing request must carry.
	CSRF string
}

// newToken is a random 256-bit session token, as the cookie carries it.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// csrfToken derives the session's CSRF token from its secret: it cannot be turned back into the
// session token, needs no storage, and changes with every sign-in.
func csrfToken(token string) string {
	h := sha256.Sum256([]byte("clinic console csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// startSession stores a new session for the user and returns its token. Sessions that have expired
// are swept at the same time, so the table holds only live ones and the few since the last sign-in.
func (con *Console) startSession(ctx context.Context, userID int64, userAgent, clientIP string) (string, error) {
	now := con.now()
	if _, err := con.db.Exec(ctx, `DELETE FROM console_sessions WHERE expires_at <= $1 OR last_seen_at <= $2`,
		now, now.Add(-con.cfg.IdleTimeout)); err != nil {
		return "", fmt.Errorf("sweep console sessions: %w", err)
	}
	token := newToken()
	_, err := con.db.Exec(ctx, `INSERT INTO console_sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, client_ip)
		VALUES ($1, $2, $3, $3, $4, left($5, 300), left($6, 64))`,
		tokenHash(token), userID, now, now.Add(con.cfg.Lifetime), userAgent, clientIP)
	if err != nil {
		return "", fmt.Errorf("start console session: %w", err)
	}
	return token, nil
}

// resume finds the session of token: errNoSession when there is none or its user is disabled (a
// sign-in that raced with disabling them), errExpired (and the session is deleted) when it has been
// idle too long or reached its lifetime. A live session's last use is brought up to date.
func (con *Console) resume(ctx context.Context, token string) (account, error) {
	now := con.now()
	a := account{CSRF: csrfToken(token)}
	var lastSeen, expires time.Time
	err := con.db.QueryRow(ctx, `SELECT s.id, u.id, u.email, u.role, coalesce(u.doctor_id, 0), s.last_seen_at, s.expires_at
		FROM console_sessions s JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL WHERE s.token_hash = $1`, tokenHash(token)).
		Scan(&a.SessionID, &a.UserID, &a.Email, &a.Role, &a.DoctorID, &lastSeen, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return account{}, errNoSession
	}
	if err != nil {
		return account{}, fmt.Errorf("read console session: %w", err)
	}
	if !now.Before(expires) || now.Sub(lastSeen) >= con.cfg.IdleTimeout {
		if _, err := con.endSession(ctx, a.SessionID); err != nil {
			return account{}, err
		}
		return account{}, errExpired
	}
	if now.Sub(lastSeen) >= touchEvery {
		if _, err := con.db.Exec(ctx, `UPDATE console_sessions SET last_seen_at = $2 WHERE id = $1`, a.SessionID, now); err != nil {
			return account{}, fmt.Errorf("touch console session: %w", err)
		}
	}
	return a, nil
}

// endSession deletes a session and reports whether it was still there.
func (con *Console) endSession(ctx context.Context, id int64) (bool, error) {
	tag, err := con.db.Exec(ctx, `DELETE FROM console_sessions WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("end console session: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// liveSession is a signed-in session as the owner's list shows it.
type liveSession struct {
	ID        int64
	Email     string
	Role      access.Role
	CreatedAt time.Time
	LastSeen  time.Time
	UserAgent string
	ClientIP  string
}

// liveSessions lists the sessions that have not expired, most recently used first.
func (con *Console) liveSessions(ctx context.Context) ([]liveSession, error) {
	now := con.now()
	rows, err := con.db.Query(ctx, `SELECT s.id, u.email, u.role, s.created_at, s.last_seen_at, s.user_agent, s.client_ip
		FROM console_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.expires_at > $1 AND s.last_seen_at > $2 ORDER BY s.last_seen_at DESC, s.id DESC`,
		now, now.Add(-con.cfg.IdleTimeout))
	if err != nil {
		return nil, fmt.Errorf("list console sessions: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (liveSession, error) {
		var s liveSession
		err := row.Scan(&s.ID, &s.Email, &s.Role, &s.CreatedAt, &s.LastSeen, &s.UserAgent, &s.ClientIP)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("list console sessions: %w", err)
	}
	return list, nil
}
