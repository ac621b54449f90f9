package access_test

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/web/access"
)

// clockAt returns a clock reading *at, so a test can move it.
func clockAt(at *time.Time) func() time.Time { return func() time.Time { return *at } }

// newDoctor inserts a doctor row and returns its id.
func newDoctor(t *testing.T, pool *pgxpool.Pool, name string) scheduling.ID {
	t.Helper()
	var id scheduling.ID
	require.NoError(t, pool.QueryRow(context.Background(), `INSERT INTO doctors (name, created_at) VALUES ($1, now()) RETURNING id`, name).Scan(&id))
	return id
}

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	store := access.NewStore(pool, nil)

	token, err := store.CreateToken(ctx, access.Receptionist, "front desk", 0)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(token, "clk_"))
	require.GreaterOrEqual(t, len(token), 4+43, "256 bits of secret")

	p, err := store.Authenticate(ctx, token)
	require.NoError(t, err)
	require.Equal(t, access.Receptionist, p.Role)
	require.Zero(t, p.DoctorID, "a receptionist acts for no doctor")
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

	_, err = store.CreateToken(ctx, "admin", "", 0)
	require.Error(t, err)
	for _, name := range []string{"two\nlines", "tab\there", "\xff", strings.Repeat("n", scheduling.MaxNameLength+1)} {
		_, err = store.CreateToken(ctx, access.Owner, name, 0)
		require.Error(t, err, "%q is refused as a token name", name)
	}
	var count int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens`).Scan(&count))
	require.Equal(t, 1, count, "refused tokens leave no row")
}

func TestUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	store := access.NewStore(pool, nil)

	_, err := store.CreateUser(ctx, "Owner@Clinic.Example", "correct horse battery", access.Owner, 0)
	require.NoError(t, err)
	var hash string
	require.NoError(t, pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE email = 'owner@clinic.example'`).Scan(&hash))
	require.True(t, strings.HasPrefix(hash, "$2"), "bcrypt hash")

	p, err := store.Login(ctx, "owner@clinic.example", "correct horse battery")
	require.NoError(t, err)
	require.Equal(t, access.Owner, p.Role)
	require.Zero(t, p.DoctorID)
	_, err = store.Login(ctx, "owner@clinic.example", "wrong password!")
	require.ErrorIs(t, err, access.ErrUnauthenticated)
	_, err = store.Login(ctx, "nobody@clinic.example", "correct horse battery")
	require.ErrorIs(t, err, access.ErrUnauthenticated)

	doctor := newDoctor(t, pool, "Ana")
	_, err = store.CreateUser(ctx, "x@clinic.example", "short", access.Doctor, doctor)
	require.Error(t, err, "passwords need 10 characters")
	_, err = store.CreateUser(ctx, "not-an-email", "long enough pass", access.Doctor, doctor)
	require.Error(t, err)
}
