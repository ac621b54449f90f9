package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// tokenPrefix marks clinic API tokens so they are recognisable in a leak scan.
const tokenPrefix = "clk_"

// Token describes an API token; its secret is never kept, so it is never shown again.
type Token struct {
	ID   int64
	Name string
	Role Role
	// DoctorID is the doctor a doctor's token acts for; 0 for other roles.
	DoctorID  scheduling.ID
	CreatedAt time.Time
	// RevokedAt is when the token stopped working; nil while it is active.
	RevokedAt *time.Time
}

const tokenColumns = `id, name, role, coalesce(doctor_id, 0), created_at, revoked_at`

func scanToken(row pgx.Row) (Token, error) {
	var t Token
	err := row.Scan(&t.ID, &t.Name, &t.Role, &t.DoctorID, &t.CreatedAt, &t.RevokedAt)
	return t, err
}

// CreateToken makes a new API token with a role and returns its only plain-text copy. A doctor's token
// names its doctor; other roles pass 0.
func (s *Store) CreateToken(ctx context.Context, role Role, name string, doctor scheduling.ID) (string, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", err
	}
	name, err := cleanName(name)
	if err != nil {
		return "", err
	}
	if err := checkDoctor("token", role, doctor); err != nil {
		return "", err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", fmt.Errorf("token secret: %w", err)
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	_, err = s.db.Exec(ctx, `INSERT INTO api_tokens (name, role, doctor_id, token_hash, created_at)
		VALUES ($1, $2, nullif($3::bigint, 0), $4, $5)`, name, role, doctor, sum[:], s.now())
	if err != nil {
		return "", storeError("store token", err, doctor)
	}
	return token, nil
}

// Authenticate resolves a bearer token. The lookup is by hash, so timing reveals nothing of the secret;
// while WatchRevocations runs, a token checked before is answered from memory.
func (s *Store) Authenticate(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return Principal{}, ErrUnauthenticated
	}
	sum := sha256.Sum256([]byte(token))
	if p, ok := s.cache.get(sum); ok {
		return p, nil
	}
	generation := s.cache.begin()
	p := Principal{Kind: "token"}
	err := s.db.QueryRow(ctx, `SELECT id, name, role, coalesce(doctor_id, 0) FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL`, sum[:]).Scan(&p.ID, &p.Name, &p.Role, &p.DoctorID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate token: %w", err)
	}
	s.cache.put(generation, sum, p)
	return p, nil
}

// ListTokens returns every token, active and revoked, oldest first.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken stops a token from authenticating and returns it. Revoking a revoked token changes
// nothing: it keeps the time it was first revoked.
func (s *Store) RevokeToken(ctx context.Context, id int64) (Token, error) {
	t, err := scanToken(s.db.QueryRow(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2)
		WHERE id = $1 RETURNING `+tokenColumns, id, s.now()))
	// Other servers hear of it from the database; this one forgets at once.
	s.cache.forget()
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, scheduling.NotFound("token", scheduling.ID(id))
	}
	if err != nil {
		return Token{}, fmt.Errorf("revoke token %d: %w", id, err)
	}
	return t, nil
}
