package access_test

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/web/access"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	store := access.NewStore(pool)

	token, err := store.CreateToken(ctx, access.Receptionist, "front desk")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(token, "clk_"))
	require.GreaterOrEqual(t, len(token), 4+43, "256 bits of secret")

	p, err := store.Authenticate(ctx, token)
	require.NoError(t, err)
	require.Equal(t, access.Receptionist, p.Role)
	require.Equal(t, "token:1 front desk", p.Actor())

	var stored []byte
	require.NoError(t, pool.QueryRow(ctx, `SELECT token_hash FROM api_tokens`).Scan(&stored))
	sum := sha256.Sum256([]byte(token))
	require.Equal(t, sum[:], stored, "the SHA-256 of the token is stored")
	var plain int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens t WHERE position($1 IN t::text) > 0`, token[4:]).Scan(&plain))
	require.Zero(t, plain, "the token itself is stored nowhere in the row")

	for _, bad := range []string{"", token + "x", token[:len(token)-1], "clk_" + strings.Repeat("A", 43), strings.TrimPrefix(token, "clk_")} {
		_, err := store.Authenticate(ctx, bad)
		require.ErrorIs(t, err, access.ErrUnauthenticated, bad)
	}
	_, err = pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = now()`)
	require.NoError(t, err)
	_, err = store.Authenticate(ctx, token)
	require.ErrorIs(t, err, access.ErrUnauthenticated, "a revoked token no longer works")

	_, err = store.CreateToken(ctx, "admin", "")
	require.Error(t, err)
}

func TestUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	store := access.NewStore(pool)

	_, err := store.CreateUser(ctx, "Owner@Clinic.Example", "correct horse battery", access.Owner)
	require.NoError(t, err)
	var hash string
	require.NoError(t, pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE email = 'owner@clinic.example'`).Scan(&hash))
	require.True(t, strings.HasPrefix(hash, "$2"), "bcrypt hash")

	p, err := store.Login(ctx, "owner@clinic.example", "correct horse battery")
	require.NoError(t, err)
	require.Equal(t, access.Owner, p.Role)
	_, err = store.Login(ctx, "owner@clinic.example", "wrong password!")
	require.ErrorIs(t, err, access.ErrUnauthenticated)
	_, err = store.Login(ctx, "nobody@clinic.example", "correct horse battery")
	require.ErrorIs(t, err, access.ErrUnauthenticated)

	_, err = store.CreateUser(ctx, "x@clinic.example", "short", access.Doctor)
	require.Error(t, err, "passwords need 10 characters")
	_, err = store.CreateUser(ctx, "not-an-email", "long enough pass", access.Doctor)
	require.Error(t, err)
}
