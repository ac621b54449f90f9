package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedisMessagesGoToTheStructuredLog(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := redisLogger{slog.New(slog.NewJSONHandler(&buf, nil))}
	l.Printf(context.Background(), "redis: connection pool: failed to dial after %d attempts: %v\n", 5, "connection refused")

	var entry map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &entry), "one JSON line: %s", buf.String())
	require.Equal(t, "WARN", entry["level"])
	require.Equal(t, "redis", entry["component"])
	require.Equal(t, "connection pool: failed to dial after 5 attempts: connection refused", entry["msg"])
}
