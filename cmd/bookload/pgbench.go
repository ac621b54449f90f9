package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgbenchScale is the -s of pgbench -i: 10 branches, a million accounts (about 150 MB).
const pgbenchScale = 10

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbench runs the pgbench binary against the admin URL's server.
type pgbench struct {
	path  string
	admin *pgx.ConnConfig
}

// findPgbench locates pgbench on PATH.
func findPgbench(admin *pgx.ConnConfig) (*pgbench, error) {
	path, err := exec.LookPath("pgbench")
	if err != nil {
		return nil, errors.New("pgbench is not on PATH; it comes with the PostgreSQL client tools " +
			"(Debian: apt-get install postgresql-client)")
	}
	return &pgbench{path: path, admin: admin}, nil
}

// run runs pgbench with args on database db and returns its combined output. Connection settings
// come from the admin URL: host, port and user as flags, the password and TLS mode as libpq
// environment variables.
func (p *pgbench) run(ctx context.Context, db string, args ...string) (string, error) {
	conn := []string{"-h", p.admin.Host, "-p", strconv.Itoa(int(p.admin.Port)), "-U", p.admin.User}
	cmd := exec.CommandContext(ctx, p.path, append(append(conn, args...), db)...)
	cmd.Env = os.Environ()
	if p.admin.Password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+p.admin.Password)
	}
	if p.admin.TLSConfig == nil {
		cmd.Env = append(cmd.Env, "PGSSLMODE=disable")
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("pgbench %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// initialise fills db with pgbench's tables at pgbenchScale.
func (p *pgbench) initialise(ctx context.Context, db string) error {
	_, err := p.run(ctx, db, "-i", "-q", "-s", strconv.Itoa(pgbenchScale))
	return err
}

// benchmark runs the default TPC-B-like transaction on an initialised db with clients connections
// for d (whole seconds, at least one), without the vacuum (-n). It returns the tps pgbench reports
// without initial connection time.
func (p *pgbench) benchmark(ctx context.Context, db string, clients int, d time.Duration) (float64, error) {
	secs := max(1, int(math.Ceil(d.Seconds())))
	threads := min(2, clients)
	out, err := p.run(ctx, db, "-c", strconv.Itoa(clients), "-j", strconv.Itoa(threads), "-T", strconv.Itoa(secs), "-n")
	if err != nil {
		return 0, err
	}
	m := tpsLine.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no tps line in pgbench's output:\n%s", out)
	}
	return strconv.ParseFloat(m[1], 64)
}
