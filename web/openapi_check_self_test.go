package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeAPI answers every request with the same status and body, whatever the spec says.
func fakeAPI(t *testing.T, status int, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// checkFake sends one request through the spec check to a fake server and answers what it found.
func checkFake(t *testing.T, base string, malformedReq bool, method, path, body string) []string {
	t.Helper()
	chk := &specCheck{malformed: malformedReq}
	req, err := http.NewRequestWithContext(withSpecCheck(context.Background(), chk), method, base+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: &specTransport{next: http.DefaultTransport, t: t}}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if method != http.MethodHead {
		require.NotEmpty(t, got, "the caller still reads the answer")
	}
	return chk.problems
}

// TestSpecCheckCatchesMismatches proves the check can fail: fake answers and requests that break
// openapi.json are each caught with a message naming what is wrong, and matching ones pass.
func TestSpecCheckCatchesMismatches(t *testing.T) {
	t.Parallel()
	branch := `{"id":"1","name":"Lisbon","timezone":"Europe/Lisbon","currency":"EUR","tax_rate_bp":2300,` +
		`"slot_interval_minutes":null,"min_notice_minutes":60,"horizon_days":90,"hours":[]}`
	forbidden := `{"error":{"code":"forbidden","message":"the doctor role may not do this"}}`
	cases := []struct {
		name, method, path, body string
		malformed                bool
		status                   int
		answer                   string
		want                     string // "" when the exchange matches the spec
	}{
		{"a matching list", "GET", "/api/v1/branches", "", false, 200, `{"items":[` + branch + `]}`, ""},
		{"a list that is null", "GET", "/api/v1/branches", "", false, 200, `{"items":null}`, "$.items"},
		{"an item missing a field", "GET", "/api/v1/branches/1", "", false, 200, strings.Replace(branch, `"horizon_days":90,`, "", 1), "horizon_days"},
		{"an id that is a number", "GET", "/api/v1/branches/1", "", false, 200, strings.Replace(branch, `"id":"1"`, `"id":1`, 1), "$.id"},
		{"a status the operation does not have", "GET", "/api/v1/branches", "", false, 418, forbidden, "418"},
		{"an error not in the error shape", "GET", "/api/v1/branches", "", false, 403, `{"message":"no"}`, "error"},
		{"a matching error", "GET", "/api/v1/branches", "", false, 403, forbidden, ""},
		{"a request with a wrong type", "POST", "/api/v1/doctors", `{"name": 7}`, false, 201, `{"id":"1","name":"7","specialty":""}`, "$.name"},
		{"a wrong request sent on purpose", "POST", "/api/v1/doctors", `{"name": 7}`, true, 400, `{"error":{"code":"invalid_field","message":"name must be text"}}`, ""},
		{"a path the spec does not have", "GET", "/api/v1/nothing", "", false, 404, `{"error":{"code":"not_found","message":"no such endpoint"}}`, "/api/v1/nothing"},
		{"an unknown path asked on purpose", "GET", "/api/v1/nothing", "", true, 404, `{"error":{"code":"not_found","message":"no such endpoint"}}`, ""},
		{"an unknown path answered without the error shape", "GET", "/api/v1/nothing", "", true, 404, `not found`, "answer"},
		{"an unknown path that succeeds", "GET", "/api/v1/nothing", "", true, 200, `{}`, "is not in openapi.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			problems := checkFake(t, fakeAPI(t, tc.status, tc.answer), tc.malformed, tc.method, tc.path, tc.body)
			if tc.want == "" {
				require.Empty(t, problems)
				return
			}
			require.NotEmpty(t, problems, "the spec check let a mismatch through")
			require.Contains(t, strings.Join(problems, "\n"), tc.want)
		})
	}
}

// recordingTB stands in for the test that built a bundle, to see what the spec check reports to it.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

// TestSpecCheckOfRawRequests: a request sent straight through the bundle's client, not through call,
// fails the test that built the bundle when its answer breaks the spec.
func TestSpecCheckOfRawRequests(t *testing.T) {
	t.Parallel()
	base := fakeAPI(t, 200, `{"items":null}`)
	rec := &recordingTB{TB: t}
	client := &http.Client{Transport: &specTransport{next: http.DefaultTransport, t: rec}}
	resp, err := client.Get(base + "/api/v1/doctors")
	require.NoError(t, err)
	resp.Body.Close()
	require.Len(t, rec.failed, 1)
	require.Contains(t, rec.failed[0], "GET /api/v1/doctors → 200")
	require.Contains(t, rec.failed[0], "$.items")
}

// TestSpecCheckOfEventStreams: an event stream reaches the caller as it is written, not once it ends,
// and its status is still checked against the spec.
func TestSpecCheckOfEventStreams(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]string{http.StatusOK: "", http.StatusTeapot: "418"} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, "event: session\ndata: {}\n\n")
			w.(http.Flusher).Flush()
			<-r.Context().Done() // a stream ends when the client leaves
		}))
		chk := &specCheck{}
		// Were the transport to wait for the end of the stream, Do would give up here.
		ctx, cancel := context.WithTimeout(withSpecCheck(context.Background(), chk), 10*time.Second)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/events?branch_id=1", nil)
		require.NoError(t, err)
		resp, err := (&http.Client{Transport: &specTransport{next: http.DefaultTransport, t: t}}).Do(req)
		require.NoError(t, err)
		line, err := bufio.NewReader(resp.Body).ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "event: session\n", line, "the first event arrives while the stream is open")
		if want == "" {
			require.Empty(t, chk.problems)
		} else {
			require.Contains(t, strings.Join(chk.problems, "\n"), want)
		}
		cancel()
		resp.Body.Close()
		srv.Close()
	}
}
