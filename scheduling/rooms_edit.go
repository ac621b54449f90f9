package scheduling

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// RenameRoom changes a room's name; names stay unique within the branch.
func (s *Service) RenameRoom(ctx context.Context, id ID, name string) (*Room, error) {
	name, err := cleanText("name", name, MaxNameLength)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, rule("missing_name", "name is required")
	}
	r := Room{ID: id, Name: name}
	err = s.db.QueryRow(ctx, `UPDATE rooms SET name = $2 WHERE id = $1 RETURNING branch_id`, id, name).Scan(&r.BranchID)
	if code, _ := pgCode(err); code == sqlstateUnique {
		return nil, conflict("duplicate_room", "the branch already has a room named %q", name)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("room", id)
	}
	if err != nil {
		return nil, fmt.Errorf("rename room: %w", err)
	}
	return &r, nil
}

// RemoveRoom deletes a room that nothing depends on. A room with sessions, past or booked, is kept:
// they record where a visit took place (the database refuses it too). A room an examination is
// limited to is kept as well, since dropping it from that list could leave the examination offered
// in every room, or in none; the examination is changed first. The room's blackout blocks go with it.
func (s *Service) RemoveRoom(ctx context.Context, id ID) error {
	return pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var found bool
		var sessions int
		var exams []string
		err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE),
				(SELECT count(*) FROM sessions WHERE room_id = $1),
				array(SELECT e.name FROM examination_rooms er JOIN examinations e ON e.id = er.examination_id
					WHERE er.room_id = $1 ORDER BY e.name)`, id).Scan(&found, &sessions, &exams)
		switch {
		case err != nil:
			return fmt.Errorf("check room: %w", err)
		case !found:
			return notFound("room", id)
		case sessions > 0:
			count := fmt.Sprintf("%d sessions", sessions)
			if sessions == 1 {
				count = "a session"
			}
			return conflict("room_in_use", "the room has %s, past or booked, which record where they took place; it cannot be removed", count)
		case len(exams) > 0:
			return conflict("room_in_use", "examinations are limited to this room (%s); change them first", joinNames(exams))
		}
		_, err = tx.Exec(ctx, `DELETE FROM rooms WHERE id = $1`, id)
		if code, _ := pgCode(err); code == sqlstateForeignKey {
			return conflict("room_in_use", "the room has sessions, which record where they took place; it cannot be removed")
		}
		if err != nil {
			return fmt.Errorf("remove room: %w", err)
		}
		return nil
	})
}

// joinNames lists names for a message: "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	out := names[0]
	for _, n := range names[1 : len(names)-1] {
		out += ", " + n
	}
	return out + " and " + names[len(names)-1]
}
