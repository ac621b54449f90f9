package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/web/access"
)

func TestListAndRevokeTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	now := time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)
	store := access.NewStore(pool, clockAt(&now))
	ana := newDoctor(t, pool, "Ana")

	owner, err := store.CreateToken(ctx, access.Owner, "script", 0)
	require.NoError(t, err)
	created := now
	now = now.Add(time.Hour)
	doctor, err := store.CreateToken(ctx, access.Doctor, "ana", ana)
	require.NoError(t, err)

	tokens, err := store.ListTokens(ctx)
	require.NoError(t, err)
	require.Len(t, tokens, 2)
	require.Equal(t, access.Token{ID: 1, Name: "script", Role: access.Owner}, withoutTimes(tokens[0]))
	require.Equal(t, access.Token{ID: 2, Name: "ana", Role: access.Doctor, DoctorID: ana}, withoutTimes(tokens[1]))
	require.True(t, created.Equal(tokens[0].CreatedAt), "created_at is the store's clock: %v", tokens[0].CreatedAt)
	require.True(t, now.Equal(tokens[1].CreatedAt), "created_at is the store's clock: %v", tokens[1].CreatedAt)
	require.Nil(t, tokens[0].RevokedAt)

	now = now.Add(time.Hour)
	revoked, err := store.RevokeToken(ctx, 1)
	require.NoError(t, err)
	require.NotNil(t, revoked.RevokedAt)
	require.True(t, now.Equal(*revoked.RevokedAt), "revoked_at is the store's clock: %v", *revoked.RevokedAt)
	_, err = store.Authenticate(ctx, owner)
	require.ErrorIs(t, err, access.ErrUnauthenticated, "a revoked token no longer authenticates")
	p, err := store.Authenticate(ctx, doctor)
	require.NoError(t, err, "revoking one token leaves the others working")
	require.Equal(t, ana, p.DoctorID)

	first := now
	now = now.Add(time.Hour)
	again, err := store.RevokeToken(ctx, 1)
	require.NoError(t, err, "revoking twice is harmless")
	require.True(t, first.Equal(*again.RevokedAt), "a second revoke keeps the first time")

	_, err = store.RevokeToken(ctx, 42)
	require.True(t, scheduling.IsCode(err, scheduling.CodeNotFound), "%v", err)
	require.ErrorContains(t, err, "token 42 not found")

	tokens, err = store.ListTokens(ctx)
	require.NoError(t, err)
	require.NotNil(t, tokens[0].RevokedAt)
	require.Nil(t, tokens[1].RevokedAt)
}

func TestCreationTimesComeFromTheClock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	now := time.Date(2031, 7, 14, 12, 0, 0, 0, time.UTC)
	store := access.NewStore(pool, clockAt(&now))

	_, err := store.CreateUser(ctx, "owner@clinic.example", "a long enough password", access.Owner, 0)
	require.NoError(t, err)
	var at time.Time
	require.NoError(t, pool.QueryRow(ctx, `SELECT created_at FROM users`).Scan(&at))
	require.True(t, now.Equal(at), "users.created_at is the store's clock, not the database's: %v", at)

	// A row written without a creation time is refused rather than stamped by the database.
	_, err = pool.Exec(ctx, `INSERT INTO users (email, password_hash, role) VALUES ('x@clinic.example', 'h', 'owner')`)
	require.ErrorContains(t, err, "created_at")
	_, err = pool.Exec(ctx, `INSERT INTO api_tokens (role, token_hash) VALUES ('owner', sha256('x'))`)
	require.ErrorContains(t, err, "created_at")
}

func withoutTimes(t access.Token) access.Token {
	t.CreatedAt, t.RevokedAt = time.Time{}, nil
	return t
}
