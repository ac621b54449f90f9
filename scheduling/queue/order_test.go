package queue_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/queue"
)

func (tb *testBundle) setOrder(doctor scheduling.ID, order ...scheduling.ID) (*queue.Board, error) {
	return tb.q.SetOrder(context.Background(), tb.c.Branch.ID, tb.day, doctor, order)
}

// book books a consultation of a new patient i at hour:minute with Ana (or exam's doctor).
func (tb *testBundle) book(t *testing.T, i, hour, minute int, doctor, exam scheduling.ID) scheduling.ID {
	t.Helper()
	in := tb.c.Booking(tb.clock(hour, minute))
	in.PatientID = tb.c.AddPatient(t, tb.Svc, i).ID
	if doctor != 0 {
		in.DoctorID, in.ExaminationIDs = doctor, []scheduling.ID{exam}
	}
	s, err := tb.Svc.Book(context.Background(), "desk", in)
	require.NoError(t, err)
	return s.ID
}

func TestManualOrderKept(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	dragged := []scheduling.ID{tb.s0930, tb.s09, tb.s1030, tb.s10}
	b, err := tb.setOrder(0, dragged...)
	require.NoError(t, err)
	require.Equal(t, dragged, ids(b))
	require.Equal(t, queue.SortManual, b.Sort)
	require.True(t, b.Ordered)
	require.Equal(t, dragged, ids(tb.list(t, 0, queue.SortManual)))

	// The doctor now sees patients in the kept order whatever the board's sort.
	byArrival := tb.list(t, 0, queue.SortArrival)
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, tb.s0930, tb.s1030}, ids(byArrival))
	require.Equal(t, 0, item(t, byArrival, tb.s0930).Ahead)
	require.Equal(t, 3, item(t, byArrival, tb.s10).Ahead)
	p, err := tb.q.Place(ctx, tb.s09)
	require.NoError(t, err)
	require.Equal(t, 2, p.Position)

	// A walk-in booked later and a patient checking in keep the kept order; the walk-in follows it.
	walkIn := tb.book(t, 20, 11, 0, 0, 0)
	tb.checkIn(t, tb.clock(8, 55), tb.s1030)
	require.Equal(t, append(slices.Clone(dragged), walkIn), ids(tb.list(t, 0, queue.SortManual)))
}

func TestStaleOrderRefused(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	kept := []scheduling.ID{tb.s0930, tb.s09, tb.s1030, tb.s10}
	_, err := tb.setOrder(0, kept...)
	require.NoError(t, err)

	walkIn := tb.book(t, 20, 11, 0, 0, 0)
	_, err = tb.setOrder(0, tb.s09, tb.s0930, tb.s10, tb.s1030) // made before the walk-in was booked
	requireCode(t, err, scheduling.KindConflict, "queue_changed")
	require.Equal(t, append(slices.Clone(kept), walkIn), ids(tb.list(t, 0, queue.SortManual)), "nothing changed")

	_, err = tb.Svc.Cancel(ctx, "desk", tb.s10, "feels better")
	require.NoError(t, err)
	_, err = tb.setOrder(0, tb.s10, tb.s09, tb.s0930, tb.s1030, walkIn) // names a cancelled session
	requireCode(t, err, scheduling.KindConflict, "queue_changed")
	_, err = tb.setOrder(0, tb.s09, tb.s0930, tb.s1030, walkIn, 99999) // an unknown id
	requireCode(t, err, scheduling.KindConflict, "queue_changed")
	require.Equal(t, []scheduling.ID{tb.s0930, tb.s09, tb.s1030, walkIn}, ids(tb.list(t, 0, queue.SortManual)))

	_, err = tb.setOrder(0, tb.s09, tb.s09, tb.s0930, tb.s1030, walkIn)
	requireCode(t, err, scheduling.KindInvalid, "duplicate_session")
	many := make([]scheduling.ID, queue.MaxOrder+1)
	for i := range many {
		many[i] = scheduling.ID(i + 1)
	}
	_, err = tb.setOrder(0, many...)
	requireCode(t, err, scheduling.KindInvalid, "too_many_sessions")
	_, err = tb.q.SetOrder(ctx, tb.c.Branch.ID, scheduling.Date{Year: 2030, Month: 6, Day: 1}, 0, nil)
	requireCode(t, err, scheduling.KindRule, "out_of_range")
}

func TestOrderWithOpenSession(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	*tb.Clock = tb.clock(9, 0)
	_, err := tb.Svc.Open(context.Background(), "doctor", tb.s10)
	require.NoError(t, err)
	// The open session may be named or left out; it stays first, with the doctor.
	b, err := tb.setOrder(0, tb.s1030, tb.s10, tb.s09, tb.s0930)
	require.NoError(t, err)
	require.Equal(t, []scheduling.ID{tb.s10, tb.s1030, tb.s09, tb.s0930}, ids(b))
	b, err = tb.setOrder(0, tb.s09, tb.s1030, tb.s0930)
	require.NoError(t, err)
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, tb.s1030, tb.s0930}, ids(b))
	require.Equal(t, 0, item(t, b, tb.s09).Ahead)
}

// TestDoctorOrder: a doctor's own kept order shows on the branch's board in the places that doctor's
// sessions hold there, and a drag of the whole branch replaces it.
func TestDoctorOrder(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	bruno := tb.c.AddDoctor(t, tb.Svc, "Bruno Costa")
	exam := tb.c.AddExamination(t, tb.Svc, "GP2", false, bruno.ID)
	b1 := tb.book(t, 30, 9, 15, bruno.ID, exam.ID)
	b2 := tb.book(t, 31, 9, 45, bruno.ID, exam.ID)
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, b1, tb.s0930, b2, tb.s1030}, ids(tb.list(t, 0, queue.SortManual)))

	_, err := tb.setOrder(bruno.ID, b2)
	requireCode(t, err, scheduling.KindConflict, "queue_changed")
	_, err = tb.setOrder(bruno.ID, b2, b1, tb.s09) // another doctor's session
	requireCode(t, err, scheduling.KindConflict, "queue_changed")

	b, err := tb.setOrder(bruno.ID, b2, b1)
	require.NoError(t, err)
	require.Equal(t, []scheduling.ID{b2, b1}, ids(b))
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, b2, tb.s0930, b1, tb.s1030}, ids(tb.list(t, 0, queue.SortManual)))
	require.Equal(t, 0, item(t, tb.list(t, 0, queue.SortTime), b2).Ahead)
	require.False(t, tb.list(t, tb.c.Doctor.ID, queue.SortManual).Ordered)

	whole := []scheduling.ID{b1, tb.s1030, tb.s0930, tb.s09, tb.s10, b2}
	b, err = tb.setOrder(0, whole...)
	require.NoError(t, err)
	require.Equal(t, whole, ids(b))
	require.Equal(t, []scheduling.ID{b1, b2}, ids(tb.list(t, bruno.ID, queue.SortManual)))
}

// TestConcurrentOrders: drags of the same queue at once are applied one after another; the kept
// order is one of them, whole.
func TestConcurrentOrders(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	base := []scheduling.ID{tb.s09, tb.s0930, tb.s10, tb.s1030}
	var orders [][]scheduling.ID
	for i := range 8 {
		o := slices.Clone(base)
		o[0], o[i%4] = o[i%4], o[0]
		if i >= 4 {
			slices.Reverse(o)
		}
		orders = append(orders, o)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(orders))
	for i, o := range orders {
		wg.Go(func() { _, errs[i] = tb.setOrder(0, o...) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "order %d", i)
	}
	got := ids(tb.list(t, 0, queue.SortManual))
	require.True(t, slices.ContainsFunc(orders, func(o []scheduling.ID) bool { return slices.Equal(o, got) }),
		fmt.Sprintf("kept %v is none of the orders sent", got))
}

// TestKeptOrderIsAnnounced: a kept order is heard on the channel of session changes, on commit, so
// every board and patient's tracker of the branch recomputes who is ahead; a refused one is not.
func TestKeptOrderIsAnnounced(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	conn, err := tb.Pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "LISTEN "+scheduling.NotifyChannel)
	require.NoError(t, err)

	_, err = tb.setOrder(0, tb.s09)
	require.Error(t, err, "an order naming one of four is stale")
	dragged := []scheduling.ID{tb.s0930, tb.s09, tb.s1030, tb.s10}
	_, err = tb.setOrder(0, dragged...)
	require.NoError(t, err)

	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	n, err := conn.Conn().WaitForNotification(wait)
	require.NoError(t, err)
	notice, err := scheduling.ParseNotice(n.Payload)
	require.NoError(t, err)
	require.Equal(t, scheduling.Notice{SessionID: tb.s0930, BranchID: tb.c.Branch.ID, Day: "2027-01-04",
		Action: queue.NoticeOrdered}, notice)
}
