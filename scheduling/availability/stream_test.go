package availability

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// TestStreamStopsAnywhere: a stream read part of the way gives the reference's first slots and
// knows how many remain, and a later stream of the same query started where the first stopped (by
// NotBefore) gives the rest: the rhythm of each run is kept whatever the earliest start.
func TestStreamStopsAnywhere(t *testing.T) {
	t.Parallel()
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 0x5107))
		q := randomQuery(t, rng)
		r := newRef(q)
		if r == nil {
			continue
		}
		want := r.slots()
		if len(want) == 0 {
			continue
		}
		cut := rng.IntN(len(want))
		s := NewStream(q)
		var got []Slot
		for range cut {
			sl, ok := s.Next()
			if !ok {
				t.Fatalf("seed %d: the stream ended after %d of %d slots", seed, len(got), len(want))
			}
			got = append(got, sl)
		}
		if left := s.Remaining(); left != len(want)-cut {
			t.Fatalf("seed %d: %d slots remain after %d of %d, want %d", seed, left, cut, len(want), len(want)-cut)
		}
		rest := *q
		if cut > 0 {
			rest.NotBefore = later(q.NotBefore, got[cut-1].Start.Add(time.Nanosecond))
		}
		s = NewStream(&rest)
		for sl, ok := s.Next(); ok; sl, ok = s.Next() {
			got = append(got, sl)
		}
		if g, w := render(got), render(want); fmt.Sprint(g) != fmt.Sprint(w) {
			t.Fatalf("seed %d, cut at %d: want %v\ngot  %v\nquery: %s", seed, cut, w, g, dump(q))
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// TestStreamWorkFollowsWhatIsRead: the first slots of a long range with a one-minute rhythm (a
// hundred and thirty thousand slots) cost a few kilobytes, not the whole answer. Not parallel: it
// reads the process's allocation counter.
func TestStreamWorkFollowsWhatIsRead(t *testing.T) {
	loc := location(t, "Europe/Lisbon")
	q := &Query{
		Location:    loc,
		From:        Date{2026, 6, 1},
		To:          Date{2026, 9, 1},
		BranchHours: weekly(spans("00:00-24:00"), 1, 2, 3, 4, 5, 6, 7),
		Attendance:  weekly(spans("00:00-24:00"), 1, 2, 3, 4, 5, 6, 7),
		Exams:       []Exam{{Duration: time.Minute}},
	}
	allocated := func(read int) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := NewStream(q)
		for range read {
			if _, ok := s.Next(); !ok {
				t.Fatal("the stream ended early")
			}
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	if few := allocated(100); few > 64<<10 {
		t.Errorf("reading 100 slots allocated %d bytes", few)
	}
	if all := len(Slots(q)); all < 130000 {
		t.Fatalf("the query has only %d slots", all)
	}
}
