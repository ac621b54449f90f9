package queue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
)

// testBundle is a clinic whose Monday 4 January 2027 queue tells the sort modes apart: Ana's four
// consultations at 09:00, 09:30, 10:00 and 10:30, booked at 06:00, 06:10, 06:05 and 06:20, of which
// the 10:00 patient checked in at 08:40 and the 09:00 one at 08:45. The clock stands at 08:50.
//
//	arrival: s10 s09 s0930 s1030   time: s09 s0930 s10 s1030   newest: s1030 s0930 s10 s09
type testBundle struct {
	*schedtest.Bundle
	c     *schedtest.Clinic
	q     *queue.Service
	day   scheduling.Date
	s09   scheduling.ID
	s0930 scheduling.ID
	s10   scheduling.ID
	s1030 scheduling.ID
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	tb := &testBundle{Bundle: b, c: c, q: queue.New(b.Pool, b.Svc), day: scheduling.Date{Year: 2027, Month: 1, Day: 4}}
	book := func(i int, bookedAt time.Time, hour, minute int) scheduling.ID {
		*b.Clock = bookedAt
		in := c.Booking(c.At(4, hour, minute))
		in.PatientID = c.AddPatient(t, b.Svc, i).ID
		return schedtest.Must(b.Svc.Book(context.Background(), "desk", in))(t).ID
	}
	tb.s09 = book(1, c.At(4, 6, 0), 9, 0)
	tb.s0930 = book(2, c.At(4, 6, 10), 9, 30)
	tb.s10 = book(3, c.At(4, 6, 5), 10, 0)
	tb.s1030 = book(4, c.At(4, 6, 20), 10, 30)
	tb.checkIn(t, c.At(4, 8, 40), tb.s10)
	tb.checkIn(t, c.At(4, 8, 45), tb.s09)
	*b.Clock = c.At(4, 8, 50)
	return tb
}

func (tb *testBundle) checkIn(t *testing.T, at time.Time, id scheduling.ID) {
	t.Helper()
	*tb.Clock = at
	schedtest.Must(tb.Svc.CheckIn(context.Background(), "desk", id))(t)
}

func (tb *testBundle) list(t *testing.T, doctor scheduling.ID, sort string) *queue.Board {
	t.Helper()
	b, err := tb.q.List(context.Background(), queue.Query{BranchID: tb.c.Branch.ID, Day: tb.day, DoctorID: doctor, Sort: sort})
	require.NoError(t, err)
	return b
}

func ids(b *queue.Board) []scheduling.ID {
	out := make([]scheduling.ID, len(b.Items))
	for i, it := range b.Items {
		out[i] = it.SessionID
	}
	return out
}

func item(t *testing.T, b *queue.Board, id scheduling.ID) queue.Item {
	t.Helper()
	for _, it := range b.Items {
		if it.SessionID == id {
			return it
		}
	}
	t.Fatalf("session %d not in the queue %v", id, ids(b))
	return queue.Item{}
}

func requireCode(t *testing.T, err error, kind scheduling.Kind, code string) {
	t.Helper()
	var de *scheduling.Error
	require.Truef(t, errors.As(err, &de), "want a domain error %s, got %v", code, err)
	require.Equal(t, code, de.Code, de.Message)
	require.Equal(t, kind, de.Kind)
}

// clock is a local time on the fixture's day.
func (tb *testBundle) clock(hour, minute int) time.Time { return tb.c.At(4, hour, minute) }
