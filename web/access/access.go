// Package access holds staff accounts and API tokens and the roles they carry. Passwords are stored
// as bcrypt hashes; API tokens are 256-bit random secrets stored as SHA-256 (a slow hash adds nothing
// to a secret that long, and every API request checks one). A doctor's token or account names the
// doctor it acts for.
package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"clinic/scheduling"
)

// Role is what a principal may do.
type Role string

// The roles, from most to least powerful.
const (
	Owner        Role = "owner"
	Manager      Role = "manager"
	Doctor       Role = "doctor"
	Receptionist Role = "receptionist"
)

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Owner, Manager, Doctor, Receptionist:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (owner, manager, doctor, receptionist)", s)
}

// Principal is an authenticated caller.
type Principal struct {
	Kind string // "token" or "user"
	ID   int64
	Name string
	Role Role
	// DoctorID is the doctor a doctor's token or account acts for; 0 for every other role.
	DoctorID scheduling.ID
}

// Actor names the principal in audit trails.
func (p Principal) Actor() string {
	if p.Name == "" {
		return fmt.Sprintf("%s:%d", p.Kind, p.ID)
	}
	return fmt.Sprintf("%s:%d %s", p.Kind, p.ID, p.Name)
}

// ErrUnauthenticated means the credentials are missing, wrong or revoked.
var ErrUnauthenticated = errors.New("access: invalid credentials")

// Querier runs queries; a *pgxpool.Pool or a pgx.Tx.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store reads and writes accounts and tokens.
type Store struct {
	db  Querier
	now func() time.Time
	// cache remembers checked tokens while WatchRevocations runs.
	cache *tokenCache
}

// NewStore returns a store on db. now is the clock that stamps creation and revocation times (nil means
// the system clock), so tests can fix it and every record agrees with the rest of the server.
func NewStore(db Querier, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, cache: newTokenCache()}
}

// checkDoctor enforces that a doctor's token or account names its doctor and no other role names one.
func checkDoctor(what string, role Role, doctor scheduling.ID) error {
	switch {
	case role == Doctor && doctor <= 0:
		return scheduling.Invalid("doctor_required", "a doctor's %s must name the doctor it acts for", what)
	case role != Doctor && doctor != 0:
		return scheduling.Invalid("doctor_not_allowed", "only a doctor's %s names a doctor; the %s role acts for none", what, role)
	}
	return nil
}

// storeError describes a failed write: an unknown doctor (the doctor_id foreign key) is a not-found
// error for that doctor, anything else is wrapped with what was being done.
func storeError(doing string, err error, doctor scheduling.ID) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" && strings.HasSuffix(pgErr.ConstraintName, "doctor_id_fkey") {
		return scheduling.NotFound("doctor", doctor)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// cleanName checks a token's name: valid UTF-8 without control characters (it is printed one token a
// line), trimmed, at most scheduling.MaxNameLength characters.
func cleanName(s string) (string, error) {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return "", scheduling.Invalid("invalid_text", "the token name must be plain text on one line")
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > scheduling.MaxNameLength {
		return "", scheduling.Invalid("too_long", "the token name has %d characters; at most %d are allowed", n, scheduling.MaxNameLength)
	}
	return s, nil
}
