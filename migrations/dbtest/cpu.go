package dbtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// clockTicks is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100 on Linux).
const clockTicks = 100

// CPUMeter measures the CPU time this process and the PostgreSQL backends of one database spend,
// which on a shared machine says what an operation costs better than a rate does: other work slows
// the operations down, but hardly changes the CPU each one takes. The backends are read from /proc,
// so it measures only a server on this machine; elsewhere its samples fail.
type CPUMeter struct {
	// Admin connects to the server to list the database's backends.
	Admin *pgx.ConnConfig
	// DB is the database whose backends count.
	DB string
}

// CPUSample is the CPU spent so far by this process and by the database's backends.
type CPUSample struct {
	Self, Backends time.Duration
	OK             bool
}

// Sample reads the CPU times now. A backend that ends between two samples takes its time with it,
// so measure with a pool whose connections stay open.
func (m *CPUMeter) Sample(ctx context.Context) CPUSample {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return CPUSample{}
	}
	s := CPUSample{Self: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), OK: true}
	conn, err := pgx.ConnectConfig(ctx, m.Admin)
	if err != nil {
		return CPUSample{}
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, m.DB)
	if err != nil {
		return CPUSample{}
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil || len(pids) == 0 {
		return CPUSample{}
	}
	for _, pid := range pids {
		t, ok := procCPU(pid)
		if !ok {
			return CPUSample{}
		}
		s.Backends += t
	}
	return s
}

// procCPU reads the user and system time of a process from /proc.
func procCPU(pid int32) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name is in parentheses and may hold spaces: fields are counted after it.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
}

// PerOp is the CPU each of n operations took between two samples, in this process and in the
// database, or false when either sample failed.
func PerOp(before, after CPUSample, n int) (self, db time.Duration, ok bool) {
	if !before.OK || !after.OK || n == 0 {
		return 0, 0, false
	}
	return (after.Self - before.Self) / time.Duration(n), (after.Backends - before.Backends) / time.Duration(n), true
}

// MeterPool returns a meter of the database pool is connected to.
func MeterPool(t testing.TB, pool *pgxpool.Pool) *CPUMeter {
	t.Helper()
	admin, err := pgx.ParseConfig(AdminURL())
	if err != nil {
		t.Fatalf("dbtest: parse %s: %v", AdminURL(), err)
	}
	return &CPUMeter{Admin: admin, DB: pool.Config().ConnConfig.Database}
}
