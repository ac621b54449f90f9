package availability

import "time"

// This file is a deliberately naive second implementation of the availability rule, used as
// an oracle by the property tests. It samples time in cells of refCell instead of doing
// interval arithmetic. All random inputs lie on whole minutes, so every boundary falls on a
// cell boundary, and a gap of even one minute between two runs of valid starts shows up as
// an invalid cell: the sampled answer is exact.
const refCell = 30 * time.Second

// slots computes the slots of the query by sampling.
func (r *ref) slots() []Slot {
	step := r.q.Step
	if step <= 0 {
		step = r.duration
	}
	stepCells := int(step / refCell)
	var out []Slot
	for i := 0; i < r.cells; {
		if _, ok := r.valid(i); !ok {
			i++
			continue
		}
		end := i
		for end+1 < r.cells && r.validStart(end+1) {
			end++
		}
		for j := i; j <= end; j += stepCells {
			if r.early(j) {
				continue
			}
			room, _ := r.valid(j)
			start := r.instant(j)
			out = append(out, Slot{Start: start, End: start.Add(r.duration), RoomID: room})
		}
		i = end + 1
	}
	return out
}

// fits answers Fits by sampling; start must lie on a cell boundary.
func (r *ref) fits(start time.Time) (int64, bool) {
	if start.Before(r.lo) || r.early(int(start.Sub(r.lo)/refCell)) {
		return 0, false
	}
	return r.valid(int(start.Sub(r.lo) / refCell))
}

type ref struct {
	q        *Query
	lo       time.Time
	cells    int
	duration time.Duration
	free     coverage   // doctor free
	windows  []coverage // per exam; nil when the exam has no windows
	rooms    []coverage
}

// newRef samples q, or returns nil when nothing is bookable.
func newRef(q *Query) *ref {
	var total time.Duration
	for _, ex := range q.Exams {
		total += ex.Duration
	}
	if total <= 0 || (q.NeedsRoom && len(q.Rooms) == 0) || dateAfter(q.From, q.To) {
		return nil
	}
	var dates []Date
	for d := q.From; !dateAfter(d, addDays(q.To, 1)); d = addDays(d, 1) {
		dates = append(dates, d)
	}
	loc := q.Location
	r := &ref{q: q, duration: total, lo: refInstant(loc, q.From, 0)}
	r.cells = int(refInstant(loc, dates[len(dates)-1], minutesPerDay).Sub(r.lo) / refCell)

	byDay := func(pick func(Date) []Span) [][]Interval {
		out := make([][]Interval, len(dates))
		for k, d := range dates {
			for _, sp := range pick(d) {
				out[k] = append(out[k], Interval{refInstant(loc, d, sp.Start), refInstant(loc, d, sp.End)})
			}
		}
		return out
	}
	branch := byDay(func(d Date) []Span { return q.BranchHours[weekdayOf(d)] })
	attend := byDay(func(d Date) []Span {
		if sp, ok := q.Exceptions[d]; ok {
			return sp
		}
		return q.Attendance[weekdayOf(d)]
	})
	r.free = r.cover(func(u time.Time) bool {
		for k := range dates {
			if inAny(branch[k], u) && inAny(attend[k], u) {
				return !inAny(q.Busy, u)
			}
		}
		return false
	})
	for _, ex := range q.Exams {
		if ex.Windows == nil {
			r.windows = append(r.windows, nil)
			continue
		}
		win := byDay(func(d Date) []Span { return ex.Windows[weekdayOf(d)] })
		r.windows = append(r.windows, r.cover(func(u time.Time) bool {
			for k := range dates {
				if inAny(win[k], u) {
					return true
				}
			}
			return false
		}))
	}
	for _, room := range q.Rooms {
		r.rooms = append(r.rooms, r.cover(func(u time.Time) bool { return !inAny(room.Busy, u) }))
	}
	return r
}

func (r *ref) instant(i int) time.Time { return r.lo.Add(time.Duration(i) * refCell) }

// early reports whether cell i is before the minimum notice: such starts are not offered, but
// they still belong to their run, which anchors the step rhythm.
func (r *ref) early(i int) bool { return !r.q.NotBefore.IsZero() && r.instant(i).Before(r.q.NotBefore) }

func (r *ref) validStart(i int) bool { _, ok := r.valid(i); return ok }

// valid reports whether a session may start at cell i, and the first free room.
func (r *ref) valid(i int) (int64, bool) {
	q, u := r.q, r.instant(i)
	y, m, d := u.In(q.Location).Date()
	local := Date{y, m, d}
	if dateAfter(q.From, local) || dateAfter(local, q.To) ||
		(!q.NotAfter.IsZero() && u.After(q.NotAfter)) {
		return 0, false
	}
	n := int(r.duration / refCell)
	if !r.free.all(i, i+n) {
		return 0, false
	}
	off := i
	for k, ex := range q.Exams {
		c := int(ex.Duration / refCell)
		if r.windows[k] != nil && c > 0 && !r.windows[k].all(off, off+c) {
			return 0, false
		}
		off += c
	}
	if !q.NeedsRoom {
		return 0, true
	}
	for k, room := range r.rooms {
		if room.all(i, i+n) {
			return q.Rooms[k].ID, true
		}
	}
	return 0, false
}

// coverage answers "is every cell of [i, j) set" in constant time: it counts set cells.
type coverage []int

func (r *ref) cover(set func(time.Time) bool) coverage {
	c := make(coverage, r.cells+1)
	for i := range r.cells {
		c[i+1] = c[i]
		if set(r.instant(i)) {
			c[i+1]++
		}
	}
	return c
}

func (c coverage) all(i, j int) bool { return j < len(c) && c[j]-c[i] == j-i }

func inAny(ivs []Interval, u time.Time) bool {
	for _, iv := range ivs {
		if !u.Before(iv.Start) && u.Before(iv.End) {
			return true
		}
	}
	return false
}

// refInstant finds, minute by minute, the first instant at which the local clock of date d
// reads minute m or later.
func refInstant(loc *time.Location, d Date, m int) time.Time {
	want := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() + int64(m)*60
	wall := func(u time.Time) int64 { _, off := u.In(loc).Zone(); return u.Unix() + int64(off) }
	_, off := time.Unix(want, 0).In(loc).Zone()
	u := time.Unix(want-int64(off), 0).Add(-3 * time.Hour)
	for wall(u) >= want {
		u = u.Add(-time.Hour)
	}
	for wall(u) < want {
		u = u.Add(time.Minute)
	}
	return u
}

func addDays(d Date, n int) Date {
	y, m, day := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, day}
}

func dateAfter(a, b Date) bool {
	return time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC).After(time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC))
}

func weekdayOf(d Date) int {
	w := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
	return (int(w)+6)%7 + 1
}
