// Package console is the staff console: server-rendered pages served by the same Gin server as the
// API, for the front desk's tablet and the doctors' and managers' laptops (DESIGN 4). Staff sign in
// with email and password; console sessions live in PostgreSQL behind an opaque cookie, every form
// carries a CSRF token, and repeated wrong passwords are throttled and then locked out through Redis
// (DESIGN 7).
//
// Each page is one handler file and one template (templates/NAME.html, rendered inside
// templates/layout.html, with the fragments several pages share under templates/partials); templates
// and assets are embedded and parsed once in New, which fails when one is missing. Assets are served under content-hash URLs so browsers may keep them forever.
package console

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"

	"clinic/channels"
	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/privacy"
	"clinic/scheduling/queue"
	"clinic/web/access"
)

// Prefix is the path under which the console is served.
const Prefix = "/console"

// Config tunes the console.
type Config struct {
	// ClinicName is shown in the top bar and the page titles (default "Clinic").
	ClinicName string
	// TrustProxy believes the X-Forwarded-Proto and X-Forwarded-For headers of a reverse proxy in
	// front of the server: a request that came in over https gets a Secure cookie, and the client's
	// address for the sign-in lock-out is the one the proxy saw. Leave it off when clients reach the
	// server directly, or they could claim any address.
	TrustProxy bool
	// IdleTimeout ends a session that has not been used for this long (default 30 minutes).
	IdleTimeout time.Duration
	// Lifetime ends a session this long after sign-in however much it is used (default 12 hours).
	Lifetime time.Duration
	// RedisPrefix starts every Redis key the console writes (default "clinic:console:").
	RedisPrefix string
	// Lockout is the policy against guessing passwords; zero fields take their defaults.
	Lockout Lockout
	// PublicBaseURL is where patients reach the server, for the links staff hand them (empty: the
	// address the console was reached at).
	PublicBaseURL string
}

func (c Config) withDefaults() Config {
	c.ClinicName = cmp.Or(c.ClinicName, "Clinic")
	c.IdleTimeout = cmp.Or(c.IdleTimeout, 30*time.Minute)
	c.Lifetime = cmp.Or(c.Lifetime, 12*time.Hour)
	c.RedisPrefix = cmp.Or(c.RedisPrefix, "clinic:console:")
	c.Lockout = c.Lockout.withDefaults()
	return c
}

// DB runs queries: a *pgxpool.Pool or a pgx.Tx.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Deps is what the console needs from the rest of the server.
type Deps struct {
	Logger *slog.Logger
	// DB holds the users and the console sessions.
	DB DB
	// Redis counts failed sign-ins.
	Redis      *redis.Client
	Scheduling *scheduling.Service
	Access     *access.Store
	// Queue is the waiting-room queue (nil: built on DB).
	Queue *queue.Service
	// Feed follows committed session changes for the live pages (nil: they do not update by themselves).
	Feed *changefeed.Feed
	// Done is closed when the server shuts down, ending the live streams so that the shutdown does
	// not wait for them (nil: they end only with their clients).
	Done <-chan struct{}
	// Now is the clock of session times and lock-outs (nil: the system clock).
	Now func() time.Time
	// Inbox holds booking requests (nil: no inbox or booking-form settings pages).
	Inbox *inbox.Store
	// InboxFeed follows committed inbox changes for the live inbox pages (nil: they do not update by
	// themselves); its Run must be running.
	InboxFeed *inbox.Follower
	// Resend sends a message that could not be delivered to a patient again (nil: the inbox offers no
	// "Send again").
	Resend Resender
	// Channels report each channel's health for the channels page and the banner on every page.
	Channels []channels.HealthSource
	Config   Config
}

// Console serves the staff pages.
type Console struct {
	log       *slog.Logger
	db        DB
	sched     *scheduling.Service
	acc       *access.Store
	queue     *queue.Service
	privacy   *privacy.Store
	feed      *changefeed.Feed
	done      <-chan struct{}
	now       func() time.Time
	cfg       Config
	pages     pages
	assets    *assets
	throttle  *throttle
	inbox     *inbox.Store
	inboxFeed *inbox.Follower
	resend    Resender
	channels  []channels.HealthSource
}

// New parses the templates and hashes the assets; a missing or broken template is an error, so the
// server does not start with a page that cannot be shown.
func New(d Deps) (*Console, error) {
	if d.Logger == nil || d.DB == nil || d.Redis == nil || d.Scheduling == nil || d.Access == nil {
		return nil, errors.New("console: Logger, DB, Redis, Scheduling and Access are required")
	}
	cfg := d.Config.withDefaults()
	a, err := loadAssets(assetFS)
	if err != nil {
		return nil, err
	}
	p, err := parsePages(templateFS, a)
	if err != nil {
		return nil, err
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	sdb, ok := d.DB.(scheduling.DB)
	if !ok {
		return nil, errors.New("console: DB must run batches and transactions (a pool or a transaction)")
	}
	q := d.Queue
	if q == nil {
		q = queue.New(sdb, d.Scheduling)
	}
	return &Console{log: d.Logger, db: d.DB, sched: d.Scheduling, acc: d.Access, queue: q, feed: d.Feed, done: d.Done, now: now,
		cfg: cfg, pages: p, assets: a, throttle: &throttle{rdb: d.Redis, prefix: cfg.RedisPrefix, policy: cfg.Lockout},
		privacy: privacy.NewStore(sdb, d.Scheduling.Now), inbox: d.Inbox, inboxFeed: d.InboxFeed, resend: d.Resend, channels: d.Channels}, nil
}

// MountStreams adds the console's long-lived event streams under Prefix: signed-in like every page,
// without the time limit of the group Mount is given.
func (con *Console) MountStreams(r gin.IRouter) {
	g := r.Group(Prefix, securityHeaders, con.requireSession)
	con.queueStreamRoutes(g)
	con.inboxStreamRoutes(g)
}

// Mount adds the console's routes under Prefix.
func (con *Console) Mount(r gin.IRouter) {
	g := r.Group(Prefix, securityHeaders)
	g.GET("/assets/:file", con.asset)
	g.GET("/signin", con.signinPage)
	g.POST("/signin", con.signin)

	in := g.Group("", con.requireSession, con.checkCSRF)
	in.POST("/signout", con.signout)
	in.GET("/", con.today)
	con.visitRoutes(in)
	con.patientRoutes(in)
	con.billingRoutes(in) // the invoice preview and patients' money records
	in.GET("/calendar", con.calendar)
	blocks := in.Group("", con.allow(access.Owner, access.Manager))
	blocks.POST("/blocks", con.addBlock)
	blocks.POST("/blocks/:id/delete", con.removeBlock)
	con.mountBooking(in)
	owner := in.Group("", con.allow(access.Owner))
	owner.GET("/sign-ins", con.signins)
	owner.POST("/sign-ins/:id/end", con.endSignin)
	con.catalogSettingsRoutes(in)
	con.examSettingsRoutes(in)
	con.staffSettingsRoutes(in)
	con.queueRoutes(in)
	con.inboxRoutes(in)
	con.formSettingsRoutes(in)
	con.channelRoutes(in)
}
