package scheduling

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// listedStatuses are the statuses a session list may be narrowed to.
var listedStatuses = []string{StatusWaiting, StatusOpen, StatusCompleted, StatusCancelled, StatusNoShow}

// Session list page sizes.
const (
	DefaultSessionPage = 500
	MaxSessionPage     = 1000
)

// SessionFilter selects sessions for a list: a branch over local dates, or a patient's history.
type SessionFilter struct {
	BranchID  ID
	From, To  Date // inclusive, local to the branch; required with BranchID
	DoctorID  ID
	PatientID ID
	Status    string
	// NewestFirst lists the latest sessions first (a patient's history); otherwise in start order.
	NewestFirst bool
	// Cursor is the NextCursor of the previous page, given with the same filter; empty for the first.
	Cursor string
	// Limit is the page size; 0 is DefaultSessionPage.
	Limit int
}

// scope names the list a cursor belongs to: everything in the filter but the page.
func (f SessionFilter) scope() string {
	return fmt.Sprintf("sessions:%d:%v:%v:%d:%d:%s:%t", f.BranchID, f.From, f.To, f.DoctorID, f.PatientID, f.Status, f.NewestFirst)
}

// SessionPage is one page of a session list; NextCursor is empty on the last.
type SessionPage struct {
	Items      []Session `json:"items"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// ListSessions returns a page of sessions in start order (or newest first), with their examinations
// but without their audit trail (GetSession has it).
func (s *Service) ListSessions(ctx context.Context, f SessionFilter) (*SessionPage, error) {
	if f.BranchID == 0 && f.PatientID == 0 {
		return nil, rule("missing_filter", "give branch_id with from and to, or patient_id")
	}
	if f.Status != "" && !slices.Contains(listedStatuses, f.Status) {
		return nil, rule("invalid_status", "status %q is not one of %s", f.Status, strings.Join(listedStatuses, ", "))
	}
	limit, err := pageLimit(f.Limit, DefaultSessionPage, MaxSessionPage)
	if err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.BranchID != 0 {
		_, loc, err := s.branchZone(ctx, f.BranchID)
		if err != nil {
			return nil, err
		}
		if err := checkRange(f.From, f.To); err != nil {
			return nil, err
		}
		conds = append(conds, "s.branch_id = "+arg(f.BranchID), "s.starts_at >= "+arg(midnight(f.From, loc)),
			"s.starts_at < "+arg(midnight(addDays(f.To, 1), loc)))
	}
	if f.DoctorID != 0 {
		conds = append(conds, "s.doctor_id = "+arg(f.DoctorID))
	}
	if f.PatientID != 0 {
		conds = append(conds, "s.patient_id = "+arg(f.PatientID))
	}
	if f.Status != "" {
		conds = append(conds, "s.status = "+arg(f.Status))
	}
	order, after := "s.starts_at, s.id", ">"
	if f.NewestFirst {
		order, after = "s.starts_at DESC, s.id DESC", "<"
	}
	if f.Cursor != "" {
		var at time.Time
		var id ID
		if err := decodeCursor(f.scope(), f.Cursor, &at, &id); err != nil {
			return nil, err
		}
		conds = append(conds, "(s.starts_at, s.id) "+after+" ("+arg(at)+", "+arg(id)+")")
	}
	rows, err := s.db.Query(ctx, sessionSelect+" WHERE "+strings.Join(conds, " AND ")+" ORDER BY "+order+" LIMIT "+arg(limit+1), args...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	page := &SessionPage{Items: []Session{}}
	var zones []string
	for rows.Next() {
		if len(page.Items) == limit {
			last := page.Items[limit-1]
			page.NextCursor = encodeCursor(f.scope(), last.Start.UTC(), last.ID)
			break
		}
		var sess Session
		var tz string
		if err := scanSession(rows, &sess, &tz); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		page.Items, zones = append(page.Items, sess), append(zones, tz)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	if len(page.Items) == 0 {
		return page, nil
	}
	batch := &pgx.Batch{}
	queueExaminations(batch, page.Items)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("list session examinations: %w", err)
	}
	locs := map[string]*time.Location{}
	for i, tz := range zones {
		if _, ok := locs[tz]; !ok {
			locs[tz], _ = LoadLocation(tz)
		}
		if locs[tz] != nil {
			page.Items[i].inZone(locs[tz])
		}
	}
	return page, nil
}

// checkRange validates an inclusive range of dates for a listing or availability request.
func checkRange(from, to Date) error {
	switch {
	case daysBetween(from, to) < 0:
		return rule("end_before_start", "to is before from")
	case daysBetween(from, to)+1 > MaxRangeDays:
		return rule("range_too_long", "a date range may span at most %d days", MaxRangeDays)
	}
	return nil
}

// ListBlocks returns the blocks that close time at a branch over the local dates [from, to]: those
// filed under it, and the blocks of doctors who work there (attendance at the branch, or a session
// there in the range) wherever they were filed, since a doctor's block is the doctor's everywhere.
func (s *Service) ListBlocks(ctx context.Context, branchID ID, from, to Date) ([]Block, error) {
	_, loc, err := s.branchZone(ctx, branchID)
	if err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, branch_id, doctor_id, room_id, starts_at, ends_at, reason FROM blocks b
		WHERE tstzrange(starts_at, ends_at) && tstzrange($2, $3) AND (branch_id = $1 OR doctor_id IN (
			SELECT doctor_id FROM doctor_hours WHERE branch_id = $1
			UNION SELECT doctor_id FROM doctor_exceptions WHERE branch_id = $1 AND start_minute IS NOT NULL
				AND day BETWEEN $4 AND $5
			UNION SELECT doctor_id FROM sessions WHERE branch_id = $1 AND status NOT IN ('cancelled', 'no_show')
				AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)))
		ORDER BY starts_at, id`,
		branchID, midnight(from, loc), midnight(addDays(to, 1), loc), dateString(from), dateString(to))
	if err != nil {
		return nil, fmt.Errorf("list blocks: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Block, error) {
		var b Block
		err := row.Scan(&b.ID, &b.BranchID, &b.DoctorID, &b.RoomID, &b.Start, &b.End, &b.Reason)
		b.Start, b.End = b.Start.In(loc), b.End.In(loc)
		return b, err
	})
}

// DeleteBlock removes a blackout block; its time becomes bookable again.
func (s *Service) DeleteBlock(ctx context.Context, id ID) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM blocks WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete block: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("block", id)
	}
	return nil
}
