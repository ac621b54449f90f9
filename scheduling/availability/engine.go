package availability

import "time"

// engine holds the valid session starts of one query as closed intervals of Unix nanoseconds.
type engine struct {
	loc      *time.Location
	duration int64
	first    time.Time // local midnight starting q.From
	past     time.Time // local midnight ending q.To; starts must be before it
	// notBefore is the earliest start offered (Unix ns). It filters starts rather than cutting the
	// runs, so the step rhythm keeps its anchor at the start of each free run.
	notBefore int64
	starts    []seg // every valid start, whatever room it takes
	rooms     []roomStarts
}

// roomStarts is the part of the valid starts for which one room is free.
type roomStarts struct {
	id     int64
	starts []seg
}

// newEngine computes the valid starts of q, or returns nil when nothing is bookable.
func newEngine(q *Query) *engine {
	var total time.Duration
	for _, ex := range q.Exams {
		total += ex.Duration
	}
	if total <= 0 || (q.NeedsRoom && len(q.Rooms) == 0) {
		return nil
	}
	dd := days(q.From, q.To)
	if dd == nil {
		return nil
	}
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	last := dd[len(dd)-1].date
	cal := calendar{loc: loc}
	cal.lo, cal.hi = cal.at(dd[0].date, 0), cal.at(last, minutesPerDay)
	e := &engine{loc: loc, duration: int64(total), first: cal.lo, past: cal.at(last, 0)}

	lower, upper := cal.lo.UnixNano(), e.past.UnixNano()-1
	e.notBefore = lower
	if !q.NotBefore.IsZero() {
		e.notBefore = max(lower, cal.nanos(q.NotBefore))
	}
	if !q.NotAfter.IsZero() {
		if q.NotAfter.Before(cal.lo) {
			return nil // clamping would wrongly let the first instant through
		}
		upper = min(upper, cal.nanos(q.NotAfter))
	}

	busy := normalize(cal.appendIntervals(make([]seg, 0, len(q.Busy)), q.Busy))
	base := baseTime(&cal, q, dd)
	free := subtract(make([]seg, 0, len(base)+len(busy)), base, busy)
	// In place is safe here and below: each input member yields at most one output member.
	starts := clip(startsWithin(free[:0], free, 0, e.duration), lower, upper)

	var spare, buf []seg
	var off int64
	for _, ex := range q.Exams {
		d := int64(ex.Duration)
		if ex.Windows != nil && d > 0 && len(starts) > 0 {
			buf = buf[:0]
			for _, dy := range dd {
				buf = cal.appendSpans(buf, ex.Windows[dy.weekday], dy.date)
			}
			buf = startsWithin(buf[:0], normalize(buf), off, d)
			spare, starts = starts, intersect(spare[:0], starts, buf, true)
		}
		off += d
	}
	if q.NeedsRoom {
		starts = e.splitByRoom(&cal, q.Rooms, starts, spare)
	}
	e.starts = starts
	return e
}

// splitByRoom keeps, for each room, the starts for which it is free, and returns the union
// of those. spare is a buffer the function may reuse.
func (e *engine) splitByRoom(cal *calendar, rooms []Room, starts, spare []seg) []seg {
	lo, hi := cal.lo.UnixNano(), cal.hi.UnixNano()
	e.rooms = make([]roomStarts, len(rooms))
	var all, busy, gaps []seg
	for i, r := range rooms {
		busy = normalize(cal.appendIntervals(busy[:0], r.Busy))
		gaps = gapStarts(gaps[:0], busy, lo, hi, e.duration)
		own := intersect(make([]seg, 0, len(starts)+len(gaps)), starts, gaps, true)
		e.rooms[i] = roomStarts{id: r.ID, starts: own}
		spare, all = all, union(spare[:0], all, own)
	}
	return all
}

// baseTime returns the doctor's working time over the days: per day, the branch's opening
// hours intersected with the doctor's attendance (a dated exception replaces the weekly one).
func baseTime(cal *calendar, q *Query, dd []day) []seg {
	var base, branch, attend []seg
	for _, dy := range dd {
		spans, ok := q.Exceptions[dy.date]
		if !ok {
			spans = q.Attendance[dy.weekday]
		}
		if len(spans) == 0 || len(q.BranchHours[dy.weekday]) == 0 {
			continue
		}
		branch = normalize(cal.appendSpans(branch[:0], q.BranchHours[dy.weekday], dy.date))
		attend = normalize(cal.appendSpans(attend[:0], spans, dy.date))
		base = intersect(base, branch, attend, false)
	}
	// Days only touch at midnight, so base is already sorted; normalize joins the touching ends.
	return normalize(base)
}

// room returns the ID of the first room, in query order, free for a session starting at t,
// or 0 when the query needs no room. cursors holds one search position per room; calls must
// come with non-decreasing t.
func (e *engine) room(t int64, cursors []int) int64 {
	for i := range e.rooms {
		if contains(e.rooms[i].starts, &cursors[i], t) {
			return e.rooms[i].id
		}
	}
	return 0
}
