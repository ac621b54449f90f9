package web

import (
	"bufio"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// startFeed runs a change feed on pool for the test's lifetime and waits until it listens.
func startFeed(t testing.TB, pool *pgxpool.Pool) *changefeed.Feed {
	t.Helper()
	feed := changefeed.New(pool, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { feed.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-feed.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("the change feed never started listening")
	}
	return feed
}

// sseLine reads the next non-empty line of an event stream, failing after wait.
func sseLine(t *testing.T, lines <-chan string, wait time.Duration) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		require.True(t, ok, "the stream ended")
		return l
	case <-time.After(wait):
		t.Fatal("no event arrived")
		return ""
	}
}

// TestEventStreamOutlivesTheRequestTimeout: API calls keep their time limit while a live stream of
// the branch's changes stays open past it and delivers each committed change.
func TestEventStreamOutlivesTheRequestTimeout(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	rdb, _ := dbtest.NewRedis(t)
	acc := access.NewStore(b.Pool, time.Now)
	h := NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc, Access: acc,
		Feed: startFeed(t, b.Pool), RequestTimeout: 300 * time.Millisecond})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	clinic := schedtest.NewClinic(t, b.Svc)
	token, err := acc.CreateToken(context.Background(), access.Receptionist, "desk", 0)
	require.NoError(t, err)

	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/events?branch_id="+clinic.Branch.ID.String(), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() != "" {
				lines <- sc.Text()
			}
		}
	}()
	require.True(t, strings.HasPrefix(sseLine(t, lines, 5*time.Second), ": following branch"))

	time.Sleep(3 * 300 * time.Millisecond) // well past the request timeout
	sess, err := b.Svc.Book(context.Background(), "desk", clinic.Booking(clinic.At(5, 10, 0)))
	require.NoError(t, err)
	require.Equal(t, "event: session", sseLine(t, lines, 5*time.Second))
	data := sseLine(t, lines, time.Second)
	require.Contains(t, data, `"session_id":"`+sess.ID.String()+`"`)
	require.Contains(t, data, `"day":"2027-01-05"`)
	require.Contains(t, data, `"action":"booked"`)
}

// TestEventStreamRefusals: the stream needs a token and an existing branch.
func TestEventStreamRefusals(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/events", nil, malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", body)
	status, body = tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/events?branch_id=9223372036854775807", nil)
	require.Equal(t, http.StatusNotFound, status, "%v", body)
	resp, err := http.Get(tb.url + "/api/v1/events?branch_id=" + tb.clinic.Branch.ID.String())
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}
