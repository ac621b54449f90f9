// Command bookload measures how fast the clinic books sessions over HTTP and compares it with
// pgbench's default (TPC-B-like) transaction on the same PostgreSQL server. The ratio
// bookings/s ÷ pgbench tps is roughly independent of the machine; the budget is ≥ 0.50.
//
//	go run ./cmd/bookload [-clients 16] [-duration 10s] [-admin-url URL] [-redis-url URL]
//	                      [-pgbench-clients N] [-keep] [-cpuprofile FILE]
//
// It creates a scratch database clinic_load_<random>, migrates it and builds a clinic with one doctor
// per client, serves the real handler (web.NewHandler) on a loopback port, and lets each client book
// consecutive 15-minute slots of its own doctor for the duration. Then it initialises a second scratch
// database with pgbench -i -s 10 and runs pgbench for the same duration. Both databases are dropped at
// the end, also after Ctrl-C, unless -keep is given. It exits 1 when more than 0.1% of bookings fail.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"clinic/cmd/internal/listeners"
	"clinic/scheduling"
	"clinic/web"
	"clinic/web/access"
)

// budget is the least acceptable ratio of bookings per second to pgbench transactions per second.
const budget = 0.50

// options are the command-line flags.
type options struct {
	clients        int
	duration       time.Duration
	adminURL       string
	redisURL       string
	pgbenchClients int
	keep           bool
	cpuProfile     string
}

func main() {
	var o options
	flag.IntVar(&o.clients, "clients", 16, "concurrent booking clients (one doctor each)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measurement runs")
	flag.StringVar(&o.adminURL, "admin-url", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL URL of a role that may create databases")
	flag.StringVar(&o.redisURL, "redis-url", "redis://127.0.0.1:6379/0", "Redis URL for the server")
	flag.IntVar(&o.pgbenchClients, "pgbench-clients", 0, "pgbench clients (default: -clients)")
	flag.BoolVar(&o.keep, "keep", false, "keep the scratch databases")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the booking phase (client and server) to `file`")
	flag.Parse()
	if o.pgbenchClients <= 0 {
		o.pgbenchClients = o.clients
	}
	if o.clients < 1 || o.duration <= 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code, err := run(ctx, o)
	if ctx.Err() != nil {
		err = errors.New("interrupted")
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bookload:", err)
	}
	os.Exit(code)
}

// run does the whole measurement and returns the exit code: 0 when it went well, 1 on failure.
func run(ctx context.Context, o options) (int, error) {
	admin, err := pgx.ParseConfig(o.adminURL)
	if err != nil {
		return 1, fmt.Errorf("admin URL: %w", err)
	}
	bench, err := findPgbench(admin)
	if err != nil {
		return 1, err
	}
	loadDB := scratchName()
	benchDB := loadDB + "_pgbench"
	for _, db := range []string{loadDB, benchDB} {
		if err := createDatabase(ctx, admin, db); err != nil {
			return 1, err
		}
		defer func() {
			if o.keep {
				fmt.Println("kept database", db)
			} else if err := dropDatabase(admin, db); err != nil {
				fmt.Fprintln(os.Stderr, "bookload:", err)
			}
		}()
	}

	// The server logs every request as JSON, like clinicd; the lines are encoded but thrown away.
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	fmt.Printf("setting up %s: %d doctors, %d patients\n", loadDB, o.clients, patientCount)
	pool, err := openPool(ctx, o.adminURL, loadDB, o.clients+2)
	if err != nil {
		return 1, err
	}
	defer pool.Close()
	c, err := buildClinic(ctx, pool, logger, o.clients)
	if err != nil {
		return 1, fmt.Errorf("build clinic: %w", err)
	}
	ropts, err := redis.ParseURL(o.redisURL)
	if err != nil {
		return 1, fmt.Errorf("redis URL: %w", err)
	}
	rdb := redis.NewClient(ropts)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return 1, fmt.Errorf("redis at %s does not answer: %w", ropts.Addr, err)
	}
	// Served as clinicd serve does: the token store remembers checked tokens while it watches revocations.
	acc := access.NewStore(pool, time.Now)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go acc.WatchRevocations(watchCtx, pool, logger)
	handler := web.NewHandler(web.Deps{
		Logger: logger, Pool: pool, Redis: rdb,
		Scheduling: scheduling.NewService(pool, logger, time.Now, scheduling.Config{Listeners: listeners.All()}),
		Access:     acc,
	})
	baseURL, stopServer, err := serve(handler)
	if err != nil {
		return 1, err
	}

	checkpoint(ctx, admin)
	first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 30)
	fmt.Printf("booking for %s with %d clients at %s\n", o.duration, o.clients, baseURL)
	stopProfile, err := startProfile(o.cpuProfile)
	if err != nil {
		return 1, err
	}
	res, err := runLoad(ctx, baseURL, c, first, o.duration)
	stopProfile()
	stopServer()
	if err != nil {
		return 1, err
	}

	fmt.Printf("running pgbench on %s: -i -s %d, then -c %d -T %s\n", benchDB, pgbenchScale, o.pgbenchClients, o.duration)
	tps, err := bench.benchmark(ctx, benchDB, o.pgbenchClients, o.duration)
	if err != nil {
		return 1, err
	}
	return report(o, res, tps), nil
}

// report prints the summary block and returns the exit code: 1 when more than 0.1% of bookings failed.
func report(o options, res *loadResult, tps float64) int {
	perSec := float64(res.booked) / res.elapsed.Seconds()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Println()
	fmt.Printf("bookings: %d in %.1fs = %.1f/s (p50 %.1fms, p99 %.1fms), errors %d\n",
		res.booked, res.elapsed.Seconds(), perSec, ms(res.percentile(50)), ms(res.percentile(99)), res.failed)
	fmt.Printf("pgbench (default TPC-B, %d clients): %.1f tps\n", o.pgbenchClients, tps)
	ratio := perSec / tps
	verdict := "within budget"
	if ratio < budget {
		verdict = "BELOW BUDGET"
	}
	fmt.Printf("ratio bookings/pgbench = %.2f (budget ≥ %.2f): %s\n", ratio, budget, verdict)
	for _, s := range res.shown {
		fmt.Println("  failed:", s)
	}
	if total := res.booked + res.failed; total == 0 || float64(res.failed) > 0.001*float64(total) {
		fmt.Printf("FAIL: %d of %d bookings failed (more than 0.1%%)\n", res.failed, total)
		return 1
	}
	return 0
}

// startProfile starts CPU profiling into file, if one is named, and returns the function that stops it.
func startProfile(file string) (func(), error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
