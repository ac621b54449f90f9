package availability

import "time"

// Slots returns the bookable slots of q in time order.
//
// Within each maximal run [a, b] of valid starts it offers a, a+Step, a+2·Step, … up to b,
// so a booking or a block restarts the rhythm at its end instead of wasting the time up
// to the next grid line. Minimum notice drops early starts without moving the rhythm. Step 0 means the session's duration. Each slot takes the first
// room, in q.Rooms order, that is free for it.
func Slots(q *Query) []Slot {
	e := newEngine(q)
	if e == nil {
		return nil
	}
	step := int64(q.Step)
	if step <= 0 {
		step = e.duration
	}
	n := 0
	for _, iv := range e.starts {
		n += int((iv.b-iv.a)/step) + 1
	}
	out := make([]Slot, 0, n)
	cursors := make([]int, len(e.rooms))
	for _, iv := range e.starts {
		t := iv.a
		if t < e.notBefore {
			t += (e.notBefore - t + step - 1) / step * step
		}
		for ; t <= iv.b; t += step {
			out = append(out, Slot{
				Start:  time.Unix(0, t).In(e.loc),
				End:    time.Unix(0, t+e.duration).In(e.loc),
				RoomID: e.room(t, cursors),
			})
		}
	}
	return out
}

// Fits reports whether a session starting exactly at start fits q, and which room it would
// take (0 when no room is needed). Unlike Slots it needs no step alignment: it is the check
// for a start chosen by staff, or for re-validating a slot just before booking it.
func Fits(q *Query, start time.Time) (roomID int64, ok bool) {
	e := newEngine(q)
	if e == nil || start.Before(e.first) || !start.Before(e.past) {
		return 0, false
	}
	t := start.UnixNano()
	if t < e.notBefore {
		return 0, false
	}
	var from int
	if !contains(e.starts, &from, t) {
		return 0, false
	}
	return e.room(t, make([]int, len(e.rooms))), true
}
