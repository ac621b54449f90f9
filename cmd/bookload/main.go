// Command bookload measures how fast the clinic books sessions over HTTP and compares it with
// pgbench's default (TPC-B-like) transaction on the same PostgreSQL server. The ratio
// bookings/s ÷ pgbench tps is roughly independent of the machine; the budget is ≥ 0.40 for bookings
// that write their draft invoice, as the server's do.
//
//	go run ./cmd/bookload [-clients 16] [-duration 10s] [-rounds 1] [-admin-url URL] [-redis-url URL]
//	                      [-pgbench-clients N] [-keep] [-cpuprofile FILE]
//
// It creates a scratch database clinic_load_<random>, migrates it and builds a clinic with one doctor
// per client, serves the real handler (web.NewHandler) on a loopback port, and initialises a second
// scratch database with pgbench -i -s 10. Then, for each round, each client books consecutive 15-minute
// slots of its own doctor for the duration, and pgbench runs for the same duration; the verdict is on
// the median ratio of the rounds, which a shared, noisy machine disturbs less than one pair of runs.
// Both databases are dropped at the end, also after Ctrl-C, unless -keep is given. It exits 1 when
// more than 0.1% of bookings fail.
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
	"slices"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"clinic/cmd/internal/gc"
	"clinic/cmd/internal/listeners"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/web"
	"clinic/web/access"
)

// budget is the least acceptable ratio of bookings per second to pgbench transactions per second,
// each booking with its draft invoice (the listeners are the server's).
const budget = 0.40

// options are the command-line flags.
type options struct {
	clients        int
	duration       time.Duration
	adminURL       string
	redisURL       string
	pgbenchClients int
	keep           bool
	cpuProfile     string
	rounds         int
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
	flag.IntVar(&o.rounds, "rounds", 1, "measure bookings then pgbench this many times, alternating, and judge the median ratio: steadier on a shared machine")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of this process (the booking clients and the server) to `file`")
	flag.Parse()
	if o.pgbenchClients <= 0 {
		o.pgbenchClients = o.clients
	}
	if o.clients < 1 || o.duration <= 0 || o.rounds < 1 || flag.NArg() > 0 {
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
	// The server in this process collects garbage as clinicd serve's does.
	gc.Tune()
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

	defer stopServer()
	if err := bench.initialise(ctx, benchDB); err != nil {
		return 1, err
	}
	stopProfile, err := startProfile(o.cpuProfile)
	if err != nil {
		return 1, err
	}
	defer stopProfile()
	meter := &dbtest.CPUMeter{Admin: admin, DB: loadDB}
	var rounds []round
	for i := range o.rounds {
		// Each round books its own stretch of days, so no round finds the slots of another taken.
		first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 30+60*i)
		checkpoint(ctx, admin)
		fmt.Printf("round %d: booking for %s with %d clients at %s\n", i+1, o.duration, o.clients, baseURL)
		before := meter.Sample(ctx)
		res, err := runLoad(ctx, baseURL, c, first, o.duration)
		if err != nil {
			return 1, err
		}
		after := meter.Sample(ctx)
		checkpoint(ctx, admin)
		fmt.Printf("round %d: pgbench on %s (scale %d): -c %d -T %s\n", i+1, benchDB, pgbenchScale, o.pgbenchClients, o.duration)
		tps, err := bench.benchmark(ctx, benchDB, o.pgbenchClients, o.duration)
		if err != nil {
			return 1, err
		}
		r := round{res: res, tps: tps}
		r.cpuSelf, r.cpuDB, r.cpuOK = dbtest.PerOp(before, after, res.booked+res.failed)
		rounds = append(rounds, r)
	}
	return report(o, rounds), nil
}

// round is one measurement of bookings followed by one of pgbench.
type round struct {
	res *loadResult
	tps float64
	// cpuSelf and cpuDB are the CPU each booking took in this process (clients and server) and in
	// the database's backends, when cpuOK.
	cpuSelf, cpuDB time.Duration
	cpuOK          bool
}

func (r round) ratio() float64 { return float64(r.res.booked) / r.res.elapsed.Seconds() / r.tps }

// report prints each round and the verdict on the median ratio, and returns the exit code: 1 when
// more than 0.1% of bookings failed.
func report(o options, rounds []round) int {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	fmt.Println()
	booked, failed := 0, 0
	var shown []string
	for i, r := range rounds {
		res := r.res
		fmt.Printf("round %d: bookings %d in %.1fs = %.1f/s (p50 %.1fms, p99 %.1fms), errors %d; pgbench (default TPC-B, %d clients) %.1f tps; ratio %.2f\n",
			i+1, res.booked, res.elapsed.Seconds(), float64(res.booked)/res.elapsed.Seconds(), ms(res.percentile(50)),
			ms(res.percentile(99)), res.failed, o.pgbenchClients, r.tps, r.ratio())
		if r.cpuOK {
			fmt.Printf("round %d: CPU per booking: %.0fµs in this process (clients and server), %.0fµs in the database\n",
				i+1, float64(r.cpuSelf)/float64(time.Microsecond), float64(r.cpuDB)/float64(time.Microsecond))
		}
		booked, failed = booked+res.booked, failed+res.failed
		shown = append(shown, res.shown...)
	}
	ratios := make([]float64, len(rounds))
	for i, r := range rounds {
		ratios[i] = r.ratio()
	}
	slices.Sort(ratios)
	median := ratios[len(ratios)/2]
	if len(ratios)%2 == 0 {
		median = (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
	}
	verdict := "within budget"
	if median < budget {
		verdict = "BELOW BUDGET"
	}
	fmt.Printf("ratio bookings/pgbench = %.2f, the median of %d round(s) (budget ≥ %.2f): %s\n", median, len(rounds), budget, verdict)
	for _, s := range shown[:min(len(shown), maxShownErrors)] {
		fmt.Println("  failed:", s)
	}
	if total := booked + failed; total == 0 || float64(failed) > 0.001*float64(total) {
		fmt.Printf("FAIL: %d of %d bookings failed (more than 0.1%%)\n", failed, total)
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
