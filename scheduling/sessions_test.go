package scheduling_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func requireCode(t *testing.T, err error, kind scheduling.Kind, code string) *scheduling.Error {
	t.Helper()
	require.Error(t, err)
	de, ok := err.(*scheduling.Error)
	require.Truef(t, ok, "want a domain error %s, got %v", code, err)
	require.Equal(t, code, de.Code, de.Message)
	require.Equal(t, kind, de.Kind)
	return de
}

func startsOf(slots []scheduling.Slot) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = s.Start.Format("02 15:04")
	}
	return out
}

func TestBookTakesFreeRoomAndRecordsAudit(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()

	s, err := b.Svc.Book(ctx, "token:1 desk", c.Booking(c.At(5, 9, 0), c.Consultation.ID, c.ECG.ID))
	require.NoError(t, err)
	require.Equal(t, scheduling.StatusWaiting, s.Status)
	require.Equal(t, c.At(5, 9, 50), s.End, "durations add up: 30 + 20 minutes")
	require.NotNil(t, s.RoomID)
	require.Equal(t, c.Rooms[0], *s.RoomID)
	require.Len(t, s.Examinations, 2)
	require.Equal(t, c.At(5, 9, 30), s.Examinations[1].Start, "examinations run back to back")

	got, err := b.Svc.GetSession(ctx, s.ID)
	require.NoError(t, err)
	require.Equal(t, s.Start, got.Start)
	require.Equal(t, "+00:00", got.Start.Format("-07:00"), "times are in the branch's zone")
	require.Len(t, got.History, 1)
	require.Equal(t, "booked", got.History[0].Action)
	require.Equal(t, "token:1 desk", got.History[0].Actor)
	require.Equal(t, scheduling.StatusWaiting, *got.History[0].To)
}

func TestBookTakenSlotOffersNearestAlternatives(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	_, err := b.Svc.Book(ctx, "a", c.Booking(c.At(5, 9, 0)))
	require.NoError(t, err)

	for _, start := range []time.Time{c.At(5, 9, 0), c.At(5, 9, 15), c.At(5, 8, 45)} {
		_, err = b.Svc.Book(ctx, "b", c.Booking(start))
		de := requireCode(t, err, scheduling.KindConflict, scheduling.CodeSlotTaken)
		alts := de.Details["alternatives"].([]scheduling.Slot)
		if start.Equal(c.At(5, 9, 0)) {
			require.Equal(t, []string{"05 08:00", "05 08:30", "05 09:30", "05 10:00", "05 10:30"}, startsOf(alts))
		}
		require.Len(t, alts, 5)
	}
}

func TestBookOutsideFreeTimeIsNotAvailable(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	for name, start := range map[string]time.Time{
		"runs into lunch": c.At(5, 12, 45),
		"sunday":          c.At(10, 10, 0),
		"before opening":  c.At(5, 7, 45),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := b.Svc.Book(ctx, "a", c.Booking(start))
			requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)
		})
	}
	// Online channels need the branch's minimum notice (60 minutes by default); staff do not.
	in := c.Booking(c.At(4, 8, 30))
	in.Channel = scheduling.ChannelWebForm
	*b.Clock = c.At(4, 8, 0)
	_, err := b.Svc.Book(ctx, "web", in)
	requireCode(t, err, scheduling.KindRule, scheduling.CodeNotAvailable)
	in.Channel = scheduling.ChannelStaff
	_, err = b.Svc.Book(ctx, "desk", in)
	require.NoError(t, err)
}

func TestBackDatedSessionIsCompletedAtOnce(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s, err := b.Svc.Book(ctx, "desk", c.Booking(c.At(1, 10, 0))) // last Friday
	require.NoError(t, err)
	require.Equal(t, scheduling.StatusCompleted, s.Status)
	require.Equal(t, c.At(1, 10, 30), *s.CompletedAt)

	in := c.Booking(c.At(1, 11, 0))
	in.Channel = scheduling.ChannelTelegram
	_, err = b.Svc.Book(ctx, "bot", in)
	requireCode(t, err, scheduling.KindRule, "start_in_past")
}

func TestCancelledSessionFreesItsTime(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s, err := b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0)))
	require.NoError(t, err)
	_, err = b.Svc.Cancel(ctx, "desk", s.ID, "  ")
	requireCode(t, err, scheduling.KindRule, "missing_reason")
	s, err = b.Svc.Cancel(ctx, "desk", s.ID, "feels better")
	require.NoError(t, err)
	require.Equal(t, "feels better", *s.CancelReason)
	_, err = b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0)))
	require.NoError(t, err)
}

func TestDatabaseRefusesOverlapEvenWithoutTheService(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s, err := b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0), c.ECG.ID))
	require.NoError(t, err)
	insert := `INSERT INTO sessions (patient_id, branch_id, doctor_id, room_id, starts_at, ends_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, now(), now())`
	someone := c.AddPatient(t, b.Svc, 1).ID
	_, err = b.Pool.Exec(ctx, insert, someone, c.Branch.ID, c.Doctor.ID, nil, c.At(5, 10, 10), c.At(5, 10, 40))
	require.ErrorContains(t, err, "sessions_doctor_no_overlap")
	other, err := b.Svc.CreateDoctor(ctx, "Bruno", "")
	require.NoError(t, err)
	_, err = b.Pool.Exec(ctx, insert, someone, c.Branch.ID, other.ID, *s.RoomID, c.At(5, 10, 10), c.At(5, 10, 40))
	require.ErrorContains(t, err, "sessions_room_no_overlap")
	// Back to back is fine: ranges are half-open.
	_, err = b.Pool.Exec(ctx, insert, c.Patient.ID, c.Branch.ID, c.Doctor.ID, *s.RoomID, c.At(5, 10, 20), c.At(5, 10, 40))
	require.NoError(t, err)
}

func TestDelete(t *testing.T) {
	t.Parallel()
	var paid sync.Map
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{{
		Actions: []string{scheduling.ActionDeleted},
		Hear: func(ctx context.Context, tx pgx.Tx, ch scheduling.Change) error {
			if _, ok := paid.Load(ch.Session.ID); ok {
				return scheduling.ErrFinancialHistory
			}
			return nil
		}}}})
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	kept, err := b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0)))
	require.NoError(t, err)
	paid.Store(kept.ID, true)
	err = b.Svc.Delete(ctx, "owner", kept.ID)
	requireCode(t, err, scheduling.KindConflict, scheduling.CodeFinancialHistory)
	_, err = b.Svc.GetSession(ctx, kept.ID)
	require.NoError(t, err, "a refused delete leaves the session")

	gone, err := b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 10, 0)))
	require.NoError(t, err)
	require.NoError(t, b.Svc.Delete(ctx, "owner", gone.ID))
	_, err = b.Svc.GetSession(ctx, gone.ID)
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
	var action, actor string
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT action, actor FROM session_events WHERE session_id = $1 ORDER BY id DESC LIMIT 1`, gone.ID).Scan(&action, &actor))
	require.Equal(t, "deleted", action)
	require.Equal(t, "owner", actor)
	requireCode(t, b.Svc.Delete(ctx, "owner", gone.ID), scheduling.KindNotFound, scheduling.CodeNotFound)
}
