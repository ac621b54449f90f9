package availability

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkSlots30Days measures one doctor over 30 days in Lisbon with a realistic load:
// weekday hours with a lunch gap and Saturday mornings, two exceptions, 200 bookings,
// 20 blocks, two examinations (the first restricted to a service window), three rooms
// partly taken by other doctors, and a 10-minute step.
func BenchmarkSlots30Days(b *testing.B) {
	q := benchmarkQuery(b)
	var n int
	b.ReportAllocs()
	for b.Loop() {
		n = len(Slots(q))
	}
	b.ReportMetric(float64(n), "slots/op")
}

func benchmarkQuery(b *testing.B) *Query {
	loc := location(b, "Europe/Lisbon")
	weekdays := spans("08:00-13:00", "14:00-19:00")
	hours := weekly(weekdays, 1, 2, 3, 4, 5)
	hours[6] = spans("09:00-13:00")
	window := weekly(spans("08:00-12:00", "14:00-18:00"), 1, 2, 3, 4, 5)
	window[6] = spans("09:00-12:00")

	q := &Query{
		Location:    loc,
		From:        Date{2026, 6, 1},
		To:          Date{2026, 6, 30},
		BranchHours: hours,
		Attendance:  hours,
		Exceptions: map[Date][]Span{
			{2026, 6, 10}: {},                   // public holiday
			{2026, 6, 17}: spans("10:00-16:00"), // covering for a colleague
		},
		Exams: []Exam{
			{Duration: 20 * time.Minute, Windows: &window},
			{Duration: 10 * time.Minute},
		},
		NeedsRoom: true,
		Rooms:     []Room{{ID: 1}, {ID: 2}, {ID: 3}},
		Step:      10 * time.Minute,
	}

	rng := rand.New(rand.NewPCG(1, 2))
	var openDays []time.Time // local midnights of the days with hours
	for d := 1; d <= 30; d++ {
		day := time.Date(2026, 6, d, 0, 0, 0, 0, loc)
		if day.Weekday() != time.Sunday {
			openDays = append(openDays, day)
		}
	}
	// someTime returns a 10-minute aligned time within the weekday opening hours.
	someTime := func() time.Time {
		day := openDays[rng.IntN(len(openDays))]
		return day.Add(8*time.Hour + time.Duration(rng.IntN(66))*10*time.Minute)
	}
	busy := func(start time.Time, length time.Duration) Interval {
		return Interval{start, start.Add(length)}
	}
	for range 200 {
		q.Busy = append(q.Busy, busy(someTime(), 20*time.Minute))
	}
	for i := range 20 {
		switch {
		case i < 8: // doctor blocks: a meeting or paperwork
			q.Busy = append(q.Busy, busy(someTime(), time.Duration(1+rng.IntN(2))*time.Hour))
		case i < 12: // branch-wide blocks: maintenance, training
			q.Busy = append(q.Busy, busy(someTime(), 4*time.Hour))
		default: // room blocks
			r := &q.Rooms[i%3]
			r.Busy = append(r.Busy, busy(someTime(), 3*time.Hour))
		}
	}
	for i := range q.Rooms { // other doctors' sessions in the rooms
		for range 60 {
			q.Rooms[i].Busy = append(q.Rooms[i].Busy, busy(someTime(), 30*time.Minute))
		}
	}
	if len(Slots(q)) == 0 {
		b.Fatal("benchmark query has no slots")
	}
	return q
}
