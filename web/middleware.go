package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
	"clinic/web/console"
)

const (
	ctxRequestID = "request_id"
	ctxPrincipal = "principal"
	maxBodyBytes = 1 << 20
)

// requestIDs gives every request an id (the caller's X-Request-ID when sane) echoed in the answer.
func requestIDs(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if id == "" || len(id) > 64 {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// accessLog writes one structured line per request: who made it (the principal's actor, or
// "anonymous") and how long it took in milliseconds. Query strings are left out: they may carry
// personal data (DESIGN 7).
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	who := "anonymous"
	if p := principal(c); p.Kind != "" {
		who = p.Actor()
	}
	s.log.LogAttrs(c.Request.Context(), level, "http",
		slog.String("request_id", requestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", c.FullPath()),
		slog.Int("status", c.Writer.Status()),
		slog.String("actor", who),
		slog.Float64("took_ms", float64(took)/float64(time.Millisecond)))
}

// recovery turns a panic into a logged 500 in the error shape.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", "request_id", requestID(c), "panic", r)
			if s.console != nil && console.Serves(c.Request.URL.Path) && !c.Writer.Written() {
				s.console.Broken(c, requestID(c))
				return
			}
			abort(c, http.StatusInternalServerError, "internal", "something went wrong on our side; the request id is "+requestID(c))
		}
	}()
	c.Next()
}

// deadline bounds the work of one request, so a stalled database cannot pile requests up: its
// context ends after d, and its answer must be written soon after. Route groups choose their own
// (a long-lived event stream has none).
func deadline(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(d + 5*time.Second))
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// limitBody caps request bodies so a huge upload cannot exhaust memory.
func limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	}
	c.Next()
}

// authenticate resolves the bearer token; without a valid one the request ends with 401.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		c.Header("WWW-Authenticate", `Bearer realm="clinic"`)
		abort(c, http.StatusUnauthorized, "unauthenticated", "an Authorization: Bearer token is required")
		return
	}
	p, err := s.acc.Authenticate(c.Request.Context(), strings.TrimSpace(token))
	if errors.Is(err, access.ErrUnauthenticated) {
		c.Header("WWW-Authenticate", `Bearer realm="clinic", error="invalid_token"`)
		abort(c, http.StatusUnauthorized, "unauthenticated", "the token is not valid")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(ctxPrincipal, p)
	c.Next()
}

// allow lets only the given roles through; the others get 403.
func allow(roles ...access.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, principal(c).Role) {
			abort(c, http.StatusForbidden, "forbidden", "the "+string(principal(c).Role)+" role may not do this")
			return
		}
		c.Next()
	}
}

func principal(c *gin.Context) access.Principal {
	p, _ := c.Get(ctxPrincipal)
	pr, _ := p.(access.Principal)
	return pr
}

func actor(c *gin.Context) scheduling.Actor { return scheduling.Actor(principal(c).Actor()) }
