package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// List returns a branch day's queue (one doctor's when q.DoctorID is set) in q's sort mode.
func (s *Service) List(ctx context.Context, q Query) (*Board, error) {
	if q.Sort == "" {
		q.Sort = SortArrival
	}
	if !slices.Contains(Sorts, q.Sort) {
		return nil, scheduling.Invalid("invalid_sort", "sort %q is not one of %s", q.Sort, strings.Join(Sorts, ", "))
	}
	if q.Day == (scheduling.Date{}) {
		var err error
		if q.Day, err = s.today(ctx, q.BranchID); err != nil {
			return nil, err
		}
	}
	if err := s.checkDay(q.Day); err != nil {
		return nil, err
	}
	d, err := s.load(ctx, s.db, q.BranchID, q.Day, q.DoctorID, false)
	if err != nil {
		return nil, err
	}
	return d.board(q.DoctorID, q.Sort), nil
}

// today is the local date at a branch now.
func (s *Service) today(ctx context.Context, branchID scheduling.ID) (scheduling.Date, error) {
	var tz string
	if err := s.db.QueryRow(ctx, `SELECT timezone FROM branches WHERE id = $1`, branchID).Scan(&tz); err != nil {
		return scheduling.Date{}, noRows(err, scheduling.NotFound("branch", branchID))
	}
	loc, err := scheduling.LoadLocation(tz)
	if err != nil {
		return scheduling.Date{}, fmt.Errorf("branch %d: %w", branchID, err)
	}
	return scheduling.DateOf(s.now().In(loc)), nil
}

// SetOrder keeps the order staff dragged a queue into: the whole branch's day when doctorID is 0,
// else one doctor's line. sessionIDs must name exactly the queue's waiting sessions (its open ones
// may be named too; they stay with the doctor, first): if one has left the queue or joined it
// meanwhile, the order is refused whole with a conflict (queue_changed) and the kept order stays as
// it was. Concurrent calls on the same day are applied one after another; the last one wins whole.
// The branch's order replaces the doctors' own orders of that day. It answers the queue in the new
// order.
func (s *Service) SetOrder(ctx context.Context, branchID scheduling.ID, date scheduling.Date, doctorID scheduling.ID, sessionIDs []scheduling.ID) (*Board, error) {
	if len(sessionIDs) > MaxOrder {
		return nil, scheduling.Invalid("too_many_sessions", "an order may list at most %d sessions", MaxOrder)
	}
	seen := make(map[scheduling.ID]bool, len(sessionIDs))
	for _, id := range sessionIDs {
		if seen[id] {
			return nil, scheduling.Invalid("duplicate_session", "session %d is listed more than once", id)
		}
		seen[id] = true
	}
	if err := s.checkDay(date); err != nil {
		return nil, err
	}
	var b *Board
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
			fmt.Sprintf("queue_order:%d:%s", branchID, dateString(date))); err != nil {
			return fmt.Errorf("lock queue order: %w", err)
		}
		d, err := s.load(ctx, tx, branchID, date, doctorID, true)
		if err != nil {
			return err
		}
		order, err := d.checkOrder(doctorID, sessionIDs)
		if err != nil {
			return err
		}
		if doctorID == 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM queue_orders WHERE branch_id = $1 AND day = $2::date AND doctor_id <> 0`,
				branchID, dateString(date)); err != nil {
				return fmt.Errorf("replace doctors' queue orders: %w", err)
			}
			clear(d.kept)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO queue_orders (branch_id, day, doctor_id, session_ids, updated_at)
			VALUES ($1, $2::date, $3, $4, $5)
			ON CONFLICT (branch_id, day, doctor_id) DO UPDATE SET session_ids = excluded.session_ids, updated_at = excluded.updated_at`,
			branchID, dateString(date), doctorID, order, s.now()); err != nil {
			return fmt.Errorf("keep queue order: %w", err)
		}
		// Who is ahead of whom changed: the branch's live viewers (boards, patients' trackers) hear
		// it on the channel of session changes, on commit.
		var first scheduling.ID
		if len(order) > 0 {
			first = order[0]
		}
		notice, err := json.Marshal(scheduling.Notice{SessionID: first, BranchID: branchID, Day: dateString(date), Action: NoticeOrdered})
		if err != nil {
			return fmt.Errorf("queue order notice: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, scheduling.NotifyChannel, string(notice)); err != nil {
			return fmt.Errorf("announce queue order: %w", err)
		}
		d.kept[doctorID] = order
		b = d.board(doctorID, SortManual)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// checkOrder checks that ids are exactly the scope's waiting sessions (open ones allowed), and
// returns the waiting ones in the given order.
func (d *day) checkOrder(doctorID scheduling.ID, ids []scheduling.ID) ([]scheduling.ID, error) {
	waiting, open := d.split(doctorID)
	status := make(map[scheduling.ID]string, len(waiting)+len(open))
	for _, e := range waiting {
		status[e.id] = e.status
	}
	for _, e := range open {
		status[e.id] = e.status
	}
	order := make([]scheduling.ID, 0, len(ids))
	for _, id := range ids {
		switch status[id] {
		case "":
			return nil, queueChanged(id, "session %d is not in this queue (it may have been completed, cancelled or moved); reload the queue and try again", id)
		case scheduling.StatusWaiting:
			order = append(order, id)
		}
	}
	if len(order) < len(waiting) {
		for _, e := range waiting {
			if !slices.Contains(order, e.id) {
				return nil, queueChanged(e.id, "session %d joined this queue and is missing from the order; reload the queue and try again", e.id)
			}
		}
	}
	return order, nil
}

func queueChanged(id scheduling.ID, format string, args ...any) error {
	return scheduling.Conflict("queue_changed", format, args...).WithDetails(map[string]any{"session_id": id})
}
