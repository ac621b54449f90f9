package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

type qtrace struct {
	mu sync.Mutex
	n  map[string]int
	d  map[string]time.Duration
}

type qkey struct{}
type qstart struct {
	sql string
	t   time.Time
}

var tracer = &qtrace{n: map[string]int{}, d: map[string]time.Duration{}}

func (q *qtrace) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, qkey{}, qstart{data.SQL, time.Now()})
}
func (q *qtrace) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	s, ok := ctx.Value(qkey{}).(qstart)
	if !ok {
		return
	}
	k := strings.Join(strings.Fields(s.sql), " ")
	if len(k) > 90 {
		k = k[:90]
	}
	q.mu.Lock()
	q.n[k]++
	q.d[k] += time.Since(s.t)
	q.mu.Unlock()
}
func (q *qtrace) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	return context.WithValue(ctx, qkey{}, qstart{"BATCH loadCalendar", time.Now()})
}
func (q *qtrace) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (q *qtrace) TraceBatchEnd(ctx context.Context, c *pgx.Conn, data pgx.TraceBatchEndData) {
	q.TraceQueryEnd(ctx, c, pgx.TraceQueryEndData{})
}
func (q *qtrace) dump() {
	q.mu.Lock()
	defer q.mu.Unlock()
	var ks []string
	for k := range q.n {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return q.d[ks[i]] > q.d[ks[j]] })
	for _, k := range ks {
		fmt.Printf("%7d  avg %6.2fms  %s\n", q.n[k], float64(q.d[k])/float64(q.n[k])/1e6, k)
	}
}
