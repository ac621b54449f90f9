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
	rows, err := s.db.Query(ctx, `
		SELECT s.id, s.patient_id, s.branch_id, s.doctor_id, s.room_id, s.status, s.channel, s.starts_at, s.ends_at,
			s.checked_in_at, s.opened_at, s.completed_at, s.cancelled_at, s.cancel_reason, s.created_at, b.timezone
		FROM sessions s JOIN branches b ON b.id = s.branch_id
		WHERE ($1 = 0 OR s.branch_id = $1) AND ($2::timestamptz IS NULL OR (s.starts_at >= $2 AND s.starts_at < $3))
			AND ($4 = 0 OR s.doctor_id = $4) AND ($5 = 0 OR s.patient_id = $5) AND ($6 = '' OR s.status = $6)
		ORDER BY s.starts_at, s.id LIMIT 5000`, f.BranchID, lo, hi, f.DoctorID, f.PatientID, f.Status)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	zones := map[string]*time.Location{}
	sessions, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Session, error) {
		var sess Session
		var tz string
		err := row.Scan(&sess.ID, &sess.PatientID, &sess.BranchID, &sess.DoctorID, &sess.RoomID, &sess.Status, &sess.Channel,
			&sess.Start, &sess.End, &sess.CheckedInAt, &sess.OpenedAt, &sess.CompletedAt, &sess.CancelledAt,
			&sess.CancelReason, &sess.CreatedAt, &tz)
		if zones[tz] == nil {
			zones[tz], _ = LoadLocation(tz)
		}
		sess.zone = zones[tz]
		return sess, err
	})
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return sessions, s.attachExaminations(ctx, sessions)
}

// attachExaminations loads the examinations of the listed sessions in one query and puts every time
// in the session's branch zone.
func (s *Service) attachExaminations(ctx context.Context, sessions []Session) error {
	ids := make([]ID, len(sessions))
	index := make(map[ID]int, len(sessions))
	for i, sess := range sessions {
		ids[i], index[sess.ID] = sess.ID, i
	}
	rows, err := s.db.Query(ctx, `SELECT x.session_id, x.examination_id, e.code, e.name, x.starts_at, x.ends_at
		FROM session_examinations x JOIN examinations e ON e.id = x.examination_id
		WHERE x.session_id = ANY($1) ORDER BY x.session_id, x.position`, ids)
	if err != nil {
		return fmt.Errorf("list session examinations: %w", err)
	}
	var id ID
	var x SessionExamination
	_, err = pgx.ForEachRow(rows, []any{&id, &x.ExaminationID, &x.Code, &x.Name, &x.Start, &x.End}, func() error {
		sess := &sessions[index[id]]
		sess.Examinations = append(sess.Examinations, x)
		return nil
	})
	if err != nil {
		return fmt.Errorf("list session examinations: %w", err)
	}
	for i := range sessions {
		if sessions[i].zone != nil {
			sessions[i].inZone(sessions[i].zone)
		}
	}
	return nil
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
