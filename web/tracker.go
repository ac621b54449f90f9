package web

import (
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling/privacy"
	"clinic/scheduling/queue"
	"clinic/web/public"
)

// PublicConfig tunes what patients open without signing in: the queue tracker's links and page.
type PublicConfig struct {
	// BaseURL starts the links given to patients (CLINIC_BASE_URL, e.g. https://clinic.example);
	// empty uses the scheme and host the staff's request came to.
	BaseURL string
	// RateLimit is how many requests a minute one client address may send to /api/v1/public/* and
	// /q/* (CLINIC_PUBLIC_RATE_LIMIT); 0 turns the limit off.
	RateLimit int
	// RedisPrefix starts the Redis keys of the rate limit.
	RedisPrefix string
	// TrustProxy takes the client's address from the last X-Forwarded-For entry, the one a reverse
	// proxy in front added; set it only when the server is reachable through that proxy alone.
	TrustProxy bool
}

// tracker serves the patient's public view of their place in the queue (DESIGN 3.3), and the
// clinic's privacy settings that mask it (DESIGN 7).
type tracker struct {
	s      *Server
	site   *public.Site
	places *placeCache
	links  *linkCache

	queueOnce sync.Once
	queue     *queue.Service

	settingsMu sync.Mutex
	settings   privacy.Settings
	settingsAt time.Time

	limitLog logThrottle
}

// trackerRoutes serves the patient's public view of their place in the queue, and the clinic's
// privacy settings that mask it. Public routes hang off r or bounded, without authentication.
func (s *Server) trackerRoutes(r *gin.Engine, bounded, api *gin.RouterGroup) {
	t := &tracker{s: s, site: public.MustLoad(), links: newLinkCache()}
	t.places = newPlaceCache(t)

	api.GET("/settings/privacy", allow(anyStaff...), t.getPrivacy)
	api.PUT("/settings/privacy", allow(managers...), t.putPrivacy)
	api.GET("/sessions/:id/tracking", allow(desk...), t.trackingLink)

	limited := bounded.Group("", t.rateLimit)
	limited.GET("/api/v1/public/queue/:token", t.publicPlace)
	limited.GET("/q/:token", t.page)
	bounded.GET(public.AssetPrefix+":file", t.asset)
	// The live view lasts as long as the patient keeps the page open: no request time limit.
	r.GET("/api/v1/public/queue/:token/events", t.rateLimit, t.events)
}

func (t *tracker) queueService() *queue.Service {
	t.queueOnce.Do(func() { t.queue = queue.New(t.s.pool, t.s.sched) })
	return t.queue
}
