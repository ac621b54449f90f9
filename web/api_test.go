package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/channels"
	"clinic/channels/dialogue"
	"clinic/channels/outbox"
	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/queue"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// testBundle is a server on its own database with a token per role and the standard clinic.
type testBundle struct {
	*schedtest.Bundle
	url    string
	clinic *schedtest.Clinic
	tokens map[access.Role]string
	client *http.Client
	// acc is the server's token store, which remembers checked tokens as in production.
	acc *access.Store
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	// Wired as the server wires it: sessions get their invoices, deletes keep records and money.
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{record.KeepRecords, billing.SessionListener}})
	rdb, _ := dbtest.NewRedis(t)
	return serveBundle(t, b, rdb)
}

func serveBundle(t testing.TB, b *schedtest.Bundle, rdb *redis.Client) *testBundle {
	return serveBundleWith(t, b, rdb, true)
}

// setupWithoutInbox serves the API without the inbox, the chat and the outbox, as a server that does not
// run them.
func setupWithoutInbox(t *testing.T) *testBundle {
	t.Helper()
	rdb, _ := dbtest.NewRedis(t)
	return serveBundleWith(t, schedtest.New(t), rdb, false)
}

func serveBundleWith(t testing.TB, b *schedtest.Bundle, rdb *redis.Client, withInbox bool) *testBundle {
	acc := access.NewStore(b.Pool, func() time.Time { return *b.Clock })
	watchRevocations(t, acc, b.Pool)
	// The inbox and the chat as the server runs them, with a sender that records instead of delivering.
	logger := slog.New(slog.DiscardHandler)
	store := inbox.NewStore(b.Pool, logger, b.Svc.Now, b.Svc, &inboxtest.Recorder{}, inbox.Config{BaseURL: inboxtest.BaseURL})
	prefix := fmt.Sprintf("t:bundle:%d:", rand.Int64())
	t.Cleanup(func() {
		ctx := context.Background()
		for iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator(); iter.Next(ctx); {
			rdb.Del(ctx, iter.Val())
		}
	})
	// The outbox's settings and failures are read from the database; nothing is delivered, so it is not
	// started.
	ob, err := outbox.New(b.Pool, logger, b.Svc.Now, nil, outbox.Config{})
	require.NoError(t, err)
	ob.Use(store, queue.New(b.Pool, b.Svc))
	engine := dialogue.New(logger, b.Svc.Now, b.Svc, store, rdb, dialogue.Config{Prefix: prefix, BaseURL: inboxtest.BaseURL})
	deps := Deps{Logger: logger, Pool: b.Pool, Redis: rdb, Scheduling: b.Svc, Access: acc, Feed: startFeed(t, b.Pool)}
	if withInbox {
		deps.Inbox, deps.Chat, deps.Outbox = store, channels.NewGatewayWith(b.Pool, logger, store, engine), ob
		deps.Public = PublicConfig{RedisPrefix: prefix}
	}
	h := NewHandler(deps)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	// Every request a test sends and every answer it gets is checked against openapi.json; benchmarks
	// measure the server alone.
	var transport http.RoundTripper = &http.Transport{MaxIdleConnsPerHost: 256}
	if _, bench := t.(*testing.B); !bench {
		transport = &specTransport{next: transport, t: t}
	}
	tb := &testBundle{Bundle: b, url: srv.URL, clinic: schedtest.NewClinic(t, b.Svc), tokens: map[access.Role]string{},
		client: &http.Client{Transport: transport}}
	tb.acc = acc
	for _, r := range []access.Role{access.Owner, access.Manager, access.Doctor, access.Receptionist} {
		doctor := tb.clinic.Doctor.ID // the doctor's token acts for the clinic's doctor
		if r != access.Doctor {
			doctor = 0
		}
		tok, err := acc.CreateToken(context.Background(), r, string(r), doctor)
		require.NoError(t, err)
		tb.tokens[r] = tok
	}
	return tb
}

// callOption changes how call sends or checks one request.
type callOption func(req *http.Request, chk *specCheck)

// malformed marks a request that a test sends broken on purpose (bad JSON, wrong types, ids that are no
// ids): it is not checked against openapi.json, but its answer still is.
func malformed(_ *http.Request, chk *specCheck) { chk.malformed = true }

// call sends body (a string is sent as is, anything else as JSON) with the role's token and decodes the
// answer (nil for a text answer, such as the Markdown guide). The request and the answer must match
// openapi.json, or the test fails.
func (tb *testBundle) call(t *testing.T, role access.Role, method, path string, body any, opts ...callOption) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(v)
	default:
		b, err := json.Marshal(v)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, tb.url+path, rd)
	require.NoError(t, err)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+tb.tokens[role])
	}
	req.Header.Set("Content-Type", "application/json")
	chk := &specCheck{}
	req = req.WithContext(withSpecCheck(req.Context(), chk))
	for _, opt := range opts {
		opt(req, chk)
	}
	resp, err := tb.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if len(chk.problems) > 0 {
		require.Failf(t, "does not match openapi.json", "%s %s → %d:\n%s", method, path, resp.StatusCode, strings.Join(chk.problems, "\n"))
	}
	var out map[string]any
	if len(raw) > 0 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/") {
		require.NoErrorf(t, json.Unmarshal(raw, &out), "answer is not JSON: %s", raw)
	}
	return resp.StatusCode, out
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}
