package billing_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/scheduling/schedtest"
)

// TestDemoLoadsWithInvoices: the demo clinic, booked with invoices kept, gives every session its
// invoice; the visits already over are issued with gap-free numbers per branch, the others are
// drafts (or void, when cancelled).
func TestDemoLoadsWithInvoices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2027, 3, 10, 16, 17, 0, 0, time.UTC)
	var b *schedtest.Bundle
	b = schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{
		billing.SessionListener}})
	*b.Clock = now
	sum, err := demo.Load(ctx, b.Svc, now)
	require.NoError(t, err)
	require.NotZero(t, sum.Sessions)

	var sessions, invoices, wrong, issued, gaps int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM sessions),
		(SELECT count(*) FROM invoices),
		(SELECT count(*) FROM sessions s JOIN invoices i ON i.session_id = s.id
			WHERE (s.status = 'completed') <> (i.status = 'issued')
			OR (s.status IN ('waiting', 'open') AND i.status <> 'draft')),
		(SELECT count(*) FROM invoices WHERE status = 'issued'),
		(SELECT count(*) FROM (SELECT branch_id, max(number_seq) - count(*) AS gap FROM invoices
			WHERE number_seq IS NOT NULL GROUP BY branch_id) g WHERE gap <> 0)`).
		Scan(&sessions, &invoices, &wrong, &issued, &gaps))
	t.Logf("%d sessions, %d invoices, %d issued", sessions, invoices, issued)
	require.Equal(t, sessions, invoices, "every session has an invoice")
	require.Zero(t, wrong, "an invoice's status follows its session's")
	require.NotZero(t, issued, "the visits already seen are invoiced")
	require.Zero(t, gaps)
}
