package availability

import (
	"slices"
	"testing"
)

const (
	mon = "2026-06-08" // a Monday in Lisbon summer time
	tue = "2026-06-09"
)

var (
	monday  = Date{2026, 6, 8}
	tuesday = Date{2026, 6, 9}
	sunday  = Date{2026, 6, 14}
)

// baseQuery is a Monday in Lisbon: the branch opens 08:00–13:00 and 14:00–19:00 on
// weekdays, the doctor attends 11:00–15:00 on Mondays, and the session is one 60-minute
// examination. Its valid starts are 11:00–12:00 and 14:00.
func baseQuery(t *testing.T) *Query {
	loc := location(t, "Europe/Lisbon")
	return &Query{
		Location:    loc,
		From:        monday,
		To:          monday,
		BranchHours: weekly(spans("08:00-13:00", "14:00-19:00"), 1, 2, 3, 4, 5),
		Attendance:  weekly(spans("11:00-15:00"), 1),
		Exams:       []Exam{{Duration: minutes(60)}},
	}
}

func TestSlots(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		edit func(q *Query)
		want []string
	}{
		{
			name: "lunch gap splits the day",
			edit: func(*Query) {},
			want: []string{mon + " 11:00-12:00", mon + " 12:00-13:00", mon + " 14:00-15:00"},
		},
		{
			name: "attendance outside branch hours is not bookable",
			edit: func(q *Query) { q.Attendance = weekly(spans("06:00-09:00", "19:00-21:00"), 1) },
			want: []string{mon + " 08:00-09:00"},
		},
		{
			name: "unsorted overlapping weekly spans are a union",
			edit: func(q *Query) {
				q.Attendance = weekly(spans("14:30-15:00", "12:00-13:00", "11:00-12:30", "14:00-14:45"), 1)
			},
			want: []string{mon + " 11:00-12:00", mon + " 12:00-13:00", mon + " 14:00-15:00"},
		},
		{
			name: "booking removes its time and next slot starts at its end",
			edit: func(q *Query) { q.Busy = []Interval{interval(q.Location, mon+" 11:20", mon+" 11:40")} },
			want: []string{mon + " 11:40-12:40", mon + " 14:00-15:00"},
		},
		{
			name: "dated exception day off",
			edit: func(q *Query) { q.Exceptions = map[Date][]Span{monday: {}} },
			want: nil,
		},
		{
			name: "dated exception other hours",
			edit: func(q *Query) { q.Exceptions = map[Date][]Span{monday: spans("15:00-17:00")} },
			want: []string{mon + " 15:00-16:00", mon + " 16:00-17:00"},
		},
		{
			name: "exception gives hours on a day with no weekly hours",
			edit: func(q *Query) {
				q.From, q.To = tuesday, tuesday
				q.Exceptions = map[Date][]Span{tuesday: spans("09:00-11:00")}
			},
			want: []string{tue + " 09:00-10:00", tue + " 10:00-11:00"},
		},
		{
			name: "exception on a day the branch is closed gives nothing",
			edit: func(q *Query) {
				q.From, q.To = sunday, sunday
				q.Exceptions = map[Date][]Span{sunday: spans("09:00-11:00")}
			},
			want: nil,
		},
		{
			name: "branch-wide block",
			edit: func(q *Query) { q.Busy = []Interval{interval(q.Location, mon+" 08:00", mon+" 13:00")} },
			want: []string{mon + " 14:00-15:00"},
		},
		{
			name: "doctor block",
			edit: func(q *Query) { q.Busy = []Interval{interval(q.Location, mon+" 14:00", mon+" 14:01")} },
			want: []string{mon + " 11:00-12:00", mon + " 12:00-13:00"},
		},
		{
			name: "overlapping unsorted busy intervals are merged",
			edit: func(q *Query) {
				q.Exams = []Exam{{Duration: minutes(30)}}
				q.Busy = []Interval{
					interval(q.Location, mon+" 12:30", mon+" 13:00"),
					interval(q.Location, mon+" 11:00", mon+" 11:30"),
					interval(q.Location, mon+" 11:15", mon+" 11:45"),
				}
			},
			want: []string{mon + " 11:45-12:15", mon + " 14:00-14:30", mon + " 14:30-15:00"},
		},
		{
			name: "busy extending beyond the range is cut to it",
			edit: func(q *Query) {
				q.Busy = []Interval{
					{Start: at(q.Location, "2026-06-01 00:00"), End: at(q.Location, mon+" 12:00")},
					{Start: at(q.Location, mon+" 14:30"), End: at(q.Location, "9999-01-01 00:00")},
				}
			},
			want: []string{mon + " 12:00-13:00"},
		},
		{
			name: "room block leaves other room",
			edit: func(q *Query) {
				q.NeedsRoom = true
				q.Rooms = []Room{
					{ID: 1, Busy: []Interval{interval(q.Location, mon+" 11:00", mon+" 12:00")}},
					{ID: 2},
				}
			},
			want: []string{mon + " 11:00-12:00 r2", mon + " 12:00-13:00 r1", mon + " 14:00-15:00 r1"},
		},
		{
			name: "all rooms taken means no slot",
			edit: func(q *Query) {
				q.NeedsRoom = true
				taken := []Interval{interval(q.Location, mon+" 10:30", mon+" 13:00")}
				q.Rooms = []Room{{ID: 1, Busy: taken}, {ID: 2, Busy: taken}}
			},
			want: []string{mon + " 14:00-15:00 r1"},
		},
		{
			name: "rooms free for different parts of a run share one step rhythm",
			edit: func(q *Query) {
				q.NeedsRoom = true
				q.Step = minutes(20)
				q.Rooms = []Room{
					{ID: 7, Busy: []Interval{interval(q.Location, mon+" 12:30", mon+" 13:00")}},
					{ID: 3, Busy: []Interval{interval(q.Location, mon+" 11:00", mon+" 11:30")}},
				}
			},
			// Room 7 takes starts up to 11:30, room 3 from 11:30: one run 11:00–12:00.
			want: []string{
				mon + " 11:00-12:00 r7", mon + " 11:20-12:20 r7", mon + " 11:40-12:40 r3",
				mon + " 12:00-13:00 r3", mon + " 14:00-15:00 r7",
			},
		},
		{
			name: "session needing a room with no rooms given is not bookable",
			edit: func(q *Query) { q.NeedsRoom = true },
			want: nil,
		},
		{
			name: "two examinations add their durations",
			edit: func(q *Query) { q.Exams = []Exam{{Duration: minutes(30)}, {Duration: minutes(20)}} },
			want: []string{mon + " 11:00-11:50", mon + " 11:50-12:40", mon + " 14:00-14:50"},
		},
		{
			name: "second examination must be inside its own window",
			edit: func(q *Query) {
				window := weekly(spans("14:30-15:00", "11:30-12:30"), 1)
				q.Exams = []Exam{{Duration: minutes(30)}, {Duration: minutes(30), Windows: &window}}
				q.Step = minutes(15)
			},
			want: []string{mon + " 11:00-12:00", mon + " 11:15-12:15", mon + " 11:30-12:30", mon + " 14:00-15:00"},
		},
		{
			name: "examination window on another weekday gives nothing",
			edit: func(q *Query) {
				window := weekly(spans("08:00-19:00"), 2)
				q.Exams = []Exam{{Duration: minutes(60), Windows: &window}}
			},
			want: nil,
		},
		{
			name: "slot interval steps starts",
			edit: func(q *Query) { q.Step = minutes(20) },
			want: []string{
				mon + " 11:00-12:00", mon + " 11:20-12:20", mon + " 11:40-12:40",
				mon + " 12:00-13:00", mon + " 14:00-15:00",
			},
		},
		{
			name: "step rhythm restarts at the end of a booking",
			edit: func(q *Query) {
				q.Step = minutes(30)
				q.Busy = []Interval{interval(q.Location, mon+" 10:00", mon+" 11:10")}
			},
			want: []string{mon + " 11:10-12:10", mon + " 11:40-12:40", mon + " 14:00-15:00"},
		},
		{
			name: "minimum notice drops early starts and keeps the step rhythm",
			edit: func(q *Query) { q.NotBefore = at(q.Location, mon+" 11:15") },
			want: []string{mon + " 12:00-13:00", mon + " 14:00-15:00"},
		},
		{
			name: "horizon cuts late starts and keeps a start exactly at it",
			edit: func(q *Query) { q.NotAfter = at(q.Location, mon+" 12:00") },
			want: []string{mon + " 11:00-12:00", mon + " 12:00-13:00"},
		},
		{
			name: "range of days lists every day in order",
			edit: func(q *Query) {
				q.To = tuesday
				q.Attendance[2] = spans("08:00-10:00")
			},
			want: []string{
				mon + " 11:00-12:00", mon + " 12:00-13:00", mon + " 14:00-15:00",
				tue + " 08:00-09:00", tue + " 09:00-10:00",
			},
		},
		{
			name: "session starting late on the last day may run past midnight",
			edit: func(q *Query) {
				q.BranchHours = Weekly{1: spans("22:00-24:00"), 2: spans("00:00-02:00")}
				q.Attendance = q.BranchHours
				q.Step = minutes(30)
			},
			want: []string{mon + " 22:00-23:00", mon + " 22:30-23:30", mon + " 23:00-00:00", mon + " 23:30-00:30"},
		},
		{
			name: "no examinations means nothing bookable",
			edit: func(q *Query) { q.Exams = nil },
			want: nil,
		},
		{
			name: "zero total duration means nothing bookable",
			edit: func(q *Query) { q.Exams = []Exam{{Duration: 0}} },
			want: nil,
		},
		{
			name: "range ending before it starts is empty",
			edit: func(q *Query) { q.From, q.To = tuesday, monday },
			want: nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := baseQuery(t)
			tc.edit(q)
			got := Slots(q)
			equal(t, "slots", tc.want, nilIfEmpty(describe(q.Location, got)))
			for _, s := range got {
				equal(t, "slot zone", q.Location, s.Start.Location())
			}
		})
	}
}

func TestSlotsLeavesCallerSlicesUntouched(t *testing.T) {
	t.Parallel()
	q := baseQuery(t)
	q.Busy = []Interval{
		interval(q.Location, mon+" 12:30", mon+" 13:00"),
		interval(q.Location, mon+" 11:00", mon+" 11:30"),
	}
	q.Attendance[1] = spans("14:00-15:00", "11:00-14:00")
	q.NeedsRoom = true
	q.Rooms = []Room{{ID: 1, Busy: slices.Clone(q.Busy)}}
	busy, attendance, roomBusy := slices.Clone(q.Busy), slices.Clone(q.Attendance[1]), slices.Clone(q.Rooms[0].Busy)

	Slots(q)
	Fits(q, at(q.Location, mon+" 11:30"))

	equal(t, "busy", busy, q.Busy)
	equal(t, "attendance", attendance, q.Attendance[1])
	equal(t, "room busy", roomBusy, q.Rooms[0].Busy)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
