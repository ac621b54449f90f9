package scheduling_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// TestMovesHappenFromTheSessionsDayOn: check-in, open and complete are refused days ahead.
func TestMovesHappenFromTheSessionsDayOn(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	later := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(7, 10, 0))))(t)
	for name, move := range map[string]func(scheduling.ID) (*scheduling.Session, error){
		"check in": func(id scheduling.ID) (*scheduling.Session, error) { return b.Svc.CheckIn(ctx, "desk", id) },
		"open":     func(id scheduling.ID) (*scheduling.Session, error) { return b.Svc.Open(ctx, "doctor", id) },
	} {
		_, err := move(later.ID)
		e := requireCode(t, err, scheduling.KindRule, "too_early")
		require.Contains(t, e.Message, "2027-01-07", name)
	}
	// On the day itself (at 00:30 local, before the visit), it is allowed.
	*b.Clock = c.At(7, 0, 30)
	schedtest.Must(b.Svc.CheckIn(ctx, "desk", later.ID))(t)
	schedtest.Must(b.Svc.Open(ctx, "doctor", later.ID))(t)
	schedtest.Must(b.Svc.Complete(ctx, "doctor", later.ID))(t)
	// Cancelling ahead is fine.
	ahead := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(9, 10, 0))))(t)
	schedtest.Must(b.Svc.Cancel(ctx, "desk", ahead.ID, "Illness"))(t)
}

// TestNoShow: only a waiting session, not checked in, whose start has passed; its time is free again.
func TestNoShow(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 10, 0))))(t)
	_, err := b.Svc.NoShow(ctx, "desk", s.ID)
	requireCode(t, err, scheduling.KindRule, "too_early")
	*b.Clock = c.At(4, 10, 5)
	got := schedtest.Must(b.Svc.NoShow(ctx, "desk", s.ID))(t)
	require.Equal(t, scheduling.StatusNoShow, got.Status)
	_, err = b.Svc.NoShow(ctx, "desk", s.ID)
	requireCode(t, err, scheduling.KindConflict, scheduling.CodeInvalidTransition)
	// The rest of its time can be given to someone else.
	schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 10, 10))))(t)

	arrived := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 11, 0))))(t)
	*b.Clock = c.At(4, 10, 55)
	schedtest.Must(b.Svc.CheckIn(ctx, "desk", arrived.ID))(t)
	*b.Clock = c.At(4, 11, 10)
	_, err = b.Svc.NoShow(ctx, "desk", arrived.ID)
	requireCode(t, err, scheduling.KindConflict, scheduling.CodeInvalidTransition)
}

// TestPatientIsNeverInTwoPlaces: a patient cannot hold two overlapping live sessions, with any doctor;
// the database refuses it too.
func TestPatientIsNeverInTwoPlaces(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	bruno := c.AddDoctor(t, b.Svc, "Bruno Dias")
	derm := c.AddExamination(t, b.Svc, "DERM", false, bruno.ID)
	first := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0))))(t)
	in := c.Booking(c.At(5, 10, 15), derm.ID)
	in.DoctorID = bruno.ID
	_, err := b.Svc.Book(ctx, "desk", in)
	e := requireCode(t, err, scheduling.KindConflict, scheduling.CodePatientBusy)
	require.Equal(t, first.ID, e.Details["session_id"])
	// Back to back is fine, and so is the same time once the first is cancelled.
	in.Start = c.At(5, 10, 30)
	schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
	schedtest.Must(b.Svc.Cancel(ctx, "desk", first.ID, "Illness"))(t)
	in.Start = c.At(5, 10, 0)
	schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)

	_, err = b.Pool.Exec(ctx, `INSERT INTO sessions (patient_id, branch_id, doctor_id, starts_at, ends_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, now(), now())`, c.Patient.ID, c.Branch.ID, c.Doctor.ID, c.At(5, 10, 20), c.At(5, 10, 40))
	require.ErrorContains(t, err, "sessions_patient_no_overlap")
}

// TestBackDatedVisitsFollowTheRules: a visit recorded after the fact may lie in the past, but not at
// closed hours, with a doctor who does not work there, or without a free room for a room-only
// examination.
func TestBackDatedVisitsFollowTheRules(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	*b.Clock = c.At(11, 12, 0) // the next Monday
	sunday := c.At(10, 3, 0)
	_, err := b.Svc.Book(ctx, "desk", c.Booking(sunday))
	requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)

	elsewhere := schedtest.Must(b.Svc.CreateDoctor(ctx, "Carla Mota", ""))(t)
	in := c.Booking(c.At(8, 10, 0))
	in.DoctorID = elsewhere.ID
	_, err = b.Svc.Book(ctx, "desk", in)
	requireCode(t, err, scheduling.KindRule, "doctor_not_qualified")

	for i, room := range c.Rooms {
		schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, RoomID: &room,
			Start: c.At(8, 9, 0), End: c.At(8, 12, 0), Reason: "maintenance " + string(rune('A'+i))}))(t)
	}
	_, err = b.Svc.Book(ctx, "desk", c.Booking(c.At(8, 10, 0), c.ECG.ID))
	requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)

	done := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(8, 10, 0))))(t)
	require.Equal(t, scheduling.StatusCompleted, done.Status)
	// Online channels may not record the past at all.
	in = c.Booking(c.At(8, 11, 0))
	in.Channel = scheduling.ChannelWebForm
	_, err = b.Svc.Book(ctx, "desk", in)
	requireCode(t, err, scheduling.KindRule, "start_in_past")
}

// TestIdempotencyKeyCoversTheWholeBooking: a replay answers the same session; the same key with
// another room or channel is refused.
func TestIdempotencyKeyCoversTheWholeBooking(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	in := c.Booking(c.At(5, 10, 0), c.ECG.ID)
	in.RoomID, in.IdempotencyKey = &c.Rooms[0], "key-1"
	first := schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
	again := schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
	require.Equal(t, first.ID, again.ID)
	require.True(t, again.Replayed)

	other := in
	other.RoomID = &c.Rooms[1]
	_, err := b.Svc.Book(ctx, "desk", other)
	requireCode(t, err, scheduling.KindRule, "idempotency_key_reused")
	other = in
	other.Channel = scheduling.ChannelTelegram
	_, err = b.Svc.Book(ctx, "desk", other)
	requireCode(t, err, scheduling.KindRule, "idempotency_key_reused")
	other = in
	other.RoomID = nil
	_, err = b.Svc.Book(ctx, "desk", other)
	requireCode(t, err, scheduling.KindRule, "idempotency_key_reused")
}

// TestBookingTimesAreWholeSeconds: a start with a fraction of a second is stored without it, the same
// way blocks are, so an edge never falls between what availability offers and booking accepts.
func TestBookingTimesAreWholeSeconds(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0).Add(700*time.Millisecond))))(t)
	require.Equal(t, c.At(5, 10, 0), s.Start)
	got := schedtest.Must(b.Svc.GetSession(ctx, s.ID))(t)
	require.Equal(t, c.At(5, 10, 30), got.End)
}

// TestReschedule moves a waiting session and keeps its id, examinations and history; a taken slot
// answers with alternatives; only waiting sessions move.
func TestReschedule(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0), c.Consultation.ID, c.ECG.ID)))(t)
	// Onto part of its own time: it does not collide with itself.
	moved := schedtest.Must(b.Svc.Reschedule(ctx, "desk", s.ID, scheduling.RescheduleInput{Start: c.At(5, 10, 20)}))(t)
	require.Equal(t, s.ID, moved.ID)
	require.Equal(t, c.At(5, 11, 10), moved.End)
	require.Len(t, moved.Examinations, 2)
	require.Equal(t, c.At(5, 10, 50), moved.Examinations[1].Start)
	last := moved.History[len(moved.History)-1]
	require.Equal(t, scheduling.ActionRescheduled, last.Action)
	require.Equal(t, "2027-01-05 10:00 → 2027-01-05 10:20", last.Detail)

	other := c.AddPatient(t, b.Svc, 1)
	in := c.Booking(c.At(6, 9, 0))
	in.PatientID = other.ID
	schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
	_, err := b.Svc.Reschedule(ctx, "desk", s.ID, scheduling.RescheduleInput{Start: c.At(6, 9, 0)})
	e := requireCode(t, err, scheduling.KindConflict, scheduling.CodeSlotTaken)
	require.NotEmpty(t, e.Details["alternatives"])
	_, err = b.Svc.Reschedule(ctx, "desk", s.ID, scheduling.RescheduleInput{Start: c.At(10, 9, 0)}) // Sunday
	requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)

	*b.Clock = c.At(5, 10, 0)
	schedtest.Must(b.Svc.Open(ctx, "doctor", s.ID))(t)
	_, err = b.Svc.Reschedule(ctx, "desk", s.ID, scheduling.RescheduleInput{Start: c.At(6, 11, 0)})
	requireCode(t, err, scheduling.KindConflict, scheduling.CodeInvalidTransition)
}

// TestRescheduleRace: two sessions moved into one slot at once: exactly one wins.
func TestRescheduleRace(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	var ids []scheduling.ID
	for i, at := range []time.Time{c.At(5, 9, 0), c.At(5, 9, 30)} {
		p := c.AddPatient(t, b.Svc, i)
		in := c.Booking(at)
		in.PatientID = p.ID
		ids = append(ids, schedtest.Must(b.Svc.Book(ctx, "desk", in))(t).ID)
	}
	errs := make(chan error, 2)
	for _, id := range ids {
		go func() {
			_, err := b.Svc.Reschedule(ctx, "desk", id, scheduling.RescheduleInput{Start: c.At(6, 15, 0)})
			errs <- err
		}()
	}
	var won, taken int
	for range 2 {
		if err := <-errs; err == nil {
			won++
		} else if scheduling.IsCode(err, scheduling.CodeSlotTaken) {
			taken++
		} else {
			t.Fatalf("unexpected: %v", err)
		}
	}
	require.Equal(t, 1, won)
	require.Equal(t, 1, taken)
}

// TestChangeExaminations: a waiting session's examinations are laid out again and must fit; an open
// one may grow only while it does not run into the next booking.
func TestChangeExaminations(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 11, 30))))(t)
	gp := c.Consultation.ID
	_, err := b.Svc.SetExaminations(ctx, "desk", s.ID, []scheduling.ID{gp, gp, gp, gp})
	requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable) // 13:00 is lunch
	_, err = b.Svc.SetExaminations(ctx, "desk", s.ID, nil)
	requireCode(t, err, scheduling.KindRule, "missing_examinations")

	other := c.AddPatient(t, b.Svc, 1)
	in := c.Booking(c.At(4, 10, 30))
	in.PatientID = other.ID
	schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
	early := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 10, 0))))(t)
	*b.Clock = c.At(4, 10, 0)
	schedtest.Must(b.Svc.Open(ctx, "doctor", early.ID))(t)
	_, err = b.Svc.SetExaminations(ctx, "doctor", early.ID, []scheduling.ID{c.Consultation.ID, c.ECG.ID})
	e := requireCode(t, err, scheduling.KindConflict, scheduling.CodeSlotTaken)
	require.Contains(t, e.Message, "next booking", "no alternatives are promised to a session already with the doctor")

	grown := schedtest.Must(b.Svc.SetExaminations(ctx, "desk", s.ID, []scheduling.ID{c.ECG.ID, c.Consultation.ID}))(t)
	require.Equal(t, c.At(4, 12, 20), grown.End)
	require.NotNil(t, grown.RoomID, "the ECG holds a room")
}

// TestDoctorChangesOnlyOwnSessions: a service acting for one doctor is refused on another's sessions.
func TestDoctorChangesOnlyOwnSessions(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(4, 10, 0))))(t)
	*b.Clock = c.At(4, 10, 0)
	_, err := b.Svc.AsDoctor(c.Doctor.ID+1000).Open(ctx, "doctor", s.ID)
	requireCode(t, err, scheduling.KindForbidden, scheduling.CodeForbidden)
	schedtest.Must(b.Svc.AsDoctor(c.Doctor.ID).Open(ctx, "doctor", s.ID))(t)
}

// TestBookingSeesCatalogChangesAtOnce: bookings reuse the branch and examinations they read before,
// but never after the catalog has changed: hours closed a moment ago refuse the next booking, and a
// doctor qualified a moment ago is accepted.
func TestBookingSeesCatalogChangesAtOnce(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0))))(t) // reads and keeps the setup
	_, err := b.Pool.Exec(ctx, `DELETE FROM branch_hours WHERE branch_id = $1 AND start_minute = 840`, c.Branch.ID)
	require.NoError(t, err)
	_, err = b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 15, 0)))
	requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)

	bruno := c.AddDoctor(t, b.Svc, "Bruno Dias")
	in := c.Booking(c.At(5, 10, 0))
	in.DoctorID = bruno.ID
	_, err = b.Svc.Book(ctx, "desk", in)
	requireCode(t, err, scheduling.KindRule, "doctor_not_qualified")
	_, err = b.Pool.Exec(ctx, `INSERT INTO examination_doctors (examination_id, doctor_id) VALUES ($1, $2)`, c.Consultation.ID, bruno.ID)
	require.NoError(t, err)
	schedtest.Must(b.Svc.Book(ctx, "desk", in))(t)
}
