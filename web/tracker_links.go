package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// tokenBytes is the randomness of a tracking token: 192 bits, written as 32 base64url characters.
const tokenBytes = 24

var tokenLength = base64.RawURLEncoding.EncodedLen(tokenBytes)

// trackingLink answers a new public link to follow the session's place in the queue:
// GET /api/v1/sessions/{id}/tracking → {token, url, expires_at}. Only the token's SHA-256 is kept;
// the link works until the end of the session's local day.
func (t *tracker) trackingLink(c *gin.Context) {
	id, ok := pathID(c, "session")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	sess, err := t.s.sched.GetSession(ctx, id)
	if err != nil {
		t.s.fail(c, err)
		return
	}
	y, m, d := sess.Start.Date() // the session's times are in its branch's zone
	expires := time.Date(y, m, d+1, 0, 0, 0, 0, sess.Start.Location())
	now := t.s.sched.Now()
	if !expires.After(now) {
		t.s.fail(c, scheduling.Rule("session_day_over", "session %d was on %d-%02d-%02d; a tracking link works only until the end of the session's day", id, y, m, d))
		return
	}
	raw := make([]byte, tokenBytes)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	_, err = t.s.pool.Exec(ctx, `INSERT INTO tracking_links (token_hash, session_id, created_at, created_by, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, sum[:], id, now, string(actor(c)), expires)
	if err != nil {
		t.s.fail(c, fmt.Errorf("save tracking link of session %d: %w", id, err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": token, "url": t.baseURL(c) + "/q/" + token, "expires_at": expires})
}

// baseURL is where patients reach this server: the configured base, or the request's own address.
func (t *tracker) baseURL(c *gin.Context) string {
	if b := t.s.public.BaseURL; b != "" {
		return strings.TrimRight(b, "/")
	}
	scheme := "http"
	if c.Request.TLS != nil || t.s.public.TrustProxy && strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// link is what a tracking token opens.
type link struct {
	session, branch scheduling.ID
	expires         time.Time
}

// linkCache remembers the links recently opened: a link never changes once made, so a patient's page
// and its live updates look their token up in the database once.
type linkCache struct {
	mu    sync.Mutex
	links map[[sha256.Size]byte]link
}

// maxCachedLinks bounds the cache; past it, it starts again empty.
const maxCachedLinks = 50_000

func newLinkCache() *linkCache { return &linkCache{links: map[[sha256.Size]byte]link{}} }

// errNoLink is an unknown, malformed or expired token. Every such token answers the same, so an
// answer never tells which.
var errNoLink = &scheduling.Error{Kind: scheduling.KindNotFound, Code: scheduling.CodeNotFound, Message: "no such tracking link"}

// lookup opens a token, or answers errNoLink.
func (t *tracker) lookup(ctx context.Context, token string) (link, error) {
	if len(token) != tokenLength || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return link{}, errNoLink
	}
	sum := sha256.Sum256([]byte(token))
	now := t.s.sched.Now()
	t.links.mu.Lock()
	l, ok := t.links.links[sum]
	t.links.mu.Unlock()
	if !ok {
		err := t.s.pool.QueryRow(ctx, `SELECT l.session_id, s.branch_id, l.expires_at
			FROM tracking_links l JOIN sessions s ON s.id = l.session_id WHERE l.token_hash = $1`, sum[:]).
			Scan(&l.session, &l.branch, &l.expires)
		if errors.Is(err, pgx.ErrNoRows) {
			return link{}, errNoLink
		}
		if err != nil {
			return link{}, fmt.Errorf("tracking link: %w", err)
		}
		t.links.mu.Lock()
		if len(t.links.links) >= maxCachedLinks {
			clear(t.links.links)
		}
		t.links.links[sum] = l
		t.links.mu.Unlock()
	}
	if !l.expires.After(now) {
		return link{}, errNoLink
	}
	return l, nil
}
