package scheduling

import (
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// suitableRooms tells whether the session holds a room, and which rooms may serve (nil: any of the
// branch): those every room-needing examination allows, narrowed to the room asked for, if any.
func suitableRooms(exams []Examination, asked *ID) (needed bool, filter []ID) {
	for _, e := range exams {
		if !e.NeedsRoom {
			continue
		}
		needed = true
		if len(e.RoomIDs) > 0 {
			if filter == nil {
				filter = slices.Clone(e.RoomIDs)
			} else {
				filter = slices.DeleteFunc(filter, func(id ID) bool { return !slices.Contains(e.RoomIDs, id) })
			}
		}
	}
	if asked != nil {
		if filter == nil || slices.Contains(filter, *asked) {
			filter = []ID{*asked}
		} else {
			filter = []ID{}
		}
		needed = true
	}
	return needed, filter
}

// queueRooms reads the rooms of the branch that pass filter (nil: all of them), and their sessions and
// blocks between lo and hi.
func queueRooms(batch *pgx.Batch, cal *calendar, branchID ID, filter []ID, exclude ID, lo, hi time.Time) {
	batch.Queue(`SELECT id FROM rooms WHERE branch_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2)) ORDER BY id`,
		branchID, filter).Query(func(rows pgx.Rows) error {
		var id ID
		_, err := pgx.ForEachRow(rows, []any{&id}, func() error {
			cal.rooms = append(cal.rooms, availability.Room{ID: int64(id)})
			return nil
		})
		return err
	})
	batch.Queue(`
		SELECT room_id, starts_at, ends_at, true FROM sessions
		WHERE branch_id = $1 AND room_id IS NOT NULL AND status NOT IN ('cancelled', 'no_show') AND id <> $4
			AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)
		UNION ALL
		SELECT room_id, starts_at, ends_at, false FROM blocks
		WHERE branch_id = $1 AND room_id IS NOT NULL AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)`,
		branchID, lo, hi, exclude).Query(func(rows pgx.Rows) error {
		index := make(map[int64]int, len(cal.rooms))
		for i, r := range cal.rooms {
			index[r.ID] = i
		}
		var id int64
		var iv availability.Interval
		var isSession bool
		_, err := pgx.ForEachRow(rows, []any{&id, &iv.Start, &iv.End, &isSession}, func() error {
			i, ok := index[id]
			if !ok {
				return nil
			}
			cal.rooms[i].Busy = append(cal.rooms[i].Busy, iv)
			if !isSession {
				cal.roomBlocks[id] = append(cal.roomBlocks[id], iv)
			}
			return nil
		})
		return err
	})
}
