package scheduling

import (
	"context"
	"fmt"
)

// UpdateDoctor changes a doctor's name and specialty. Sessions show the name as it now is.
func (s *Service) UpdateDoctor(ctx context.Context, id ID, name, specialty string) (*Doctor, error) {
	d, err := doctorOf(name, specialty)
	if err != nil {
		return nil, err
	}
	tag, err := s.db.Exec(ctx, `UPDATE doctors SET name = $2, specialty = $3 WHERE id = $1`, id, d.Name, d.Specialty)
	if err != nil {
		return nil, fmt.Errorf("update doctor: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil, NotFound("doctor", id)
	}
	d.ID = id
	return &d, nil
}
