package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// logBuffer collects log output written from the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// entry returns the access log line of the request with the given id, or nil.
func (b *logBuffer) entry(t *testing.T, requestID string) map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var e map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), "logs are JSON: %s", sc.Text())
		if e["msg"] == "http" && e["request_id"] == requestID {
			return e
		}
	}
	return nil
}

// loggedServer is a server whose JSON log goes to the returned buffer, with a receptionist token.
func loggedServer(t *testing.T) (url, token string, logs *logBuffer) {
	b := schedtest.New(t)
	rdb, _ := dbtest.NewRedis(t)
	acc := access.NewStore(b.Pool, nil)
	token, err := acc.CreateToken(t.Context(), access.Receptionist, "front desk", 0)
	require.NoError(t, err)
	logs = &logBuffer{}
	h := NewHandler(Deps{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc, Access: acc})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, token, logs
}

func TestAccessLogNamesTheActorAndTheMilliseconds(t *testing.T) {
	t.Parallel()
	url, token, logs := loggedServer(t)

	req, err := http.NewRequest(http.MethodGet, url+"/api/v1/branches", nil)
	require.NoError(t, err)
	req.Header.Set("X-Request-ID", "log-anonymous")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// A body that arrives 200 ms late keeps the request in the server for about that long (less the time
	// the request takes to reach the handler on a busy machine).
	const delay = 200 * time.Millisecond
	body, w := io.Pipe()
	go func() {
		w.Write([]byte("{"))
		time.Sleep(delay)
		w.Write([]byte("}"))
		w.Close()
	}()
	req, err = http.NewRequest(http.MethodPost, url+"/api/v1/sessions", body)
	require.NoError(t, err)
	req.Header.Set("X-Request-ID", "log-slow")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	wall := time.Since(start)
	require.Less(t, resp.StatusCode, 500)

	var anon, slow map[string]any
	require.Eventually(t, func() bool {
		anon, slow = logs.entry(t, "log-anonymous"), logs.entry(t, "log-slow")
		return anon != nil && slow != nil
	}, 5*time.Second, 10*time.Millisecond, "both requests are logged")

	require.Equal(t, "anonymous", anon["actor"], "a request without credentials is anonymous")
	require.Equal(t, "token:1 front desk", slow["actor"], "the authenticated principal is named")
	for _, e := range []map[string]any{anon, slow} {
		ms, ok := e["took_ms"].(float64)
		require.True(t, ok, "took_ms is a number: %v", e["took_ms"])
		require.Greater(t, ms, 0.0)
	}
	ms := slow["took_ms"].(float64)
	require.GreaterOrEqual(t, ms, float64(delay/2)/float64(time.Millisecond), "took_ms counts milliseconds, not seconds")
	require.LessOrEqual(t, ms, float64(wall)/float64(time.Millisecond), "nor microseconds: no more than the client waited")
	require.False(t, strings.Contains(logs.String(), token[4:]), "tokens stay out of the logs")
}
