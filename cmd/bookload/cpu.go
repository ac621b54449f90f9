package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// clockTicks is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100 on Linux).
const clockTicks = 100

// cpuMeter measures the CPU time this process and the PostgreSQL backends of one database spend,
// which on a shared machine says what a booking costs better than a rate does: other work slows the
// bookings down, but hardly changes the CPU each one takes. The backends are read from /proc, so
// it measures only a server on this machine; elsewhere it reports nothing.
type cpuMeter struct {
	admin *pgx.ConnConfig
	db    string
}

// cpuSample is the CPU spent so far by this process and by the database's backends.
type cpuSample struct {
	self, backends time.Duration
	ok             bool
}

// sample reads the CPU times now. A backend that ends between two samples takes its time with it;
// the pool's connections stay open for the whole run, so none does.
func (m *cpuMeter) sample(ctx context.Context) cpuSample {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuSample{}
	}
	s := cpuSample{self: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ok: true}
	conn, err := pgx.ConnectConfig(ctx, m.admin)
	if err != nil {
		return cpuSample{}
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1`, m.db)
	if err != nil {
		return cpuSample{}
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil || len(pids) == 0 {
		return cpuSample{}
	}
	for _, pid := range pids {
		t, ok := procCPU(pid)
		if !ok {
			return cpuSample{}
		}
		s.backends += t
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

// perBooking is the CPU each of n bookings took between two samples, in this process and in the
// database, or false when either sample failed.
func perBooking(before, after cpuSample, n int) (self, db time.Duration, ok bool) {
	if !before.ok || !after.ok || n == 0 {
		return 0, 0, false
	}
	return (after.self - before.self) / time.Duration(n), (after.backends - before.backends) / time.Duration(n), true
}
