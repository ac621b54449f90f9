package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"clinic/channels/telegram"
	"clinic/channels/telegram/telegramtest"
	"clinic/inbox"
	"clinic/migrations/dbtest"
)

// senders is how many updates are in flight at once, as Telegram sends a webhook several at a time
// (its max_connections defaults to 40).
const senders = 16

// BenchmarkWebhookUpdates posts updates from new patients to the webhook mounted in Gin as the
// server mounts it, through the real gateway, dialogue, inbox store and outbox queue (DESIGN 6: ≥ 1,000
// updates/s to a stored message and a queued reply). Each update is one patient's "hello": stored,
// answered by the dialogue, and its answer (the greeting and the first question, in one message)
// stored and queued for delivery. It reports updates/s beside a bare Gin handler taking the same posts
// the same way in the same run, and checks afterwards that every update was stored exactly once with
// its answer queued. Run it with a fixed count, e.g.
// go test -run '^$' -bench WebhookUpdates -benchtime 3000x ./channels/telegram/
func BenchmarkWebhookUpdates(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	// The process collects garbage as clinicd serve does (cmd/internal/gc), unless GOGC is set.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	st := setupStack(b, false)
	r := gin.New()
	r.POST(telegram.WebhookPath, gin.WrapH(st.bot))
	srv := httptest.NewServer(r)
	defer srv.Close()

	bareRate := bareGinPosts(b)
	direct := gatewayRate(b, st)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	var next atomic.Int64
	b.SetParallelism((senders + 1) / 2)
	meter := dbtest.MeterPool(b, st.Pool)
	before := meter.Sample(context.Background())
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			p := telegramtest.Patient{ID: int64(1_000_000 + i), FirstName: "Patient", Lang: "en"}
			post(b, client, srv.URL+telegram.WebhookPath, p.Text(i, "hello"))
		}
	})
	rate := float64(b.N) / time.Since(start).Seconds()
	b.StopTimer()
	if self, db, ok := dbtest.PerOp(before, meter.Sample(context.Background()), b.N); ok {
		// CPU per update says what an update costs even when other work shares the machine.
		b.ReportMetric(float64(self.Microseconds()), "µs-cpu-go/update")
		b.ReportMetric(float64(db.Microseconds()), "µs-cpu-db/update")
	}
	b.ReportMetric(rate, "updates/s")
	b.ReportMetric(bareRate, "bare-gin-posts/s")
	b.ReportMetric(rate/bareRate, "ratio")
	b.ReportMetric(direct, "gateway-direct/s")

	// None lost, none doubled: one stored message per update, its answer stored and queued once (the
	// gateway's direct calls are left out).
	const posted = `FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.address NOT LIKE 'direct-%' AND `
	in := st.count(b, `SELECT count(*) `+posted+`m.direction = 'in'`)
	distinct := st.count(b, `SELECT count(DISTINCT m.external_id) `+posted+`m.direction = 'in'`)
	out := st.count(b, `SELECT count(*) `+posted+`m.direction = 'out' AND m.delivery = 'queued'`)
	jobs := st.count(b, `SELECT count(*) FROM river_job j JOIN messages m ON m.id = (j.args->>'message_id')::bigint
		JOIN conversations c ON c.id = m.conversation_id WHERE j.queue = 'outbox' AND c.address NOT LIKE 'direct-%'`)
	if in != b.N || distinct != b.N || out != b.N || jobs != out {
		b.Fatalf("%d updates posted: %d messages stored (%d distinct), %d answers queued, %d delivery jobs",
			b.N, in, distinct, out, jobs)
	}
}

// gatewayRate is the gateway's rate for the same updates handed to it directly, without HTTP or the
// webhook, from the same number of senders: what the webhook adds is the difference.
func gatewayRate(b *testing.B, st *stack) float64 {
	const n = 500
	var next atomic.Int64
	done := make(chan struct{})
	start := time.Now()
	for range senders {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := int(next.Add(1)); i <= n; i = int(next.Add(1)) {
				in := inbox.Inbound{Channel: inbox.Telegram, Address: fmt.Sprintf("direct-%d", i),
					ExternalID: fmt.Sprintf("direct-%d", i), Text: "hello", Name: "Patient", Lang: "en"}
				if _, err := st.gw.Handle(context.Background(), in); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for range senders {
		<-done
	}
	return n / time.Since(start).Seconds()
}

// bareGinPosts is a bare Gin handler's rate for the same posts from the same number of senders.
func bareGinPosts(b *testing.B) float64 {
	r := gin.New()
	r.POST(telegram.WebhookPath, func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) })
	srv := httptest.NewServer(r)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	const n = 20000
	var next atomic.Int64
	done := make(chan struct{})
	start := time.Now()
	for range senders {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := int(next.Add(1)); i <= n; i = int(next.Add(1)) {
				p := telegramtest.Patient{ID: int64(1_000_000 + i), FirstName: "Patient", Lang: "en"}
				post(b, client, srv.URL+telegram.WebhookPath, p.Text(i, "hello"))
			}
		}()
	}
	for range senders {
		<-done
	}
	return n / time.Since(start).Seconds()
}

// post sends one update with the secret as Telegram does; anything but 200 fails the benchmark.
func post(b *testing.B, client *http.Client, url string, u tgbotapi.Update) {
	status, err := telegramtest.Deliver(client, url, secret, u)
	if err != nil {
		b.Error(err)
		return
	}
	if status != http.StatusOK {
		b.Errorf("status %d", status)
	}
}
