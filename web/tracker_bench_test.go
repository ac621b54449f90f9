package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/web/access"
)

// liveViewers is how many patients' pages follow the queue while the public view is measured
// (DESIGN 6).
const liveViewers = 1000

// BenchmarkPublicQueueWithViewers measures GET /api/v1/public/queue/{token} while 1,000 live pages
// follow the branch, reports its requests/s against a bare Gin handler measured the same way in the
// same run (the budget is a ratio of at least 0.5), then changes the queue and checks that every page
// hears of it within 2 s.
func BenchmarkPublicQueueWithViewers(b *testing.B) {
	f := setupTracker(b, PublicConfig{})
	status, body := f.callB(b, access.Receptionist, fmt.Sprintf("/api/v1/sessions/%d/tracking", f.second.ID))
	if status != http.StatusOK {
		b.Fatalf("tracking link: %d %v", status, body)
	}
	token := body["token"].(string)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	streams := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: liveViewers}}
	var updated atomic.Int64
	var ready, done sync.WaitGroup
	changed := make(chan struct{})
	for range liveViewers {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.url+"/api/v1/public/queue/"+token+"/events", nil)
			resp, err := streams.Do(req)
			if err != nil {
				ready.Done()
				return
			}
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			places := 0
			for sc.Scan() {
				if !strings.HasPrefix(sc.Text(), "event: place") {
					continue
				}
				places++
				if places == 1 {
					ready.Done()
					continue
				}
				select {
				case <-changed:
					updated.Add(1)
					return
				default: // a change before the one measured
				}
			}
		}()
	}
	ready.Wait()

	bare := bareGinRate(b)
	url := f.url + "/api/v1/public/queue/" + token
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		get(b, client, url)
		n++
	}
	rate := float64(n) / time.Since(start).Seconds()
	b.StopTimer()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(bare, "bare-gin-req/s")
	b.ReportMetric(rate/bare, "ratio")

	// The patient ahead goes in: every page must hear it within 2 s.
	close(changed)
	t0 := time.Now()
	if _, err := f.Svc.Open(context.Background(), "bench", f.first.ID); err != nil {
		b.Fatal(err)
	}
	for updated.Load() < liveViewers && time.Since(t0) < 2*time.Second {
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(t0)
	b.ReportMetric(float64(updated.Load()), "viewers-updated")
	b.ReportMetric(float64(took.Milliseconds()), "update-ms")
	if updated.Load() < liveViewers {
		b.Errorf("only %d of %d pages heard of the change within 2 s", updated.Load(), liveViewers)
	}
	cancel()
	done.Wait()
}

// bareGinRate is BenchmarkBareGin's handler measured over a fixed number of requests.
func bareGinRate(b *testing.B) float64 {
	r := gin.New()
	r.GET("/ping", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	srv := httptest.NewServer(r)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	const n = 5000
	start := time.Now()
	for range n {
		get(b, client, srv.URL+"/ping")
	}
	return n / time.Since(start).Seconds()
}

func get(b *testing.B, client *http.Client, url string) {
	resp, err := client.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	var buf [4096]byte
	for {
		if _, err := resp.Body.Read(buf[:]); err != nil {
			break
		}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

// callB is call for benchmarks: a GET with the role's token, the answer decoded.
func (tb *testBundle) callB(b *testing.B, role access.Role, path string) (int, map[string]any) {
	req, _ := http.NewRequest(http.MethodGet, tb.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+tb.tokens[role])
	resp, err := tb.client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = jsonDecode(resp, &out)
	return resp.StatusCode, out
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
