// Package access holds staff accounts and API tokens and the roles they carry. Passwords are stored
// as bcrypt hashes; API tokens are 256-bit random secrets stored as SHA-256 (a slow hash adds nothing
// to a secret that long, and every API request checks one).
package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/bcrypt"
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

// tokenPrefix marks clinic API tokens so they are recognisable in a leak scan.
const tokenPrefix = "clk_"

// Querier runs queries; a *pgxpool.Pool or a pgx.Tx.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store reads and writes accounts and tokens.
type Store struct{ db Querier }

// NewStore returns a store on db.
func NewStore(db Querier) *Store { return &Store{db: db} }

// CreateToken makes a new API token with a role and returns its only plain-text copy.
func (s *Store) CreateToken(ctx context.Context, role Role, name string) (string, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("token secret: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	if _, err := s.db.Exec(ctx, `INSERT INTO api_tokens (name, role, token_hash) VALUES ($1, $2, $3)`, name, role, sum[:]); err != nil {
		return "", fmt.Errorf("store token: %w", err)
	}
	return token, nil
}

// Authenticate resolves a bearer token. The lookup is by hash, so timing reveals nothing of the secret.
func (s *Store) Authenticate(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return Principal{}, ErrUnauthenticated
	}
	sum := sha256.Sum256([]byte(token))
	p := Principal{Kind: "token"}
	err := s.db.QueryRow(ctx, `SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`, sum[:]).
		Scan(&p.ID, &p.Name, &p.Role)
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate token: %w", err)
	}
	return p, nil
}

// CreateUser adds a console user with a bcrypt-hashed password.
func (s *Store) CreateUser(ctx context.Context, email, password string, role Role) (int64, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return 0, fmt.Errorf("%q is not an email address", email)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return 0, err
	}
	if len(password) < 10 {
		return 0, errors.New("a password needs at least 10 characters")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return 0, fmt.Errorf("hash password: %w", err)
	}
	var id int64
	err = s.db.QueryRow(ctx, `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
		ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role
		RETURNING id`, email, string(hash), role).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store user: %w", err)
	}
	return id, nil
}

// Login checks a console user's password.
func (s *Store) Login(ctx context.Context, email, password string) (Principal, error) {
	var hash string
	p := Principal{Kind: "user", Name: strings.ToLower(strings.TrimSpace(email))}
	err := s.db.QueryRow(ctx, `SELECT id, role, password_hash FROM users WHERE email = $1`, p.Name).Scan(&p.ID, &p.Role, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		// Hash anyway so a missing account takes as long as a wrong password.
		bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1xZbG5i3aJZ0zP0iZa4cB5e"), []byte(password))
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("login: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return Principal{}, ErrUnauthenticated
	}
	return p, nil
}
