// Package scheduling owns the clinic's calendar: branches and their hours, rooms, doctors'
// attendance, examinations and their service windows, blackout blocks, patients, and clinical
// sessions with their lifecycle and audit trail. Availability is computed by the engine in
// scheduling/availability from rules loaded here.
package scheduling

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB runs queries: a *pgxpool.Pool, or a pgx.Tx so a caller can wrap several calls in one transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Config tunes the service.
type Config struct {
	// PhoneRegion is the ISO 3166 region assumed for phone numbers written without a country code;
	// empty means numbers must be international (+…).
	PhoneRegion string
	// Listeners are called, in order, inside the transaction of every change to a session (see
	// Change). They are fixed at construction: other parts (billing, the queue, reminders) are wired
	// in by cmd/, and nothing registers later.
	Listeners []Listener
}

// Service is the scheduling core. It is safe for concurrent use.
type Service struct {
	db     DB
	logger *slog.Logger
	now    func() time.Time
	cfg    Config
	// doctor, when set, is the one doctor whose sessions this service may change (AsDoctor).
	doctor ID
	// cachedSetups keeps the branch configurations availability reads, between requests.
	cachedSetups *setupCache
	// announce sends the notices of changes committed in the service's own transactions.
	announce *Announcer
}

// NewService builds the service on db, with a clock so tests can fix "now".
func NewService(db DB, logger *slog.Logger, now func() time.Time, cfg Config) *Service {
	if now == nil {
		now = time.Now
	}
	cfg.Listeners = slices.Clone(cfg.Listeners)
	return &Service{db: db, logger: logger, now: now, cfg: cfg, cachedSetups: newSetupCache(),
		announce: NewAnnouncer(db, logger, NotifyChannel)}
}

// WithTx returns the service running inside the caller's transaction: its reads see the caller's
// writes, and each of its writes runs in a savepoint of tx, so a refused write (a taken slot, say)
// leaves tx usable and answers with the same domain error as outside it.
func (s *Service) WithTx(tx pgx.Tx) *Service {
	c := *s
	c.db = tx
	return &c
}

// AsDoctor returns the service acting for one doctor, which may change only that doctor's sessions
// (a doctor's token or user names its doctor: DESIGN 4). Any other session answers KindForbidden.
func (s *Service) AsDoctor(id ID) *Service {
	c := *s
	c.doctor = id
	return &c
}

// Now is the service's clock, for callers that record times alongside its changes.
func (s *Service) Now() time.Time { return s.now() }

// inTx runs fn in a transaction of its own, or in a savepoint when the service runs in the caller's.
func (s *Service) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.db, fn)
}

// write runs fn, which writes in one statement, in a transaction when inTx or when the service runs
// in the caller's (a refused statement must not abort it), and otherwise alone: one statement is
// atomic, and sparing BEGIN and COMMIT spares two round trips.
func (s *Service) write(ctx context.Context, fn func(DB) error, inTx bool) error {
	if _, joined := s.db.(pgx.Tx); inTx || joined {
		return s.inTx(ctx, func(tx pgx.Tx) error { return fn(tx) })
	}
	return fn(s.db)
}

// ID identifies a record. It travels as a string in JSON (API.md: IDs are strings).
type ID int64

// MarshalJSON writes the id as a JSON string.
func (id ID) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatInt(int64(id), 10)), nil
}

// String writes the id in decimal, as it appears in paths and JSON.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// UnmarshalJSON accepts a string or a number.
func (id *ID) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	parsed, ok := ParseID(s)
	if !ok {
		return invalid("invalid_id", "%s is not a valid id", string(b))
	}
	*id = parsed
	return nil
}

// ParseID parses an id from a path or query parameter.
func ParseID(s string) (ID, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return ID(n), err == nil && n > 0
}

// Actor names who made a change, for the audit trail (e.g. "token:3 front desk" or "user:7").
type Actor string
