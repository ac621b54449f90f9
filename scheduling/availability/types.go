// Package availability computes a doctor's bookable time (DESIGN 3.1) by interval arithmetic:
// branch opening hours ∩ doctor attendance ∩ each examination's service windows, minus busy time,
// intersected with the free time of at least one suitable room when the session needs one.
// It is pure: callers load the rules and busy intervals, the engine does no I/O.
package availability

import "time"

// Span is a half-open interval of minutes from local midnight, [Start, End), 0 <= Start < End <= 1440.
type Span struct {
	Start, End int
}

// Weekly holds recurring spans per ISO weekday: index 1 = Monday … 7 = Sunday; index 0 is unused.
type Weekly [8][]Span

// Date is a calendar day in the branch's time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Interval is a half-open interval of absolute time, [Start, End).
type Interval struct {
	Start, End time.Time
}

// Exam is one examination of a session, in the order they run.
type Exam struct {
	Duration time.Duration
	// Windows restricts when this examination may run; nil means it may run whenever the doctor is free.
	Windows *Weekly
}

// Room is a room suitable for the session, with the time it is taken (its sessions and room blocks).
type Room struct {
	ID   int64
	Busy []Interval
}

// Query is everything the engine needs for one doctor at one branch over a range of local dates.
type Query struct {
	Location *time.Location
	From, To Date // inclusive, local dates

	BranchHours Weekly
	Attendance  Weekly
	// Exceptions replace the doctor's weekly attendance on the given dates; an empty slice is a day off.
	Exceptions map[Date][]Span

	Exams []Exam     // run back to back in this order; the session lasts their summed durations
	Busy  []Interval // doctor's non-cancelled sessions, doctor blocks, branch-wide blocks; any order, may overlap

	NeedsRoom bool
	Rooms     []Room // suitable rooms; when NeedsRoom, one of them must be free for the whole session

	Step      time.Duration // distance between offered starts; 0 means the session's duration
	NotBefore time.Time     // zero: no lower bound (minimum notice for online channels, or "now")
	NotAfter  time.Time     // zero: no upper bound (the horizon for online channels)
}

// Slot is one bookable start.
type Slot struct {
	Start, End time.Time
	RoomID     int64 // 0 when the session needs no room
}
