// Package scheduling owns the clinic's calendar: branches and their hours, rooms, doctors'
// attendance, examinations and their service windows, blackout blocks, patients, and clinical
// sessions with their lifecycle and audit trail. Availability is computed by the engine in
// scheduling/availability from rules loaded here.
package scheduling

import (
	"context"
	"log/slog"
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

// DeleteGuard refuses the permanent delete of a session, e.g. once money has moved (DESIGN 3.2). It runs
// inside the delete's transaction with the session row locked; a non-nil error aborts the delete.
type DeleteGuard func(ctx context.Context, tx pgx.Tx, sessionID ID) error

// Config tunes the service.
type Config struct {
	// PhoneRegion is the ISO 3166 region assumed for phone numbers written without a country code;
	// empty means numbers must be international (+…).
	PhoneRegion string
}

// Service is the scheduling core. It is safe for concurrent use.
type Service struct {
	db     DB
	logger *slog.Logger
	now    func() time.Time
	cfg    Config
	guards []DeleteGuard
}

// NewService builds the service on db, with a clock so tests can fix "now".
func NewService(db DB, logger *slog.Logger, now func() time.Time, cfg Config) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, logger: logger, now: now, cfg: cfg}
}

// AddDeleteGuard registers a check run before any permanent delete of a session.
func (s *Service) AddDeleteGuard(g DeleteGuard) { s.guards = append(s.guards, g) }

// ID identifies a record. It travels as a string in JSON (API.md: IDs are strings).
type ID int64

// MarshalJSON writes the id as a JSON string.
func (id ID) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatInt(int64(id), 10)), nil
}

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
