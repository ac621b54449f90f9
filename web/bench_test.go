package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// BenchmarkAvailabilityAPI is DESIGN 6's availability case end to end over loopback HTTP: one doctor,
// 30 days, 200 bookings and 20 blocks in the way, one request after another. The server runs as
// clinicd serve does, remembering checked tokens and the branch's configuration. Compare with
// BenchmarkBareGin from the same run.
func BenchmarkAvailabilityAPI(b *testing.B) {
	tb := setupBench(b)
	c := tb.clinic
	ctx := context.Background()
	from := scheduling.Date{Year: 2027, Month: time.January, Day: 5}
	slots, err := tb.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: c.Branch.ID,
		ExaminationIDs: []scheduling.ID{c.Consultation.ID}, From: from, To: scheduling.Date{Year: 2027, Month: time.February, Day: 3}})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		if _, err := tb.Svc.Book(ctx, "bench", c.Booking(slots[i*len(slots)/200].Start)); err != nil {
			b.Fatal(err)
		}
	}
	// 20 mid-morning doctor blocks on working days (the clinic is closed on Sundays).
	for day, placed := c.At(5, 10, 0), 0; placed < 20; day = day.AddDate(0, 0, 1) {
		if day.Weekday() == time.Sunday {
			continue
		}
		if _, err := tb.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, DoctorID: &c.Doctor.ID,
			Start: day, End: day.Add(45 * time.Minute), Reason: "bench"}); err != nil {
			b.Fatal(err)
		}
		placed++
	}
	url := fmt.Sprintf("%s/api/v1/availability?branch_id=%d&doctor_id=%d&examination_id=%d&from=2027-01-05&to=2027-02-03",
		tb.url, c.Branch.ID, c.Doctor.ID, c.Consultation.ID)
	benchGet(b, tb.client, url, tb.tokens[access.Receptionist])
}

// BenchmarkBareGin is the baseline: a Gin handler answering a small JSON object over the same transport.
func BenchmarkBareGin(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/ping", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	srv := httptest.NewServer(r)
	defer srv.Close()
	benchGet(b, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}, srv.URL+"/ping", "")
}

func benchGet(b *testing.B, client *http.Client, url, token string) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	b.ReportAllocs()
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
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	var total time.Duration
	for _, d := range took {
		total += d
	}
	b.ReportMetric(float64(total)/float64(len(took))/1e6, "mean-ms")
	b.ReportMetric(float64(took[len(took)*99/100])/1e6, "p99-ms")
	b.ReportMetric(float64(len(took))/total.Seconds(), "req/s")
}

func setupBench(b *testing.B) *testBundle {
	rdb, _ := dbtest.NewRedis(b)
	return serveBundle(b, schedtest.New(b), rdb)
}
