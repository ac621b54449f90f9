package availability

import "time"

// Slots returns the bookable slots of q in time order.
//
// Within each maximal run [a, b] of valid starts it offers a, a+Step, a+2·Step, … up to b,
// so a booking or a block restarts the rhythm at its end instead of wasting the time up
// to the next grid line. Minimum notice drops early starts without moving the rhythm. Step 0 means the session's duration. Each slot takes the first
// room, in q.Rooms order, that is free for it.
func Slots(q *Query) []Slot {
	s := NewStream(q)
	if s.e == nil {
		return nil
	}
	out := make([]Slot, 0, s.Remaining())
	for sl, ok := s.Next(); ok; sl, ok = s.Next() {
		out = append(out, sl)
	}
	return out
}

// Stream hands out the slots of one query (the same as Slots, in the same order) one at a time,
// computing each only when asked for: a caller that needs the first n slots of a long range pays
// for n, not for the range.
type Stream struct {
	e       *engine
	step    int64
	run     int   // index of the run of valid starts being stepped through
	next    int64 // the next start to offer in that run (Unix ns)
	cursors []int // room search positions, see engine.room
}

// NewStream prepares the slots of q. The interval arithmetic is done here; slots are made by Next.
func NewStream(q *Query) *Stream {
	e := newEngine(q)
	if e == nil {
		return &Stream{}
	}
	s := &Stream{e: e, step: int64(q.Step), cursors: make([]int, len(e.rooms))}
	if s.step <= 0 {
		s.step = e.duration
	}
	if len(e.starts) > 0 {
		s.next = s.first(e.starts[0].a)
	}
	return s
}

// first is the first start offered in a run beginning at a: a itself, or the first step of the
// run's rhythm at or after the minimum notice.
func (s *Stream) first(a int64) int64 {
	if a < s.e.notBefore {
		a += (s.e.notBefore - a + s.step - 1) / s.step * s.step
	}
	return a
}

// Remaining is the number of slots Next has still to give.
func (s *Stream) Remaining() int {
	if s.e == nil {
		return 0
	}
	n := 0
	for i := s.run; i < len(s.e.starts); i++ {
		t, b := s.next, s.e.starts[i].b
		if i > s.run {
			t = s.first(s.e.starts[i].a)
		}
		if t <= b {
			n += int((b-t)/s.step) + 1
		}
	}
	return n
}

// Next returns the next slot in time order, or false when there are no more.
func (s *Stream) Next() (Slot, bool) {
	if s.e == nil {
		return Slot{}, false
	}
	for s.run < len(s.e.starts) {
		if t := s.next; t <= s.e.starts[s.run].b {
			s.next += s.step
			return Slot{
				Start:  time.Unix(0, t).In(s.e.loc),
				End:    time.Unix(0, t+s.e.duration).In(s.e.loc),
				RoomID: s.e.room(t, s.cursors),
			}, true
		}
		if s.run++; s.run < len(s.e.starts) {
			s.next = s.first(s.e.starts[s.run].a)
		}
	}
	return Slot{}, false
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
