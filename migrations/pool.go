package migrations

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// HealAfterLoss makes the pool recover by itself from a lost database (a restart or failover, which
// drops every connection at once). When a query finds its connection gone, every connection that was
// already idle at that moment is pinged before its next use, and a dead one is replaced, so the loss
// costs at most the request that found it. Connections are otherwise pinged only after a second idle,
// as pgxpool does by default.
func HealAfterLoss(cfg *pgxpool.Config) {
	var lostAt atomic.Int64 // unix nanoseconds of the last loss seen
	cfg.ShouldPing = func(_ context.Context, p pgxpool.ShouldPingParams) bool {
		last := lostAt.Load()
		return p.IdleDuration > time.Second || (last != 0 && time.Since(time.Unix(0, last)) <= p.IdleDuration)
	}
	cfg.ConnConfig.Tracer = lossTracer{lostAt: &lostAt}
}

// lossTracer notes the time of any query or batch that ends with its connection closed.
type lossTracer struct{ lostAt *atomic.Int64 }

func (t lossTracer) note(conn *pgx.Conn, err error) {
	if err != nil && conn.IsClosed() {
		t.lostAt.Store(time.Now().UnixNano())
	}
}

func (t lossTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (t lossTracer) TraceQueryEnd(_ context.Context, conn *pgx.Conn, d pgx.TraceQueryEndData) {
	t.note(conn, d.Err)
}

func (t lossTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (t lossTracer) TraceBatchQuery(_ context.Context, conn *pgx.Conn, d pgx.TraceBatchQueryData) {
	t.note(conn, d.Err)
}

func (t lossTracer) TraceBatchEnd(_ context.Context, conn *pgx.Conn, d pgx.TraceBatchEndData) {
	t.note(conn, d.Err)
}
