package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestSurvivesDatabaseConnectionLoss: after PostgreSQL drops every connection of the server (as on a
// restart), the server reconnects by itself.
func TestSurvivesDatabaseConnectionLoss(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	// Several open connections in the pool, as a busy server has.
	var held []*pgxpool.Conn
	for range 6 {
		c, err := tb.Pool.Acquire(ctx)
		require.NoError(t, err)
		held = append(held, c)
	}
	for _, c := range held {
		c.Release()
	}
	cfg := tb.Pool.Config().ConnConfig.Copy()
	db := cfg.Database
	cfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(ctx, cfg)
	require.NoError(t, err)
	defer admin.Close(ctx)
	var killed int
	require.NoError(t, admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1`, db).Scan(&killed))
	require.Positive(t, killed)

	// The first request may still meet a dead connection: it is told to retry, not given a 500, and
	// the pool is renewed at once, so every request after it succeeds.
	status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/branches", nil)
	if status != http.StatusOK {
		require.Equal(t, http.StatusServiceUnavailable, status, "%v", body)
		require.Equal(t, "database_unavailable", errCode(body))
	}
	for i := range 5 {
		status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/branches", nil)
		require.Equal(t, http.StatusOK, status, "request %d after the connections dropped: %v", i, body)
	}
}
