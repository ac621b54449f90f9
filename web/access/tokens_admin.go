package access

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// IssueToken makes a named API token, as an owner does on the tokens page, and records who made it.
// It returns the token and its secret, the only copy there will ever be.
func (s *Store) IssueToken(ctx context.Context, by Principal, name string, role Role, doctor scheduling.ID) (Token, string, error) {
	if err := requireOwner(by); err != nil {
		return Token{}, "", err
	}
	name, err := cleanName(name)
	if err != nil {
		return Token{}, "", err
	}
	if name == "" {
		return Token{}, "", scheduling.Invalid("name_required", "name the token after what will use it, such as “lab results export”")
	}
	if err := parseRole(role); err != nil {
		return Token{}, "", err
	}
	if err := checkDoctor("token", role, doctor); err != nil {
		return Token{}, "", err
	}
	var t Token
	var secret string
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		words, err := roleWords(ctx, tx, role, doctor)
		if err != nil {
			return err
		}
		secret, err = (&Store{db: tx, now: s.now, cache: s.cache}).CreateToken(ctx, role, name, doctor)
		if err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(secret))
		t, err = scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = $1`, sum[:]))
		if err != nil {
			return fmt.Errorf("read the new token: %w", err)
		}
		return s.record(ctx, tx, by, TokenCreated, t.ID, t.Name, words)
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// RevokeTokenBy revokes a token as RevokeToken does and records who did it. It reports whether the
// token was still active; revoking a revoked token changes and records nothing.
func (s *Store) RevokeTokenBy(ctx context.Context, by Principal, id int64) (Token, bool, error) {
	if err := requireOwner(by); err != nil {
		return Token{}, false, err
	}
	var t Token
	var revoked bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return scheduling.NotFound("token", scheduling.ID(id))
		}
		if err != nil {
			return fmt.Errorf("read token %d: %w", id, err)
		}
		if t.RevokedAt != nil {
			return nil
		}
		if t, err = (&Store{db: tx, now: s.now, cache: s.cache}).RevokeToken(ctx, id); err != nil {
			return err
		}
		revoked = true
		return s.record(ctx, tx, by, TokenRevoked, t.ID, t.Name, string(t.Role))
	})
	// Checked tokens remembered while the revocation was being committed are forgotten too: from here
	// on the token is refused on this server, and on the others when the database tells them.
	s.cache.forget()
	if err != nil {
		return Token{}, false, err
	}
	return t, revoked, nil
}
