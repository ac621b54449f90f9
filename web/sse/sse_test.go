package sse_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/web/sse"
)

// TestStreamFlushesEachEvent: the client reads each event as it is sent, before the handler returns.
func TestStreamFlushesEachEvent(t *testing.T) {
	t.Parallel()
	next := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Kept", "yes")
		s := sse.Start(w)
		s.Send(": hello\n\n")
		s.Event("change", `{"id":"1"}`)
		<-next
		s.Ping()
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, "yes", resp.Header.Get("X-Kept"))
	r := bufio.NewReader(resp.Body)
	var got []string
	for len(got) < 5 {
		line, err := r.ReadString('\n')
		require.NoError(t, err)
		got = append(got, line)
	}
	require.Equal(t, []string{": hello\n", "\n", "event: change\n", "data: {\"id\":\"1\"}\n", "\n"}, got,
		"both chunks arrived while the handler still waits")
	close(next)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, ": ping\n", line)
}

// TestFollowSendsItemsThenReload: items are sent as they come; a closed feed or a stopping server
// ends the stream with a reload, and a client that left ends it silently.
func TestFollowSendsItemsThenReload(t *testing.T) {
	t.Parallel()
	follow := func(ctx context.Context, done chan struct{}, items chan int) string {
		rec := httptest.NewRecorder()
		s := sse.Start(rec)
		sse.Follow(ctx, s, done, items, time.Hour, func(n int) bool { return s.Event("n", strconv.Itoa(n)) })
		return rec.Body.String()
	}
	items := make(chan int, 2)
	items <- 1
	items <- 2
	close(items)
	require.Equal(t, "event: n\ndata: 1\n\nevent: n\ndata: 2\n\nevent: reload\ndata: {}\n\n",
		follow(context.Background(), nil, items))

	done := make(chan struct{})
	close(done)
	require.Equal(t, "event: reload\ndata: {}\n\n", follow(context.Background(), done, make(chan int)))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.Empty(t, follow(ctx, nil, make(chan int)))
}
