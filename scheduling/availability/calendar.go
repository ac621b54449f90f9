package availability

import (
	"math"
	"time"
)

const minutesPerDay = 24 * 60

// calendar turns local dates and minutes of day into absolute instants in one time zone,
// and clamps absolute times into the range the engine looks at, so that far-away instants
// (a sentinel year 9999, say) cannot overflow int64 nanoseconds.
type calendar struct {
	loc    *time.Location
	lo, hi time.Time // first and last instant the engine needs to look at
	zone   zonePeriod
}

// zonePeriod caches the zone period of the last conversion. Periods last months, so nearly
// every conversion becomes plain arithmetic instead of time zone lookups.
type zonePeriod struct {
	start, end int64 // the period [start, end) in Unix seconds; empty until the first lookup
	offset     int64 // seconds east of UTC during the period
	before     int64 // offset of the period before, to find the first of two repeated times
}

// day is one local date with its ISO weekday (1 = Monday … 7 = Sunday).
type day struct {
	date    Date
	weekday int
}

// days lists the local dates from..to inclusive, plus the day after to: a session starting
// late on to may run past midnight. It returns nil when from is after to.
func days(from, to Date) []day {
	first := time.Date(from.Year, from.Month, from.Day, 12, 0, 0, 0, time.UTC)
	last := time.Date(to.Year, to.Month, to.Day, 12, 0, 0, 0, time.UTC)
	if last.Before(first) {
		return nil
	}
	n := int(last.Sub(first)/(24*time.Hour)) + 2
	out := make([]day, n)
	for i := range out {
		t := first.AddDate(0, 0, i)
		y, m, d := t.Date()
		out[i] = day{date: Date{y, m, d}, weekday: isoWeekday(t.Weekday())}
	}
	return out
}

func isoWeekday(w time.Weekday) int {
	if w == time.Sunday {
		return 7
	}
	return int(w)
}

// at returns the first instant at which the local clock of date d reads minute m or later;
// m == 1440 is the next local midnight, which on a DST change day is 23 or 25 real hours
// after this one. A time repeated by a fall-back is its first occurrence. A time skipped by a
// spring-forward is the moment of the jump, so "until 02:30" ends when the clock jumps and
// "from 02:30" starts then; time.Date alone would move such times an hour back.
func (c *calendar) at(d Date, m int) time.Time {
	return time.Unix(c.unix(d, m), 0).In(c.loc)
}

// unix is at in Unix seconds.
func (c *calendar) unix(d Date, m int) int64 {
	want := time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, time.UTC).Unix()
	z := &c.zone
	// The wall time occurs in the cached period, and not already in the one before.
	if u := want - z.offset; z.start <= u && u < z.end && want-z.before >= z.start {
		return u
	}

	t := time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, c.loc)
	start, end := t.ZoneBounds()
	_, offset := t.Zone()
	*z = zonePeriod{start: math.MinInt64, end: math.MaxInt64, offset: int64(offset), before: int64(offset)}
	if !start.IsZero() {
		z.start = start.Unix()
		_, before := start.Add(-time.Second).Zone()
		z.before = int64(before)
	}
	if !end.IsZero() {
		z.end = end.Unix()
	}
	switch u := want - z.offset; {
	case u < z.start: // skipped by a jump that t is after
		return z.start
	case u >= z.end: // skipped by a jump that t is before
		return z.end
	case want-z.before < z.start && z.before > z.offset:
		return want - z.before // time.Date picked the second of two repeated times
	default:
		return u
	}
}

// appendSpans appends the spans of local date d as absolute intervals to dst. Spans are
// clipped to the day, and spans that are empty (also after conversion) are skipped.
func (c *calendar) appendSpans(dst []seg, spans []Span, d Date) []seg {
	for _, sp := range spans {
		start, end := max(sp.Start, 0), min(sp.End, minutesPerDay)
		if start >= end {
			continue
		}
		a, b := c.unix(d, start)*1e9, c.unix(d, end)*1e9
		if a < b {
			dst = append(dst, seg{a, b})
		}
	}
	return dst
}

// nanos converts t to Unix nanoseconds, clamped to the calendar's range.
func (c *calendar) nanos(t time.Time) int64 {
	switch {
	case t.Before(c.lo):
		return c.lo.UnixNano()
	case t.After(c.hi):
		return c.hi.UnixNano()
	}
	return t.UnixNano()
}

// appendIntervals appends the intervals as clamped nanoseconds to dst, skipping empty ones.
// The result is unsorted; the caller normalizes it. The caller's slice is only read.
func (c *calendar) appendIntervals(dst []seg, ivs []Interval) []seg {
	for _, iv := range ivs {
		a, b := c.nanos(iv.Start), c.nanos(iv.End)
		if a < b {
			dst = append(dst, seg{a, b})
		}
	}
	return dst
}
