package scheduling

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

func spanOf(start, end int) availability.Span { return availability.Span{Start: start, End: end} }

// Room is a treatment room of a branch.
type Room struct {
	ID       ID     `json:"id"`
	BranchID ID     `json:"branch_id"`
	Name     string `json:"name"`
}

// CreateRoom adds a room to a branch; names are unique within a branch.
func (s *Service) CreateRoom(ctx context.Context, branchID ID, name string) (*Room, error) {
	name, err := cleanText("name", name, MaxNameLength)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, rule("missing_name", "name is required")
	}
	if branchID == 0 {
		return nil, rule("missing_branch", "branch_id is required")
	}
	r := Room{BranchID: branchID, Name: name}
	err = s.db.QueryRow(ctx, `INSERT INTO rooms (branch_id, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
		branchID, name, s.now()).Scan(&r.ID)
	switch code, _ := pgCode(err); code {
	case "":
	case sqlstateForeignKey:
		return nil, notFound("branch", branchID)
	case sqlstateUnique:
		return nil, conflict("duplicate_room", "branch %d already has a room named %q", branchID, name)
	default:
		return nil, fmt.Errorf("insert room: %w", err)
	}
	return &r, err
}

// ListRooms returns the rooms of a branch, or of every branch when branchID is 0.
func (s *Service) ListRooms(ctx context.Context, branchID ID) ([]Room, error) {
	// Two statements rather than "$1 = 0 OR ...", which would type the id as a 32-bit integer.
	sql, args := `SELECT id, branch_id, name FROM rooms ORDER BY id`, []any{}
	if branchID != 0 {
		sql, args = `SELECT id, branch_id, name FROM rooms WHERE branch_id = $1 ORDER BY id`, []any{branchID}
	}
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Room, error) {
		var r Room
		return r, row.Scan(&r.ID, &r.BranchID, &r.Name)
	})
}

// Doctor is a clinician; attendance is set per branch.
type Doctor struct {
	ID        ID     `json:"id"`
	Name      string `json:"name"`
	Specialty string `json:"specialty"`
}

// doctorOf checks a doctor's name and specialty as typed.
func doctorOf(name, specialty string) (Doctor, error) {
	var d Doctor
	var err error
	if d.Name, err = cleanText("name", name, MaxNameLength); err != nil {
		return d, err
	}
	if d.Specialty, err = cleanText("specialty", specialty, MaxNameLength); err != nil {
		return d, err
	}
	if d.Name == "" {
		return d, rule("missing_name", "name is required")
	}
	return d, nil
}

// CreateDoctor adds a doctor.
func (s *Service) CreateDoctor(ctx context.Context, name, specialty string) (*Doctor, error) {
	d, err := doctorOf(name, specialty)
	if err != nil {
		return nil, err
	}
	if err := s.db.QueryRow(ctx, `INSERT INTO doctors (name, specialty, created_at) VALUES ($1, $2, $3) RETURNING id`,
		d.Name, d.Specialty, s.now()).Scan(&d.ID); err != nil {
		return nil, fmt.Errorf("insert doctor: %w", err)
	}
	return &d, nil
}

// ListDoctors returns every doctor.
func (s *Service) ListDoctors(ctx context.Context) ([]Doctor, error) {
	rows, err := s.db.Query(ctx, `SELECT id, name, specialty FROM doctors ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list doctors: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Doctor, error) {
		var d Doctor
		return d, row.Scan(&d.ID, &d.Name, &d.Specialty)
	})
}

// GetDoctor returns one doctor.
func (s *Service) GetDoctor(ctx context.Context, id ID) (*Doctor, error) {
	d := Doctor{ID: id}
	err := s.db.QueryRow(ctx, `SELECT name, specialty FROM doctors WHERE id = $1`, id).Scan(&d.Name, &d.Specialty)
	if err != nil {
		return nil, noRows(err, "doctor", id)
	}
	return &d, nil
}
