package queue_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/eta"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

func TestSorts(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	cases := map[string][]scheduling.ID{
		queue.SortArrival: {tb.s10, tb.s09, tb.s0930, tb.s1030},
		"":                {tb.s10, tb.s09, tb.s0930, tb.s1030},
		queue.SortTime:    {tb.s09, tb.s0930, tb.s10, tb.s1030},
		queue.SortNewest:  {tb.s1030, tb.s0930, tb.s10, tb.s09},
		// Nothing kept: the serving order is by arrival.
		queue.SortManual: {tb.s10, tb.s09, tb.s0930, tb.s1030},
	}
	for sort, want := range cases {
		t.Run("sort "+sort, func(t *testing.T) {
			b := tb.list(t, 0, sort)
			require.Equal(t, want, ids(b))
			for i, it := range b.Items {
				require.Equal(t, i+1, it.Position)
			}
			// Ahead follows the doctor's serving order whatever the board's sort.
			require.Equal(t, 0, item(t, b, tb.s10).Ahead)
			require.Equal(t, 1, item(t, b, tb.s09).Ahead)
			require.Equal(t, 3, item(t, b, tb.s1030).Ahead)
		})
	}
	_, err := tb.q.List(context.Background(), queue.Query{BranchID: tb.c.Branch.ID, Day: tb.day, Sort: "alphabetical"})
	requireCode(t, err, scheduling.KindInvalid, "invalid_sort")
}

func TestItemFields(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	b := tb.list(t, 0, queue.SortArrival)
	require.Equal(t, "2027-01-04", b.Day)
	require.Equal(t, "Europe/Lisbon", b.Timezone)
	first := item(t, b, tb.s10)
	require.Equal(t, scheduling.StatusWaiting, first.Status)
	require.True(t, first.CheckedIn)
	require.Equal(t, 10, *first.WaitedMinutes) // checked in 08:40, now 08:50
	require.Equal(t, []string{"Consultation"}, first.Examinations)
	require.Equal(t, "Ana Ferreira", first.DoctorName)
	require.Equal(t, "+351912345703", first.PatientPhone)
	require.True(t, first.BookedAt.Equal(tb.clock(6, 5)))
	require.Equal(t, []string{queue.ActionOpen, queue.ActionCancel}, first.Actions)
	notYet := item(t, b, tb.s0930)
	require.False(t, notYet.CheckedIn)
	require.Nil(t, notYet.WaitedMinutes)
	require.Equal(t, []string{queue.ActionCheckIn, queue.ActionOpen, queue.ActionCancel}, notYet.Actions)

	*tb.Clock = tb.clock(9, 31) // the 09:30 patient has not come: a no-show is offered
	require.Equal(t, []string{queue.ActionCheckIn, queue.ActionOpen, queue.ActionCancel, queue.ActionNoShow},
		item(t, tb.list(t, 0, ""), tb.s0930).Actions)

	*tb.Clock = tb.clock(6, 0).AddDate(0, 0, -1) // the day before: nothing can be checked in or opened yet
	require.Equal(t, []string{queue.ActionCancel}, item(t, tb.list(t, 0, ""), tb.s0930).Actions)
}

// TestLineAfterOpenAndComplete follows the ETAs of DESIGN 3.3 as the first patient is opened and then
// completed. No history yet, so the prior pace [0.8, 1.5] of the 30-minute consultations applies.
func TestLineAfterOpenAndComplete(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	at := tb.clock
	type want struct {
		id       scheduling.ID
		ahead    int
		from, to time.Time
	}
	check := func(t *testing.T, b *queue.Board, wants []want) {
		t.Helper()
		for _, w := range wants {
			it := item(t, b, w.id)
			require.Equal(t, w.ahead, it.Ahead, "ahead of %d", w.id)
			require.NotNil(t, it.ETA)
			require.Truef(t, it.ETA.From.Equal(w.from) && it.ETA.To.Equal(w.to), "session %d: eta %s–%s, want %s–%s", w.id,
				it.ETA.From.Format(time.TimeOnly), it.ETA.To.Format(time.TimeOnly), w.from.Format(time.TimeOnly), w.to.Format(time.TimeOnly))
		}
	}

	*tb.Clock = at(9, 0)
	b := tb.list(t, 0, queue.SortArrival)
	check(t, b, []want{
		{tb.s10, 0, at(9, 0), at(9, 0)},
		{tb.s09, 1, at(9, 24), at(9, 45)},
		{tb.s0930, 2, at(9, 48), at(10, 30)},  // not arrived: not before 09:30 either way
		{tb.s1030, 3, at(10, 30), at(11, 15)}, // not before its 10:30 start
	})

	_, err := tb.Svc.Open(ctx, "doctor", tb.s10)
	require.NoError(t, err)
	b = tb.list(t, 0, queue.SortArrival)
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, tb.s0930, tb.s1030}, ids(b))
	open := b.Items[0]
	require.Equal(t, scheduling.StatusOpen, open.Status)
	require.Equal(t, 1, open.Position)
	require.Nil(t, open.ETA)
	require.Equal(t, 20, *open.WaitedMinutes) // 08:40 to 09:00, then it stops
	require.Equal(t, []string{queue.ActionComplete, queue.ActionCancel}, open.Actions)
	check(t, b, []want{
		{tb.s09, 0, at(9, 24), at(9, 45)},
		{tb.s0930, 1, at(9, 48), at(10, 30)},
		{tb.s1030, 2, at(10, 30), at(11, 15)},
	})

	*tb.Clock = at(9, 20)
	_, err = tb.Svc.Complete(ctx, "doctor", tb.s10)
	require.NoError(t, err)
	b = tb.list(t, 0, queue.SortArrival)
	require.Equal(t, []scheduling.ID{tb.s09, tb.s0930, tb.s1030}, ids(b))
	check(t, b, []want{
		{tb.s09, 0, at(9, 20), at(9, 20)},
		{tb.s0930, 1, at(9, 44), at(10, 5)},
		{tb.s1030, 2, at(10, 30), at(10, 50)},
	})

	p, err := tb.q.Place(ctx, tb.s0930)
	require.NoError(t, err)
	require.Equal(t, 2, p.Position)
	require.Equal(t, 1, p.Ahead)
	require.True(t, p.ETA.From.Equal(at(9, 44)))
	require.Equal(t, "2027-01-04", p.Day)
	require.Equal(t, "Europe/Lisbon", p.Timezone)

	done, err := tb.q.Place(ctx, tb.s10)
	require.NoError(t, err)
	require.Equal(t, scheduling.StatusCompleted, done.Status)
	require.Zero(t, done.Position)
	require.Nil(t, done.ETA)
}

// TestPaceLearned: a doctor whose last five visits of 30 minutes took 36 has a pace of 1.2 with the
// narrowest range [1.15, 1.25]; the ETAs of the queue stretch accordingly.
func TestPaceLearned(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	var history []scheduling.ID
	for i := range 5 { // the Saturday before, 08:00, 09:00, ...
		start := tb.c.At(2, 8+i, 0)
		*tb.Clock = start.Add(-time.Hour)
		in := tb.c.Booking(start)
		in.PatientID = tb.c.AddPatient(t, tb.Svc, 10+i).ID
		s, err := tb.Svc.Book(ctx, "desk", in)
		require.NoError(t, err)
		history = append(history, s.ID)
		*tb.Clock = start
		_, err = tb.Svc.Open(ctx, "doctor", s.ID)
		require.NoError(t, err)
		*tb.Clock = start.Add(36 * time.Minute)
		_, err = tb.Svc.Complete(ctx, "doctor", s.ID)
		require.NoError(t, err)
	}
	*tb.Clock = tb.clock(9, 0)
	b := tb.list(t, 0, queue.SortArrival)
	// 30 minutes take 34m30s to 37m30s.
	s09 := item(t, b, tb.s09)
	require.True(t, s09.ETA.From.Equal(tb.clock(9, 0).Add(34*time.Minute+30*time.Second)), s09.ETA.From.String())
	require.True(t, s09.ETA.To.Equal(tb.clock(9, 0).Add(37*time.Minute+30*time.Second)), s09.ETA.To.String())
	require.Len(t, history, eta.MinSamples)
}

func TestPlacesByPhone(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	*tb.Clock = tb.clock(9, 0)
	places, err := tb.q.PlacesByPhone(ctx, "+351 912 345 702")
	require.NoError(t, err)
	require.Len(t, places, 1)
	require.Equal(t, tb.s0930, places[0].SessionID)
	require.Equal(t, 3, places[0].Position)

	*tb.Clock = tb.clock(9, 0).AddDate(0, 0, 1) // the next day: nothing today
	places, err = tb.q.PlacesByPhone(ctx, "+351912345702")
	require.NoError(t, err)
	require.Empty(t, places)

	_, err = tb.q.PlacesByPhone(ctx, "not a phone")
	require.Error(t, err)
}

func TestBadQueries(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	_, err := tb.q.List(ctx, queue.Query{BranchID: tb.c.Branch.ID, Day: scheduling.Date{Year: 2031, Month: 1, Day: 1}})
	requireCode(t, err, scheduling.KindRule, "out_of_range")
	_, err = tb.q.List(ctx, queue.Query{BranchID: tb.c.Branch.ID + 100, Day: tb.day})
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
	_, err = tb.q.List(ctx, queue.Query{BranchID: tb.c.Branch.ID, Day: tb.day, DoctorID: 999})
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
	_, err = tb.q.Place(ctx, 999999)
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
}

// TestDayAtTheBranch: a queue's day is the branch's local date, on the day the clocks go forward too:
// 00:30 on 29 March 2027 in Lisbon is still the 28th in UTC, yet it is the 29th's queue.
func TestDayAtTheBranch(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	p := tb.c.AddPatient(t, tb.Svc, 40).ID
	late := schedtest.InsertSessions(t, tb.Pool, tb.c, time.Date(2027, 3, 28, 23, 30, 0, 0, tb.c.Loc), 1,
		[]scheduling.ID{tb.c.Doctor.ID}, []scheduling.ID{p})
	early := schedtest.InsertSessions(t, tb.Pool, tb.c, time.Date(2027, 3, 29, 0, 30, 0, 0, tb.c.Loc), 1,
		[]scheduling.ID{tb.c.Doctor.ID}, []scheduling.ID{p})
	for day, want := range map[int][]scheduling.ID{28: late, 29: early} {
		b, err := tb.q.List(ctx, queue.Query{BranchID: tb.c.Branch.ID, Day: scheduling.Date{Year: 2027, Month: 3, Day: day}})
		require.NoError(t, err)
		require.Equal(t, want, ids(b), "%d March", day)
	}
	place, err := tb.q.Place(ctx, early[0])
	require.NoError(t, err)
	require.Equal(t, "2027-03-29", place.Day)
	require.Equal(t, 1, place.Position)
}

// TestPlaceWithTheDoctor: an open session is with the doctor, with no position or ETA.
func TestPlaceWithTheDoctor(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	*tb.Clock = tb.clock(9, 0)
	_, err := tb.Svc.Open(ctx, "doctor", tb.s09)
	require.NoError(t, err)
	p, err := tb.q.Place(ctx, tb.s09)
	require.NoError(t, err)
	require.True(t, p.WithDoctor)
	require.Equal(t, scheduling.StatusOpen, p.Status)
	require.Zero(t, p.Position)
	require.Nil(t, p.ETA)
	next, err := tb.q.Place(ctx, tb.s10)
	require.NoError(t, err)
	require.Equal(t, 1, next.Position)
	// 09:00 opened, 30 minutes booked at the prior pace: 09:24 at the earliest, 09:45 at the latest.
	require.True(t, next.ETA.From.Equal(tb.clock(9, 24)) && next.ETA.To.Equal(tb.clock(9, 45)), "%v", next.ETA)
}
