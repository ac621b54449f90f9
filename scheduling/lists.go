package scheduling

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SessionFilter selects sessions for a list: a branch over local dates, or a patient's history.
type SessionFilter struct {
	BranchID  ID
	From, To  Date // inclusive, local to the branch; required with BranchID
	DoctorID  ID
	PatientID ID
	Status    string
}

// ListSessions returns sessions in start order, with their examinations but without their audit trail
// (GetSession has it).
func (s *Service) ListSessions(ctx context.Context, f SessionFilter) ([]Session, error) {
	if f.BranchID == 0 && f.PatientID == 0 {
		return nil, rule("missing_filter", "give branch_id with from and to, or patient_id")
	}
	if f.Status != "" && f.Status != StatusWaiting && f.Status != StatusOpen && f.Status != StatusCompleted && f.Status != StatusCancelled {
		return nil, rule("invalid_status", "status %q is not one of waiting, open, completed, cancelled", f.Status)
	}
	var lo, hi *time.Time
	if f.BranchID != 0 {
		_, loc, err := s.branchZone(ctx, f.BranchID)
		if err != nil {
			return nil, err
		}
		if err := checkRange(f.From, f.To); err != nil {
			return nil, err
		}
		a, b := midnight(f.From, loc), midnight(addDays(f.To, 1), loc)
		lo, hi = &a, &b
	}
	rows, err := s.db.Query(ctx, sessionSelect+`
		WHERE ($1 = 0 OR s.branch_id = $1) AND ($2::timestamptz IS NULL OR (s.starts_at >= $2 AND s.starts_at < $3))
			AND ($4 = 0 OR s.doctor_id = $4) AND ($5 = 0 OR s.patient_id = $5) AND ($6 = '' OR s.status = $6)
		ORDER BY s.starts_at, s.id LIMIT 5000`, f.BranchID, lo, hi, f.DoctorID, f.PatientID, f.Status)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var sessions []Session
	var zones []string
	for rows.Next() {
		var sess Session
		var tz string
		if err := scanSession(rows, &sess, &tz); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		sessions, zones = append(sessions, sess), append(zones, tz)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	if len(sessions) == 0 {
		return []Session{}, nil
	}
	batch := &pgx.Batch{}
	queueExaminations(batch, sessions)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("list session examinations: %w", err)
	}
	locs := map[string]*time.Location{}
	for i, tz := range zones {
		if _, ok := locs[tz]; !ok {
			locs[tz], _ = LoadLocation(tz)
		}
		if locs[tz] != nil {
			sessions[i].inZone(locs[tz])
		}
	}
	return sessions, nil
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

// ListBlocks returns the blocks of a branch that overlap the local dates [from, to].
func (s *Service) ListBlocks(ctx context.Context, branchID ID, from, to Date) ([]Block, error) {
	_, loc, err := s.branchZone(ctx, branchID)
	if err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, branch_id, doctor_id, room_id, starts_at, ends_at, reason FROM blocks
		WHERE branch_id = $1 AND tstzrange(starts_at, ends_at) && tstzrange($2, $3) ORDER BY starts_at, id`,
		branchID, midnight(from, loc), midnight(addDays(to, 1), loc))
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
