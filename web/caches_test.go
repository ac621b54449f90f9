package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// watchRevocations runs the store's revocation watch for the test's lifetime, as clinicd serve does,
// so that the server remembers checked tokens; it returns once the watch listens.
func watchRevocations(t testing.TB, acc *access.Store, pool *pgxpool.Pool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { acc.WatchRevocations(ctx, pool, slog.New(slog.DiscardHandler)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	require.Eventually(t, acc.Watching, 10*time.Second, 5*time.Millisecond, "the revocation watch listens")
}

// TestRevokedTokenIsRefusedAtOnce: a token the server has already let through (and so remembers) is
// refused by the very next request once revoked through the server, and as soon as the database's
// notice arrives when revoked by another process.
func TestRevokedTokenIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	get := func(token string) int {
		req, err := http.NewRequest(http.MethodGet, tb.url+"/api/v1/branches", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := tb.client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	tokens, err := tb.acc.ListTokens(ctx)
	require.NoError(t, err)
	first := len(tokens) + 1
	here, err := tb.acc.CreateToken(ctx, access.Manager, "here", 0)
	require.NoError(t, err)
	elsewhere, err := tb.acc.CreateToken(ctx, access.Manager, "elsewhere", 0)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, get(here))
	require.Equal(t, http.StatusOK, get(elsewhere))

	_, err = tb.acc.RevokeToken(ctx, int64(first))
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, get(here), "revoked through the server: refused at once")

	_, err = access.NewStore(tb.Pool, nil).RevokeToken(ctx, int64(first+1))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return get(elsewhere) == http.StatusUnauthorized }, 5*time.Second, time.Millisecond,
		"revoked by clinicd token revoke: refused once the notice arrives")
	require.Equal(t, http.StatusOK, get(tb.tokens[access.Manager]), "the other tokens still work")
}

// TestAvailabilityReflectsHoursChangedElsewhereAtOnce: hours changed by another server (or a script)
// are in the very next availability answer, although this server keeps the branch's configuration.
func TestAvailabilityReflectsHoursChangedElsewhereAtOnce(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	ctx := context.Background()
	avail := fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=%d&from=2027-01-05&to=2027-01-05", c.Branch.ID, c.Consultation.ID)
	for range 2 {
		_, body := tb.call(t, access.Receptionist, http.MethodGet, avail, nil)
		require.Len(t, body["slots"], 20)
	}
	_, err := tb.Pool.Exec(ctx, `UPDATE branch_hours SET start_minute = 600, end_minute = 660
		WHERE branch_id = $1 AND weekday = 2 AND start_minute = 480`, c.Branch.ID)
	require.NoError(t, err)
	_, body := tb.call(t, access.Receptionist, http.MethodGet, avail, nil)
	require.Len(t, body["slots"], 12, "10:00 and 10:30, then the afternoon")
	require.Equal(t, "2027-01-05T10:00:00Z", body["slots"].([]any)[0].(map[string]any)["start"])
}
