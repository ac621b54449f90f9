// Package web is the HTTP layer: the JSON API under /api/v1, health and the API description. Handlers
// are thin: decode, call the core, encode; domain errors become the API's error shape in one place.
package web

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/record"
	"clinic/web/access"
	"clinic/web/console"
)

// Deps is what the HTTP layer serves.
type Deps struct {
	Logger     *slog.Logger
	Pool       *pgxpool.Pool
	Redis      *redis.Client
	Scheduling *scheduling.Service
	Access     *access.Store
	// Feed delivers committed session changes to live viewers; its Run must be running.
	Feed *changefeed.Feed
	// Done, when closed, ends the long-lived event streams (the server is shutting down).
	Done <-chan struct{}
	// RequestTimeout bounds each API request (default 15 s); event streams are not bounded.
	RequestTimeout time.Duration
	// Console is the staff console, served under /console; nil serves none.
	Console *console.Console
	// Records keeps clinical records and their templates; nil means a store on Pool with the
	// scheduling service's clock.
	Records *record.Store
	// Public configures the public pages: link base, rate limit (tracker.go).
	Public PublicConfig
	// Inbox holds booking requests and their conversations; nil serves no inbox or booking-form routes.
	Inbox *inbox.Store
	// Chat takes the website chatbot's turns; nil answers the chat endpoint with 503.
	Chat channels.Handler
	// Telegram receives the Telegram webhook (POST /webhooks/telegram); nil serves 404 there.
	Telegram http.Handler
	// Channels report each channel's health (GET /api/v1/channels, the console's banner).
	Channels []channels.HealthSource
	// Outbox delivers messages to patients; nil answers its routes (failures, retry) with 503.
	Outbox *outbox.Outbox
}

// Server holds the services the handlers call.
type Server struct {
	log   *slog.Logger
	pool  *pgxpool.Pool
	redis *redis.Client
	sched *scheduling.Service
	acc   *access.Store
	feed  *changefeed.Feed
	done  <-chan struct{}
	// timeout bounds each API request.
	timeout  time.Duration
	console  *console.Console
	records  *record.Store
	public   PublicConfig
	inbox    *inbox.Store
	chat     channels.Handler
	telegram http.Handler
	channels []channels.HealthSource
	outbox   *outbox.Outbox
}

// NewHandler builds the HTTP handler with every route.
func NewHandler(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{log: d.Logger, pool: d.Pool, redis: d.Redis, sched: d.Scheduling, acc: d.Access, feed: d.Feed, done: d.Done,
		timeout: cmp.Or(d.RequestTimeout, 15*time.Second), console: d.Console, public: d.Public,
		inbox: d.Inbox, chat: d.Chat, telegram: d.Telegram, channels: d.Channels, outbox: d.Outbox}
	if s.records = d.Records; s.records == nil {
		s.records = record.NewStore(d.Pool, d.Scheduling.Now)
	}
	return s.routes()
}

// health answers 200 when PostgreSQL and Redis both answer, 503 naming the one that does not.
func (s *Server) health(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	status := gin.H{"postgres": "ok", "redis": "ok"}
	code := http.StatusOK
	if err := s.pool.Ping(ctx); err != nil {
		status["postgres"], code = "unreachable", http.StatusServiceUnavailable
	}
	if err := s.redis.Ping(ctx).Err(); err != nil {
		status["redis"], code = "unreachable", http.StatusServiceUnavailable
	}
	if code == http.StatusOK {
		status["status"] = "ok"
	} else {
		status["status"] = "degraded"
	}
	c.JSON(code, status)
}
