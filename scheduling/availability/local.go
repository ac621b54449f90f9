package availability

import "time"

// LocalSpans turns the spans of local date d in loc into absolute intervals, exactly as the engine
// reads weekly hours and exceptions: minute 1440 is the next local midnight, a time repeated by a
// fall-back is its first occurrence, and a time skipped by a spring-forward is the moment of the
// jump. Spans that come out empty (wholly inside a skipped hour) are left out. Callers that reason
// about when someone is somewhere (a doctor at two branches in different zones) use it so that they
// agree with the slots the engine offers.
func LocalSpans(loc *time.Location, d Date, spans []Span) []Interval {
	c := calendar{loc: loc}
	out := make([]Interval, 0, len(spans))
	for _, sp := range spans {
		start, end := max(sp.Start, 0), min(sp.End, minutesPerDay)
		if start >= end {
			continue
		}
		a, b := c.at(d, start), c.at(d, end)
		if a.Before(b) {
			out = append(out, Interval{Start: a, End: b})
		}
	}
	return out
}
