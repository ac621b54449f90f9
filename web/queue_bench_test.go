package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// BenchmarkQueueAPI is the desk's board on a busy branch day over loopback HTTP: 40 sessions of four
// doctors, half of them checked in, each doctor with a patient in the room and 20 completed visits the
// day before to learn a pace from. It reports x-bare-gin, its mean time over that of BenchmarkBareGin's
// handler measured in the same run.
func BenchmarkQueueAPI(b *testing.B) {
	tb := setupBench(b)
	c := tb.clinic
	ctx := context.Background()
	doctors := []scheduling.ID{c.Doctor.ID}
	for i := 1; i < 4; i++ {
		doctors = append(doctors, c.AddDoctor(b, tb.Svc, fmt.Sprintf("Doctor %d", i)).ID)
	}
	patients := make([]scheduling.ID, 4)
	for i := range patients {
		patients[i] = c.AddPatient(b, tb.Svc, i).ID
	}
	past := schedtest.InsertSessions(b, tb.Pool, c, c.At(2, 8, 0), 20, doctors, patients)
	today := schedtest.InsertSessions(b, tb.Pool, c, c.At(4, 8, 0), 40, doctors, patients)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE sessions SET status = 'completed', opened_at = starts_at, completed_at = starts_at + interval '12 minutes'
			WHERE id = ANY($1)`, []any{past}},
		{`UPDATE sessions SET checked_in_at = starts_at - interval '15 minutes' WHERE id = ANY($1)`, []any{today[:20]}},
		{`UPDATE sessions SET status = 'open', opened_at = starts_at WHERE id = ANY($1)`, []any{today[:4]}},
	} {
		if _, err := tb.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			b.Fatal(err)
		}
	}
	*tb.Clock = c.At(4, 8, 5)
	url := fmt.Sprintf("%s/api/v1/queue?branch_id=%d&date=2027-01-04&sort=arrival", tb.url, c.Branch.ID)
	bare := bareGinMean(b, 500)
	took := timeGets(b, tb.client, url, tb.tokens[access.Receptionist])
	b.ReportMetric(float64(took)/float64(bare), "x-bare-gin")
}

// timeGets runs the benchmark loop of GET url and reports its mean and 99th percentile, returning
// the mean.
func timeGets(b *testing.B, client *http.Client, url, token string) time.Duration {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	var total, worst time.Duration
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		d := time.Since(t0)
		total, worst = total+d, max(worst, d)
		took = append(took, d)
	}
	mean := total / time.Duration(len(took))
	b.ReportMetric(float64(mean)/1e6, "mean-ms")
	b.ReportMetric(float64(worst)/1e6, "max-ms")
	return mean
}

// bareGinMean is BenchmarkBareGin's request, timed n times: the baseline for a ratio.
func bareGinMean(b *testing.B, n int) time.Duration {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/ping", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	srv := httptest.NewServer(r)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var total time.Duration
	for range n {
		t0 := time.Now()
		resp, err := client.Get(srv.URL + "/ping")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		total += time.Since(t0)
	}
	return total / time.Duration(n)
}
