package scheduling

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Block is a blackout period: branch-wide (no doctor, no room), a doctor's (at every branch, whichever
// it is filed under), or a room's.
type Block struct {
	ID       ID        `json:"id"`
	BranchID ID        `json:"branch_id"`
	DoctorID *ID       `json:"doctor_id"`
	RoomID   *ID       `json:"room_id"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Reason   string    `json:"reason"`
	// Colliding lists the live sessions (neither cancelled nor no-show) the block overlaps, so staff can move or cancel them.
	Colliding []ID `json:"colliding_sessions"`
}

// BlockInput is what creating a block takes.
type BlockInput struct {
	BranchID ID        `json:"branch_id"`
	DoctorID *ID       `json:"doctor_id"`
	RoomID   *ID       `json:"room_id"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Reason   string    `json:"reason"`
}

// CreateBlock adds a blackout block and reports the sessions it collides with. A doctor's block is
// the doctor's wherever it is filed: it closes their time at every branch, so its colliding sessions
// are the doctor's at any branch.
func (s *Service) CreateBlock(ctx context.Context, in BlockInput) (*Block, error) {
	in.Start, in.End = Instant(in.Start), Instant(in.End)
	switch {
	case in.BranchID == 0:
		return nil, rule("missing_branch", "branch_id is required")
	case in.Start.IsZero() || in.End.IsZero():
		return nil, rule("missing_time", "start and end are required (RFC 3339)")
	case !in.End.After(in.Start):
		return nil, rule("end_before_start", "end must be after start")
	case in.DoctorID != nil && in.RoomID != nil:
		return nil, rule("block_target", "a block is for a doctor or a room, not both")
	case in.End.Sub(in.Start) > 366*24*time.Hour:
		return nil, rule("block_too_long", "a block may last at most a year")
	}
	if err := checkYear(in.Start, "start"); err != nil {
		return nil, err
	}
	if err := checkYear(in.End, "end"); err != nil {
		return nil, err
	}
	reason, err := cleanText("reason", in.Reason, MaxReasonLength)
	if err != nil {
		return nil, err
	}
	_, loc, err := s.branchZone(ctx, in.BranchID)
	if err != nil {
		return nil, err
	}
	b := Block{BranchID: in.BranchID, DoctorID: in.DoctorID, RoomID: in.RoomID,
		Start: in.Start.In(loc), End: in.End.In(loc), Reason: reason}
	err = s.db.QueryRow(ctx, `INSERT INTO blocks (branch_id, doctor_id, room_id, starts_at, ends_at, reason, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		b.BranchID, b.DoctorID, b.RoomID, b.Start, b.End, b.Reason, s.now()).Scan(&b.ID)
	if code, constraint := pgCode(err); code == sqlstateForeignKey {
		if strings.Contains(constraint, "doctor") {
			return nil, notFound("doctor", *in.DoctorID)
		}
		return nil, rule("room_not_in_branch", "room %d is not a room of branch %d", *in.RoomID, in.BranchID)
	} else if err != nil {
		return nil, fmt.Errorf("insert block: %w", err)
	}
	rows, err := s.db.Query(ctx, `SELECT id FROM sessions
		WHERE status NOT IN ('cancelled', 'no_show') AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)
		AND CASE WHEN $4::bigint IS NOT NULL THEN doctor_id = $4
			ELSE branch_id = $1 AND ($5::bigint IS NULL OR room_id = $5) END
		ORDER BY starts_at, id`, b.BranchID, b.Start, b.End, b.DoctorID, b.RoomID)
	if err != nil {
		return nil, fmt.Errorf("colliding sessions: %w", err)
	}
	if b.Colliding, err = pgx.CollectRows(rows, pgx.RowTo[ID]); err != nil {
		return nil, fmt.Errorf("colliding sessions: %w", err)
	}
	return &b, nil
}
