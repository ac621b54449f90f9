package availability

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the machine's zoneinfo
)

// location loads a time zone or fails the test.
func location(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// minute parses "HH:MM" (up to "24:00") into minutes from midnight.
func minute(s string) int {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil {
		panic(fmt.Sprintf("bad time of day %q", s))
	}
	return h*60 + m
}

// spans parses "HH:MM-HH:MM" ranges.
func spans(ranges ...string) []Span {
	out := make([]Span, 0, len(ranges))
	for _, r := range ranges {
		from, to, ok := strings.Cut(r, "-")
		if !ok {
			panic(fmt.Sprintf("bad range %q", r))
		}
		out = append(out, Span{minute(from), minute(to)})
	}
	return out
}

// weekly gives the same spans to each of the ISO weekdays listed.
func weekly(sp []Span, weekdays ...int) Weekly {
	var w Weekly
	for _, d := range weekdays {
		w[d] = sp
	}
	return w
}

// at parses "2006-01-02 15:04" as a local time in loc.
func at(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// interval parses two local times "2006-01-02 15:04" in loc.
func interval(loc *time.Location, from, to string) Interval {
	return Interval{at(loc, from), at(loc, to)}
}

// minutes is a shorthand for a duration in minutes.
func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

// describe renders slots as "2006-01-02 15:04-15:04 rN" in loc, so expectations read like a
// calendar while still pinning exact instants.
func describe(loc *time.Location, slots []Slot) []string {
	out := make([]string, 0, len(slots))
	for _, s := range slots {
		line := s.Start.In(loc).Format("2006-01-02 15:04") + "-" + s.End.In(loc).Format("15:04")
		if s.RoomID != 0 {
			line += fmt.Sprintf(" r%d", s.RoomID)
		}
		out = append(out, line)
	}
	return out
}

// utc renders slot starts as UTC instants, for days on which local times repeat or vanish.
func utc(slots []Slot) []string {
	out := make([]string, 0, len(slots))
	for _, s := range slots {
		out = append(out, s.Start.UTC().Format("2006-01-02 15:04Z"))
	}
	return out
}

// equal fails the test when got differs from want; lists of strings are shown one per line.
func equal[T any](t testing.TB, what string, want, got T) {
	t.Helper()
	if reflect.DeepEqual(want, got) {
		return
	}
	if w, ok := any(want).([]string); ok {
		g := any(got).([]string)
		t.Errorf("%s:\nwant\n\t%s\ngot\n\t%s", what, strings.Join(w, "\n\t"), strings.Join(g, "\n\t"))
		return
	}
	t.Errorf("%s: want %v, got %v", what, want, got)
}
