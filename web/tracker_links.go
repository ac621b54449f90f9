package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
	"clinic/scheduling/privacy"
)

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
	token, expires, err := t.privacyStore().TrackingLink(ctx, sess, actor(c))
	if err != nil {
		t.s.fail(c, err)
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
	if len(token) != privacy.TokenLength || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
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
