package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/queue"
)

// TurnNear tells each waiting, checked-in patient whose place in their doctor's line on a branch's
// day (1 is next) is at most the clinic's setting that their turn is near, once per session.
// Patients with no conversation that may be messaged are told nothing.
func (o *Outbox) TurnNear(ctx context.Context, branchID scheduling.ID, day scheduling.Date) error {
	set, err := o.Settings(ctx)
	if err != nil || set.TurnNearPosition == 0 {
		return err
	}
	_, q := o.inbox()
	board, err := q.List(ctx, queue.Query{BranchID: branchID, Day: day})
	if err != nil {
		return fmt.Errorf("outbox: read the queue of branch %d: %w", branchID, err)
	}
	var near []queue.Item
	var ids []scheduling.ID
	for _, it := range board.Items {
		if it.Status == scheduling.StatusWaiting && it.CheckedIn && it.Ahead+1 <= set.TurnNearPosition {
			near, ids = append(near, it), append(ids, it.SessionID)
		}
	}
	if len(near) == 0 {
		return nil
	}
	rows, err := o.pool.Query(ctx, `SELECT session_id FROM outbox_turn_near WHERE session_id = ANY($1)`, ids)
	if err != nil {
		return fmt.Errorf("outbox: read who was told their turn is near: %w", err)
	}
	told, err := pgx.CollectRows(rows, pgx.RowTo[scheduling.ID])
	if err != nil {
		return fmt.Errorf("outbox: read who was told their turn is near: %w", err)
	}
	seen := map[scheduling.ID]bool{}
	for _, id := range told {
		seen[id] = true
	}
	for _, it := range near {
		if seen[it.SessionID] {
			continue
		}
		if err := o.tellTurnNear(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

// tellTurnNear says "your turn is near" to one patient and records it, in one transaction.
func (o *Outbox) tellTurnNear(ctx context.Context, it queue.Item) error {
	return pgx.BeginFunc(ctx, o.pool, func(tx pgx.Tx) error {
		conv, err := o.reachable(ctx, tx, it.PatientID, "")
		if err != nil || conv == nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO outbox_turn_near (session_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			it.SessionID, o.now())
		if err != nil {
			return fmt.Errorf("outbox: record turn near of session %d: %w", it.SessionID, err)
		}
		if tag.RowsAffected() == 0 {
			return nil // another server told them
		}
		msg, err := o.say(ctx, tx, conv, fmt.Sprintf("turn_near:%d", it.SessionID), "outbox.turn_near", it.Ahead+1, it.DoctorName)
		if err != nil {
			return fmt.Errorf("outbox: tell session %d its turn is near: %w", it.SessionID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE outbox_turn_near SET message_id = $2 WHERE session_id = $1`, it.SessionID, msg.ID); err != nil {
			return fmt.Errorf("outbox: record turn near of session %d: %w", it.SessionID, err)
		}
		return nil
	})
}

// queuesToday lists the branch days with checked-in patients waiting, around now.
const queuesToday = `
SELECT DISTINCT b.id, to_char((s.starts_at AT TIME ZONE b.timezone)::date, 'YYYY-MM-DD')
FROM branches b JOIN sessions s ON s.branch_id = b.id
	AND s.starts_at > $1::timestamptz - interval '1 day' AND s.starts_at < $1::timestamptz + interval '1 day'
WHERE s.status = 'waiting' AND s.checked_in_at IS NOT NULL`

// turnNearSweep looks at every queue with checked-in patients, for changes whose notice no server
// heard (a restart, a lost connection).
func (o *Outbox) turnNearSweep(ctx context.Context) error {
	rows, err := o.pool.Query(ctx, queuesToday, o.now())
	if err != nil {
		return fmt.Errorf("outbox: list today's queues: %w", err)
	}
	type branchDay struct {
		branch scheduling.ID
		day    string
	}
	var days []branchDay
	var bd branchDay
	if _, err := pgx.ForEachRow(rows, []any{&bd.branch, &bd.day}, func() error {
		days = append(days, bd)
		return nil
	}); err != nil {
		return fmt.Errorf("outbox: list today's queues: %w", err)
	}
	for _, d := range days {
		date, err := scheduling.ParseDate(d.day)
		if err != nil {
			return fmt.Errorf("outbox: queue day %q: %w", d.day, err)
		}
		if err := o.TurnNear(ctx, d.branch, date); err != nil {
			return err
		}
	}
	return nil
}

// followQueues listens for session changes and looks at the changed queue at once, until ctx ends
// (changefeed.Listen opens a lost connection again). Notices that arrive while a queue is being
// looked at are merged, so a burst of changes costs one look per queue.
func (o *Outbox) followQueues(ctx context.Context) {
	dirty := make(chan scheduling.Notice, 256)
	looking := make(chan struct{})
	go func() {
		defer close(looking)
		o.lookAtQueues(ctx, dirty)
	}()
	defer func() { <-looking }()
	changefeed.Listen(ctx, o.pool, o.log, scheduling.NotifyChannel, changefeed.Listener{Notice: func(payload string) {
		n, err := scheduling.ParseNotice(payload)
		if err != nil {
			o.log.ErrorContext(ctx, "outbox: unreadable session notice", "err", err)
			return
		}
		if n.Action == scheduling.ActionBooked {
			return // a new booking puts nobody nearer the doctor
		}
		select {
		case dirty <- n:
		default: // far behind: the periodic sweep catches up
		}
	}})
}

// lookAtQueues runs TurnNear for each changed queue, once per batch of notices.
func (o *Outbox) lookAtQueues(ctx context.Context, dirty <-chan scheduling.Notice) {
	type branchDay struct {
		branch scheduling.ID
		day    string
	}
	for {
		var n scheduling.Notice
		select {
		case <-ctx.Done():
			return
		case n = <-dirty:
		}
		batch := map[branchDay]bool{{n.BranchID, n.Day}: true}
	drain:
		for {
			select {
			case n = <-dirty:
				batch[branchDay{n.BranchID, n.Day}] = true
			default:
				break drain
			}
		}
		for bd := range batch {
			date, err := scheduling.ParseDate(bd.day)
			if err == nil {
				err = o.TurnNear(ctx, bd.branch, date)
			}
			if err != nil && ctx.Err() == nil {
				o.log.ErrorContext(ctx, "outbox: turn near", "branch_id", bd.branch, "day", bd.day, "err", err)
			}
		}
	}
}
