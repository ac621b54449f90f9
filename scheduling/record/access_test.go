package record_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/record"
)

// TestWhoReadsAndWrites (DESIGN 7): the session's doctor and the owner write; a manager reads; the
// front desk does neither; another doctor neither reads nor writes.
func TestWhoReadsAndWrites(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)
	otherDoctor := record.Caller{Actor: "token:9 other", Access: record.OwnSessions, DoctorID: f.clinic.Doctor.ID + 1000}
	body := input(t, `{"notes": "written"}`)

	for _, c := range []record.Caller{manager, desk, otherDoctor} {
		_, err := f.store.Put(ctx, c, id, body)
		requireError(t, err, scheduling.KindForbidden, scheduling.CodeForbidden, "")
	}
	for _, c := range []record.Caller{desk, otherDoctor} {
		_, err := f.store.Get(ctx, c, id)
		requireError(t, err, scheduling.KindForbidden, scheduling.CodeForbidden, "")
	}
	rec, err := f.store.Get(ctx, owner, id)
	require.NoError(t, err)
	require.Nil(t, rec.WrittenBy, "no refused write got through")

	for _, c := range []record.Caller{f.doctor(), owner} {
		_, err := f.store.Put(ctx, c, id, body)
		require.NoError(t, err, c.Actor)
	}
	for _, c := range []record.Caller{f.doctor(), owner, manager} {
		rec, err := f.store.Get(ctx, c, id)
		require.NoError(t, err, c.Actor)
		require.Equal(t, "written", rec.Notes)
	}
}

// TestEveryViewIsKept: each read of a record leaves who and when; managers and the owner list them,
// newest first. Refused reads leave nothing.
func TestEveryViewIsKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)
	other := f.session(t, scheduling.StatusOpen)

	_, err := f.store.Get(ctx, f.doctor(), id)
	require.NoError(t, err)
	*f.Clock = f.Clock.Add(10 * time.Minute)
	_, err = f.store.Get(ctx, manager, id)
	require.NoError(t, err)
	_, err = f.store.Get(ctx, desk, id)
	require.Error(t, err)
	_, err = f.store.Get(ctx, owner, other)
	require.NoError(t, err)

	views, err := f.store.Views(ctx, owner, id)
	require.NoError(t, err)
	require.Len(t, views, 2)
	require.Equal(t, scheduling.Actor("token:2 manager"), views[0].By, "newest first")
	require.True(t, views[0].At.Equal(*f.Clock))
	require.Equal(t, scheduling.Actor("token:3 doctor"), views[1].By)
	require.True(t, views[1].At.Equal(f.Clock.Add(-10*time.Minute)))
	require.Equal(t, f.clinic.Patient.ID, views[1].PatientID, "which patient's record was seen")
	require.Equal(t, id, views[1].SessionID)
	require.Equal(t, "Europe/Lisbon", views[0].At.Location().String())

	views, err = f.store.Views(ctx, manager, id)
	require.NoError(t, err)
	require.Len(t, views, 2, "listing the views is no view of the record")
	for _, c := range []record.Caller{f.doctor(), desk} {
		_, err := f.store.Views(ctx, c, id)
		requireError(t, err, scheduling.KindForbidden, scheduling.CodeForbidden, "")
	}
	_, err = f.store.Views(ctx, owner, 987654)
	requireError(t, err, scheduling.KindNotFound, scheduling.CodeNotFound, "")
}

// TestASessionWithARecordIsNeverDeleted: clinical history is kept like financial history; a session
// without a record may still be deleted by the owner.
func TestASessionWithARecordIsNeverDeleted(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{Listeners: []scheduling.Listener{record.KeepRecords}})
	ctx := context.Background()
	kept := f.session(t, scheduling.StatusOpen)
	_, err := f.store.Put(ctx, owner, kept, input(t, `{"notes": "seen"}`))
	require.NoError(t, err)
	err = f.Svc.Delete(ctx, "owner", kept)
	requireError(t, err, scheduling.KindConflict, record.CodeRecordKept, "")
	_, err = f.Svc.GetSession(ctx, kept)
	require.NoError(t, err, "still there")

	gone := f.session(t, scheduling.StatusOpen)
	_, err = f.store.Get(ctx, owner, gone) // viewed, never written
	require.NoError(t, err)
	require.NoError(t, f.Svc.Delete(ctx, "owner", gone))
}
