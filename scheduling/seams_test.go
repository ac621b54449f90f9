package scheduling_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// waitForLockWaiter returns once some connection of the pool's database waits on a lock: a booking
// blocked behind another transaction's uncommitted session.
func waitForLockWaiter(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		require.NoError(t, pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n))
		if n > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no booking ever waited on the other transaction")
}

// TestBookInsideCallersTransactionWhileAnotherTakesTheSlot: the caller's transaction survives a refused
// insert, and the answer is slot_taken with alternatives (not "current transaction is aborted").
func TestBookInsideCallersTransactionWhileAnotherTakesTheSlot(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	other := c.AddPatient(t, b.Svc, 1)

	rival, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer rival.Rollback(ctx)
	in := c.Booking(c.At(5, 10, 0))
	in.PatientID = other.ID
	_, err = b.Svc.WithTx(rival).Book(ctx, "rival", in)
	require.NoError(t, err)

	tx, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	mine := b.Svc.WithTx(tx)
	p := schedtest.Must(mine.CreatePatient(ctx, scheduling.PatientInput{Name: "Ana Lopes", Phone: "+351912345673"}))(t)
	done := make(chan error, 1)
	go func() {
		in := c.Booking(c.At(5, 10, 0))
		in.PatientID = p.ID
		_, err := mine.Book(ctx, "desk", in)
		done <- err
	}()
	waitForLockWaiter(t, b.Pool)
	require.NoError(t, rival.Commit(ctx))
	e := requireCode(t, <-done, scheduling.KindConflict, scheduling.CodeSlotTaken)
	require.NotEmpty(t, e.Details["alternatives"])

	// The caller's transaction goes on: the patient it made is there, and it commits.
	_, err = mine.GetPatient(ctx, p.ID)
	require.NoError(t, err)
	in = c.Booking(c.At(5, 11, 0))
	in.PatientID = p.ID
	_, err = mine.Book(ctx, "desk", in)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	page, err := b.Svc.ListSessions(ctx, scheduling.SessionFilter{PatientID: p.ID})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
}

// TestAutomaticRoomIsPickedAgainWhenARivalTookIt: two doctors book the same start with the room picked
// automatically; the loser gets the other free room, not slot_taken.
func TestAutomaticRoomIsPickedAgainWhenARivalTookIt(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	bruno := c.AddDoctor(t, b.Svc, "Bruno Dias")
	echo := c.AddExamination(t, b.Svc, "ECHO", true, c.Doctor.ID, bruno.ID)
	other := c.AddPatient(t, b.Svc, 1)

	rival, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer rival.Rollback(ctx)
	first, err := b.Svc.WithTx(rival).Book(ctx, "rival", c.Booking(c.At(5, 10, 0), echo.ID))
	require.NoError(t, err)
	require.Equal(t, c.Rooms[0], *first.RoomID)

	done := make(chan error, 1)
	var second *scheduling.Session
	go func() {
		in := c.Booking(c.At(5, 10, 0), echo.ID)
		in.DoctorID, in.PatientID = bruno.ID, other.ID
		second, err = b.Svc.Book(ctx, "desk", in)
		done <- err
	}()
	waitForLockWaiter(t, b.Pool)
	require.NoError(t, rival.Commit(ctx))
	require.NoError(t, <-done)
	require.Equal(t, c.Rooms[1], *second.RoomID)

	// With both rooms held, a third doctor's booking is truly slot_taken.
	third := c.AddPatient(t, b.Svc, 2)
	in := c.Booking(c.At(5, 10, 0), c.ECG.ID)
	in.PatientID = third.ID
	_, err = b.Svc.Book(ctx, "desk", in)
	requireCode(t, err, scheduling.KindConflict, scheduling.CodeSlotTaken)
}

// recorder is a listener that keeps what it saw and writes a row in the change's transaction.
type recorder struct {
	mu      sync.Mutex
	changes []scheduling.Change
	fail    string // an action to refuse
}

func (r *recorder) listen(ctx context.Context, tx pgx.Tx, ch scheduling.Change) error {
	if ch.Action == r.fail {
		return scheduling.Conflict("refused_by_listener", "a listener refused %s", ch.Action)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO listener_log (session_id, action) VALUES ($1, $2)`, ch.Session.ID, ch.Action); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, ch)
	return nil
}

func (r *recorder) actions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ch := range r.changes {
		out = append(out, ch.Action)
	}
	return out
}

// TestEveryChangePassesOnePoint: booking (back-dated too), every move, reschedule, examinations and
// delete reach the listeners inside their transaction, with the audit row and the service's clock.
func TestEveryChangePassesOnePoint(t *testing.T) {
	t.Parallel()
	rec := &recorder{fail: "never"}
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{{Hear: rec.listen}}})
	ctx := context.Background()
	_, err := b.Pool.Exec(ctx, `CREATE TABLE listener_log (session_id bigint, action text)`)
	require.NoError(t, err)
	c := schedtest.NewClinic(t, b.Svc)
	at := func(day, h, m int) time.Time { return c.At(day, h, m) }

	*b.Clock = at(4, 9, 0).UTC()
	s1 := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(at(4, 9, 30))))(t)
	require.True(t, s1.CreatedAt.Equal(*b.Clock), "created_at comes from the clock")
	require.Equal(t, c.Patient.Name, s1.PatientName, "a booking answers with the names, as a read does")
	require.Equal(t, c.Doctor.Name, s1.DoctorName)
	*b.Clock = at(4, 9, 25).UTC()
	s1 = schedtest.Must(b.Svc.CheckIn(ctx, "desk", s1.ID))(t)
	require.True(t, s1.CheckedInAt.Equal(*b.Clock))
	schedtest.Must(b.Svc.SetExaminations(ctx, "desk", s1.ID, []scheduling.ID{c.Consultation.ID, c.ECG.ID}))(t)
	schedtest.Must(b.Svc.Open(ctx, "doctor", s1.ID))(t)
	schedtest.Must(b.Svc.Complete(ctx, "doctor", s1.ID))(t)
	s2 := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(at(4, 11, 0))))(t)
	schedtest.Must(b.Svc.Reschedule(ctx, "desk", s2.ID, scheduling.RescheduleInput{Start: at(5, 11, 0)}))(t)
	schedtest.Must(b.Svc.Cancel(ctx, "desk", s2.ID, "Feels better"))(t)
	s3 := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(at(4, 8, 0))))(t) // already over: completed at once
	require.Equal(t, scheduling.StatusCompleted, s3.Status)
	s4 := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(at(4, 9, 0))))(t)
	*b.Clock = at(4, 10, 30).UTC()
	schedtest.Must(b.Svc.NoShow(ctx, "desk", s4.ID))(t)
	require.NoError(t, b.Svc.Delete(ctx, "owner", s4.ID))

	want := []string{"booked", "checked_in", "examinations_changed", "opened", "completed", "booked", "rescheduled",
		"cancelled", "booked", "booked", "no_show", "deleted"}
	require.Equal(t, want, rec.actions())
	var logged, audited int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM listener_log`).Scan(&logged))
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM session_events`).Scan(&audited))
	require.Equal(t, len(want), logged)
	require.Equal(t, len(want), audited)
	var wrongClock int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM session_events WHERE at NOT BETWEEN $1 AND $2`,
		at(4, 9, 0), *b.Clock).Scan(&wrongClock))
	require.Zero(t, wrongClock, "audit times come from the service clock, never the database's")

	// Each change carries its time by the service's clock, the time of its audit row.
	require.True(t, rec.changes[0].At.Equal(s1.CreatedAt), "a booking's change is at its creation")
	require.True(t, rec.changes[1].At.Equal(*s1.CheckedInAt), "a check-in's change is at the check-in")
	for _, ch := range rec.changes {
		require.False(t, ch.At.Before(at(4, 9, 0)) || ch.At.After(*b.Clock), "%s at %s", ch.Action, ch.At)
	}

	// The change carries the session before and after.
	ch := rec.changes[6]
	require.Equal(t, at(4, 11, 0), ch.Before.Start)
	require.Equal(t, at(5, 11, 0), ch.Session.Start)
	require.Equal(t, "2027-01-04 11:00 → 2027-01-05 11:00", ch.Detail)
}

// TestListenerErrorAbortsTheChange: nothing of a refused change is left (status, audit, listener rows).
func TestListenerErrorAbortsTheChange(t *testing.T) {
	t.Parallel()
	rec := &recorder{fail: scheduling.ActionCheckedIn}
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{{Hear: rec.listen}}})
	ctx := context.Background()
	_, err := b.Pool.Exec(ctx, `CREATE TABLE listener_log (session_id bigint, action text)`)
	require.NoError(t, err)
	c := schedtest.NewClinic(t, b.Svc)
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 10, 0))))(t)
	_, err = b.Svc.CheckIn(ctx, "desk", s.ID)
	requireCode(t, err, scheduling.KindConflict, "refused_by_listener")
	got := schedtest.Must(b.Svc.GetSession(ctx, s.ID))(t)
	require.Nil(t, got.CheckedInAt)
	require.Len(t, got.History, 1)
	var logged int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM listener_log`).Scan(&logged))
	require.Equal(t, 1, logged, "only the booking's row")

	// A refused booking leaves no session.
	rec.fail = scheduling.ActionBooked
	_, err = b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 11, 0)))
	requireCode(t, err, scheduling.KindConflict, "refused_by_listener")
	var n int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n))
	require.Equal(t, 1, n)
}

// TestNotifyIsDeliveredOnCommit: a change made in the caller's transaction is announced when it
// commits, with branch, local day and session; a booking the service commits itself is announced
// after it; a move across days announces both days.
func TestNotifyIsDeliveredOnCommit(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	conn, err := b.Pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, "LISTEN "+scheduling.NotifyChannel)
	require.NoError(t, err)
	next := func(wait time.Duration) (scheduling.Notice, error) {
		wctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		n, err := conn.Conn().WaitForNotification(wctx)
		if err != nil {
			return scheduling.Notice{}, err
		}
		return scheduling.ParseNotice(n.Payload)
	}

	tx, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	s, err := b.Svc.WithTx(tx).Book(ctx, "desk", c.Booking(c.At(4, 12, 0)))
	require.NoError(t, err)
	_, err = next(200 * time.Millisecond)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "nothing is announced before commit: %v", err)
	require.NoError(t, tx.Commit(ctx))
	n, err := next(5 * time.Second)
	require.NoError(t, err)
	require.Equal(t, scheduling.Notice{SessionID: s.ID, BranchID: c.Branch.ID, Day: "2027-01-04", Action: "booked"}, n)

	own, err := b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0)))
	require.NoError(t, err)
	n, err = next(5 * time.Second)
	require.NoError(t, err)
	require.Equal(t, scheduling.Notice{SessionID: own.ID, BranchID: c.Branch.ID, Day: "2027-01-05", Action: "booked"}, n)

	_, err = b.Svc.Reschedule(ctx, "desk", s.ID, scheduling.RescheduleInput{Start: c.At(6, 9, 0)})
	require.NoError(t, err)
	days := map[string]bool{}
	for range 2 {
		n, err := next(5 * time.Second)
		require.NoError(t, err)
		require.Equal(t, "rescheduled", n.Action)
		days[n.Day] = true
	}
	require.Equal(t, map[string]bool{"2027-01-04": true, "2027-01-06": true}, days)

	// A rolled-back change announces nothing.
	tx, err = b.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = b.Svc.WithTx(tx).Cancel(ctx, "desk", s.ID, "Illness")
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	_, err = next(200 * time.Millisecond)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "a rolled-back change is not announced: %v", err)
}

// TestListenerHearsOnlyItsActions: a listener that names its actions is called for those alone, and
// a booking no listener hears is still written whole, with its audit row.
func TestListenerHearsOnlyItsActions(t *testing.T) {
	t.Parallel()
	rec := &recorder{fail: "never"}
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{
		{Actions: []string{scheduling.ActionCancelled}, Hear: rec.listen}}})
	ctx := context.Background()
	_, err := b.Pool.Exec(ctx, `CREATE TABLE listener_log (session_id bigint, action text)`)
	require.NoError(t, err)
	c := schedtest.NewClinic(t, b.Svc)
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 10, 0))))(t)
	schedtest.Must(b.Svc.CheckIn(ctx, "desk", s.ID))(t)
	schedtest.Must(b.Svc.Cancel(ctx, "desk", s.ID, "Feels better"))(t)
	require.Equal(t, []string{"cancelled"}, rec.actions())
	got := schedtest.Must(b.Svc.GetSession(ctx, s.ID))(t)
	require.Len(t, got.History, 3)
	require.Len(t, got.Examinations, 1)
}
