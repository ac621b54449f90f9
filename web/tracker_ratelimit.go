package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// rateLimit lets one client address send at most PublicConfig.RateLimit requests a minute to the
// public endpoints (DESIGN 7), counted in Redis so that every instance shares the count: a fixed
// window per minute. Past it the answer is 429 with Retry-After. When Redis does not answer, the
// request goes through: the public pages matter more than the limit.
func (t *tracker) rateLimit(c *gin.Context) {
	limit := t.s.public.RateLimit
	if limit <= 0 {
		c.Next()
		return
	}
	now := time.Now()
	window := now.Unix() / 60
	key := t.s.public.RedisPrefix + "ratelimit:public:" + t.clientKey(c) + ":" + strconv.FormatInt(window, 10)
	ctx, cancel := context.WithTimeout(c.Request.Context(), 250*time.Millisecond)
	defer cancel()
	pipe := t.s.redis.Pipeline()
	count := pipe.Incr(ctx, key)
	pipe.Expire(ctx, key, 2*time.Minute)
	if _, err := pipe.Exec(ctx); err != nil {
		if t.limitLog.allow(now) {
			t.s.log.WarnContext(c.Request.Context(), "public rate limit skipped: Redis did not answer", "err", err)
		}
		c.Next()
		return
	}
	if count.Val() > int64(limit) {
		wait := 60 - now.Unix()%60
		c.Header("Retry-After", strconv.FormatInt(wait, 10))
		abort(c, http.StatusTooManyRequests, "rate_limited",
			fmt.Sprintf("too many requests from your address; try again in %d seconds", wait))
		return
	}
	c.Next()
}

// clientKey is the address the limit counts: the peer, or behind a trusted proxy the address it
// saw; an IPv6 client counts by its /64, which one subscriber usually holds whole.
func (t *tracker) clientKey(c *gin.Context) string {
	addr := c.RemoteIP()
	if t.s.public.TrustProxy {
		if xff := c.GetHeader("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			addr = strings.TrimSpace(parts[len(parts)-1])
		}
	}
	ip := net.ParseIP(addr)
	if ip == nil {
		return "unknown"
	}
	if ip.To4() == nil {
		ip = ip.Mask(net.CIDRMask(64, 128))
	}
	return ip.String()
}

// logThrottle lets a repeated warning through once every ten seconds, so an outage does not flood
// the log with one line per request.
type logThrottle struct{ last atomic.Int64 }

func (l *logThrottle) allow(now time.Time) bool {
	last := l.last.Load()
	return now.UnixNano()-last >= int64(10*time.Second) && l.last.CompareAndSwap(last, now.UnixNano())
}
