package access_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/web/access"
)

// watch runs store's revocation watch for the test's lifetime and waits until it listens.
func watch(t *testing.T, store *access.Store, pool *pgxpool.Pool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { store.WatchRevocations(ctx, pool, slog.New(slog.DiscardHandler)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	require.Eventually(t, store.Watching, 10*time.Second, 5*time.Millisecond)
}

// authenticates reports whether store accepts token.
func authenticates(t *testing.T, store *access.Store, token string) bool {
	t.Helper()
	_, err := store.Authenticate(context.Background(), token)
	if err != nil {
		require.ErrorIs(t, err, access.ErrUnauthenticated)
	}
	return err == nil
}

// TestCheckedTokensAreRemembered: while revocations are watched a checked token is answered from
// memory, so a change the database does not announce goes unnoticed; without the watch every
// check asks the database.
func TestCheckedTokensAreRemembered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	watched, plain := access.NewStore(pool, nil), access.NewStore(pool, nil)
	watch(t, watched, pool)
	token, err := watched.CreateToken(ctx, access.Owner, "script", 0)
	require.NoError(t, err)
	require.True(t, authenticates(t, watched, token))
	require.True(t, authenticates(t, plain, token))

	_, err = pool.Exec(ctx, `ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_changed`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = now()`)
	require.NoError(t, err)
	require.True(t, authenticates(t, watched, token), "remembered")
	require.False(t, authenticates(t, plain, token), "asked the database")
}

// TestRevokedTokensFailEverywhere: a token revoked through this store fails at once; one revoked by
// another process (clinicd token revoke, another server) fails as soon as the database's notice
// arrives; so does one revoked while the watch had lost its connection, once it is back.
func TestRevokedTokensFailEverywhere(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	server, cli := access.NewStore(pool, nil), access.NewStore(pool, nil)
	watch(t, server, pool)
	var tokens [3]string
	for i := range tokens {
		var err error
		tokens[i], err = server.CreateToken(ctx, access.Manager, "", 0)
		require.NoError(t, err)
		require.True(t, authenticates(t, server, tokens[i]))
	}

	_, err := server.RevokeToken(ctx, 1)
	require.NoError(t, err)
	require.False(t, authenticates(t, server, tokens[0]), "revoked here: fails at once")

	_, err = cli.RevokeToken(ctx, 2)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return !authenticates(t, server, tokens[1]) }, 5*time.Second, time.Millisecond,
		"revoked elsewhere: fails once the notice arrives")
	require.True(t, authenticates(t, server, tokens[2]), "the others still work")

	// The listening connection dies, and a revocation is never announced (as if it happened while
	// the connection was down): nothing remembered from before the loss may be trusted.
	_, err = pool.Exec(ctx, `ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_changed`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %api_tokens_changed%'`)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return !server.Watching() }, 5*time.Second, time.Millisecond, "the loss is noticed")
	_, err = cli.RevokeToken(ctx, 3)
	require.NoError(t, err)
	require.False(t, authenticates(t, server, tokens[2]), "without the watch every check asks the database")
	require.Eventually(t, server.Watching, 10*time.Second, time.Millisecond, "the watch reconnects")
	require.False(t, authenticates(t, server, tokens[2]), "nothing remembered from before the loss is trusted")
}
