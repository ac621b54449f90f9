package availability

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// Zones with DST at 01:00 UTC (Europe), at local 02:00 (New York), at local midnight
// (Santiago), by half an hour (Lord Howe), and with a half-hour offset (Kolkata).
var propertyZones = []string{
	"UTC", "America/New_York", "Europe/Lisbon", "Europe/Berlin",
	"America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata",
}

// Dates near the 2026 DST changes of those zones, and one ordinary date.
var propertyAnchors = []Date{
	{2026, 3, 8}, {2026, 11, 1}, {2026, 3, 29}, {2026, 10, 25},
	{2026, 4, 5}, {2026, 9, 6}, {2026, 10, 4}, {2026, 6, 10},
}

func TestSlotsMatchReference(t *testing.T) {
	t.Parallel()
	seeds := 400
	if testing.Short() {
		seeds = 50
	}
	nonEmpty := 0
	for seed := range uint64(seeds) {
		if compareWithReference(t, seed) > 0 {
			nonEmpty++
		}
	}
	t.Logf("%d of %d random queries had slots", nonEmpty, seeds)
	if nonEmpty < seeds/3 {
		t.Errorf("only %d of %d random queries had slots; the generator is too strict", nonEmpty, seeds)
	}
}

func FuzzSlotsMatchReference(f *testing.F) {
	for seed := range uint64(8) {
		f.Add(seed)
	}
	f.Add(uint64(744)) // horizon before the range once let its first instant through
	f.Add(uint64(969)) // Lisbon's repeated hour once resolved to its second occurrence
	f.Fuzz(func(t *testing.T, seed uint64) { compareWithReference(t, seed) })
}

// compareWithReference checks Slots and Fits against the sampling reference on the random
// query of seed, and returns the number of slots.
func compareWithReference(t *testing.T, seed uint64) int {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5107))
	q := randomQuery(t, rng)
	got, r := Slots(q), newRef(q)
	var want []Slot
	if r != nil {
		want = r.slots()
	}
	if g, w := render(got), render(want); fmt.Sprint(g) != fmt.Sprint(w) {
		t.Fatalf("seed %d: Slots differ from the reference\nquery: %s\nwant %v\ngot  %v", seed, dump(q), w, g)
	}
	if r == nil {
		return 0
	}
	for range 40 {
		start := r.instant(rng.IntN(r.cells+240) - 120) // also just outside the range
		room, ok := Fits(q, start)
		wantRoom, wantOK := r.fits(start)
		if ok != wantOK || room != wantRoom {
			t.Fatalf("seed %d: Fits(%s) = %d, %v; want %d, %v\nquery: %s",
				seed, start.UTC(), room, ok, wantRoom, wantOK, dump(q))
		}
	}
	return len(got)
}

func randomQuery(t *testing.T, rng *rand.Rand) *Query {
	loc := location(t, propertyZones[rng.IntN(len(propertyZones))])
	from := addDays(propertyAnchors[rng.IntN(len(propertyAnchors))], -rng.IntN(3))
	to := addDays(from, rng.IntN(3))
	q := &Query{Location: loc, From: from, To: to}
	for wd := 1; wd <= 7; wd++ {
		q.BranchHours[wd] = randomSpans(rng, 1+rng.IntN(2))
		q.Attendance[wd] = randomSpans(rng, 1+rng.IntN(3))
	}
	for d := addDays(from, -1); !dateAfter(d, addDays(to, 1)); d = addDays(d, 1) {
		if rng.IntN(4) == 0 {
			if q.Exceptions == nil {
				q.Exceptions = map[Date][]Span{}
			}
			q.Exceptions[d] = randomSpans(rng, rng.IntN(3))
		}
	}
	for range 1 + rng.IntN(3) {
		ex := Exam{Duration: time.Duration(rng.IntN(60)) * time.Minute}
		if rng.IntN(4) == 0 {
			var w Weekly
			for wd := 1; wd <= 7; wd++ {
				w[wd] = randomSpans(rng, 1+rng.IntN(2))
			}
			ex.Windows = &w
		}
		q.Exams = append(q.Exams, ex)
	}
	lo := time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, loc).Add(-6 * time.Hour)
	span := int(time.Date(to.Year, to.Month, to.Day+2, 0, 0, 0, 0, loc).Sub(lo).Minutes()) + 6*60
	someInstant := func() time.Time { return lo.Add(time.Duration(rng.IntN(span)) * time.Minute) }
	randomBusy := func(n int) []Interval {
		var out []Interval
		for range n {
			start := someInstant()
			out = append(out, Interval{start, start.Add(time.Duration(1+rng.IntN(240)) * time.Minute)})
		}
		return out
	}
	q.Busy = randomBusy(rng.IntN(10))
	if rng.IntN(2) == 0 {
		q.NeedsRoom = true
		for id := range int64(rng.IntN(4)) {
			q.Rooms = append(q.Rooms, Room{ID: 10 + id, Busy: randomBusy(rng.IntN(6))})
		}
	}
	if rng.IntN(2) == 0 {
		q.Step = time.Duration(1+rng.IntN(60)) * time.Minute
	}
	if rng.IntN(4) == 0 {
		q.NotBefore = someInstant()
	}
	if rng.IntN(4) == 0 {
		q.NotAfter = someInstant()
	}
	return q
}

// randomSpans returns n spans, mostly on half hours so that they meet DST changes, in any
// order and possibly overlapping.
func randomSpans(rng *rand.Rand, n int) []Span {
	out := []Span{} // non-nil: an exception with no spans is a day off
	pick := func(lo, hi int) int {
		m := lo + rng.IntN(hi-lo+1)
		if rng.IntN(10) < 7 {
			m = min(max(m/30*30, lo), hi)
		}
		return m
	}
	for range n {
		start := pick(0, minutesPerDay-1)
		if rng.IntN(8) == 0 {
			start = 0
		}
		end := pick(start+1, minutesPerDay)
		if rng.IntN(6) == 0 {
			end = minutesPerDay
		}
		out = append(out, Span{start, end})
	}
	return out
}

func render(slots []Slot) []string {
	out := make([]string, 0, len(slots))
	for _, s := range slots {
		out = append(out, fmt.Sprintf("%s+%s r%d", s.Start.UTC().Format("01-02T15:04:05"), s.End.Sub(s.Start), s.RoomID))
	}
	return out
}

func dump(q *Query) string {
	return fmt.Sprintf("%s %v..%v hours=%v attend=%v exc=%v exams=%v busy=%v room=%v rooms=%v step=%v nb=%v na=%v",
		q.Location, q.From, q.To, q.BranchHours, q.Attendance, q.Exceptions, q.Exams, q.Busy,
		q.NeedsRoom, q.Rooms, q.Step, q.NotBefore, q.NotAfter)
}
