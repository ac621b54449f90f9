// Package sse writes server-sent event streams for the staff's and the patients' live pages: each
// chunk is flushed at once, and a stream has no write deadline however long it stays open.
package sse

import (
	"context"
	"net/http"
	"time"
)

// Stream is one open event stream.
type Stream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// Start answers 200 with an event stream on w. Headers set on w before it are kept.
func Start(w http.ResponseWriter) *Stream {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy must pass events on as they come
	w.WriteHeader(http.StatusOK)
	return &Stream{w: w, rc: rc}
}

// Send writes chunk, which ends with a blank line, and flushes it; false once the client is gone.
func (s *Stream) Send(chunk string) bool {
	if _, err := s.w.Write([]byte(chunk)); err != nil {
		return false
	}
	return s.rc.Flush() == nil
}

// Event sends the event name with its data, a single line.
func (s *Stream) Event(name, data string) bool {
	return s.Send("event: " + name + "\ndata: " + data + "\n\n")
}

// Ping sends a comment, which keeps an idle stream open through proxies that close silent ones.
func (s *Stream) Ping() bool { return s.Send(": ping\n\n") }

// Follow sends each item of items as send writes it, and a ping every heartbeat. It ends the stream
// with an `event: reload` when items closes (the listener fell behind or lost its connection, so
// changes may have been missed) or done closes (the server is stopping): the client reloads, then
// reconnects. It returns then, when ctx ends (the client left), or when a write fails.
func Follow[T any](ctx context.Context, s *Stream, done <-chan struct{}, items <-chan T, heartbeat time.Duration, send func(T) bool) {
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			s.Event("reload", "{}")
			return
		case <-tick.C:
			if !s.Ping() {
				return
			}
		case item, open := <-items:
			if !open {
				s.Event("reload", "{}")
				return
			}
			if !send(item) {
				return
			}
		}
	}
}
