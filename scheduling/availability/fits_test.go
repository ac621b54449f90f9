package availability

import (
	"testing"
	"time"
)

func TestFits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		edit     func(q *Query)
		start    string // local time on the base Monday
		wantOK   bool
		wantRoom int64
	}{
		{name: "unaligned start fits", start: "11:07", wantOK: true},
		{name: "last valid start fits", start: "12:00", wantOK: true},
		{name: "start running into the lunch gap is refused", start: "12:01"},
		{name: "start outside attendance is refused", start: "09:00"},
		{
			name:  "start overlapping a booking is refused",
			edit:  func(q *Query) { q.Busy = []Interval{interval(q.Location, mon+" 11:30", mon+" 11:45")} },
			start: "11:00",
		},
		{
			name:   "start at the end of a booking fits",
			edit:   func(q *Query) { q.Busy = []Interval{interval(q.Location, mon+" 11:30", mon+" 11:45")} },
			start:  "11:45",
			wantOK: true,
		},
		{
			name:     "first free room in query order is taken",
			edit:     withRooms(Room{ID: 4}, Room{ID: 5}),
			start:    "11:10",
			wantOK:   true,
			wantRoom: 4,
		},
		{
			name: "room busy during the session is skipped",
			edit: func(q *Query) {
				withRooms(Room{ID: 4, Busy: []Interval{interval(q.Location, mon+" 12:00", mon+" 12:05")}}, Room{ID: 5})(q)
			},
			start:    "11:10",
			wantOK:   true,
			wantRoom: 5,
		},
		{
			name:  "start before minimum notice is refused",
			edit:  func(q *Query) { q.NotBefore = at(q.Location, mon+" 11:30") },
			start: "11:29",
		},
		{
			name:  "start after the horizon is refused",
			edit:  func(q *Query) { q.NotAfter = at(q.Location, mon+" 11:30") },
			start: "11:31",
		},
		{
			name:  "start on the day after the range is refused",
			edit:  func(q *Query) { q.From, q.To = Date{2026, 6, 7}, Date{2026, 6, 7} },
			start: "11:00",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := baseQuery(t)
			if tc.edit != nil {
				tc.edit(q)
			}
			room, ok := Fits(q, at(q.Location, mon+" "+tc.start))
			equal(t, "fits", tc.wantOK, ok)
			equal(t, "room", tc.wantRoom, room)
		})
	}
}

// TestFitsAgreesWithSlots checks that every offered slot fits with the same room.
func TestFitsAgreesWithSlots(t *testing.T) {
	t.Parallel()
	q := baseQuery(t)
	q.Step = 7 * time.Minute
	withRooms(
		Room{ID: 1, Busy: []Interval{interval(q.Location, mon+" 11:00", mon+" 11:30")}},
		Room{ID: 2, Busy: []Interval{interval(q.Location, mon+" 14:00", mon+" 14:30")}},
	)(q)
	slots := Slots(q)
	if len(slots) == 0 {
		t.Fatal("no slots to check")
	}
	for _, s := range slots {
		room, ok := Fits(q, s.Start)
		equal(t, "fits "+s.Start.String(), true, ok)
		equal(t, "room at "+s.Start.String(), s.RoomID, room)
	}
}

func withRooms(rooms ...Room) func(q *Query) {
	return func(q *Query) {
		q.NeedsRoom = true
		q.Rooms = rooms
	}
}
