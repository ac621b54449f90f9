package web

import (
	"net/http"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"clinic/scheduling/schedtest"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	status, body := tb.call(t, "", http.MethodGet, "/healthz", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"status": "ok", "postgres": "ok", "redis": "ok"}, body)

	// A Redis that does not answer is named, and the answer is 503.
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { dead.Close() })
	down := serveBundle(t, schedtest.New(t), dead)
	status, body = down.call(t, "", http.MethodGet, "/healthz", nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "unreachable", body["redis"])
	require.Equal(t, "ok", body["postgres"])
}
