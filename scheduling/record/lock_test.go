package record_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/record"
)

// TestARecordIsWrittenWhileOpenOrCompleted: a waiting, cancelled or no-show session has no record to
// write (409 invalid_transition with a clear message).
func TestARecordIsWrittenWhileOpenOrCompleted(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	for status, words := range map[string]string{
		scheduling.StatusWaiting:   "still waiting",
		scheduling.StatusCancelled: "was cancelled",
		scheduling.StatusNoShow:    "was a no-show",
	} {
		id := f.session(t, status)
		_, err := f.store.Put(ctx, owner, id, input(t, `{"notes": "x"}`))
		de := requireError(t, err, scheduling.KindConflict, scheduling.CodeInvalidTransition, "")
		require.Contains(t, de.Message, words, status)
	}
	_, err := f.store.Put(ctx, owner, 987654, input(t, `{}`))
	requireError(t, err, scheduling.KindNotFound, scheduling.CodeNotFound, "")
}

// TestACompletedRecordIsLocked: after completion a plain write is refused with record_locked; an
// amendment with a reason goes through, keeping the earlier version, who, when, why and what changed.
func TestACompletedRecordIsLocked(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)
	_, err := f.store.Put(ctx, f.doctor(), id, input(t, `{"notes": "x", "amendment": {"reason": "typo"}}`))
	requireError(t, err, scheduling.KindRule, record.CodeNotLocked, "")

	first := `{"vitals": {"systolic": 150, "diastolic": 95, "weight_kg": 80}, "complaint": "Headache",
		"diagnoses": [{"icd10": "I10"}], "notes": "Recheck in two weeks"}`
	_, err = f.store.Put(ctx, f.doctor(), id, input(t, first))
	require.NoError(t, err)
	f.complete(t, id)

	rec, err := f.store.Get(ctx, f.doctor(), id)
	require.NoError(t, err)
	require.True(t, rec.Locked)
	_, err = f.store.Put(ctx, f.doctor(), id, input(t, `{"notes": "changed"}`))
	requireError(t, err, scheduling.KindConflict, record.CodeRecordLocked, "")
	_, err = f.store.Put(ctx, f.doctor(), id, input(t, first[:len(first)-1]+`, "amendment": {"reason": "  "}}`))
	requireError(t, err, scheduling.KindRule, "missing_value", "amendment.reason")
	_, err = f.store.Put(ctx, f.doctor(), id, input(t, first[:len(first)-1]+`, "amendment": {"reason": "no change"}}`))
	requireError(t, err, scheduling.KindRule, "no_changes", "")

	*f.Clock = f.Clock.Add(2 * time.Hour)
	amended := `{"vitals": {"systolic": 140, "diastolic": 95, "weight_kg": 80, "height_cm": 175}, "complaint": "Headache",
		"diagnoses": [{"icd10": "I10"}], "notes": "Recheck in two weeks",
		"amendment": {"reason": "systolic misread; height measured"}}`
	rec, err = f.store.Put(ctx, owner, id, input(t, amended))
	require.NoError(t, err)
	require.True(t, rec.Locked)
	require.Equal(t, "140", rec.Vitals.Systolic.String(), "the current content is the amended one")
	require.Equal(t, "26.1", rec.BMI.String())
	require.Len(t, rec.Amendments, 1)
	a := rec.Amendments[0]
	require.Equal(t, scheduling.Actor("token:1 owner"), a.By)
	require.Equal(t, "systolic misread; height measured", a.Reason)
	require.True(t, a.At.Equal(*f.Clock), "stamped by the store's clock")
	require.JSONEq(t, `[{"field": "vitals.systolic", "before": 150, "after": 140},
		{"field": "vitals.height_cm", "before": null, "after": 175}]`, asJSON(t, a.Changes))
	require.Equal(t, "150", a.Previous.Vitals.Systolic.String(), "the previous version is kept whole")
	require.Equal(t, "Recheck in two weeks", a.Previous.Notes)
	require.Equal(t, "I10", a.Previous.Diagnoses[0].ICD10)

	// A second amendment adds to the list; the first stays as it was.
	*f.Clock = f.Clock.Add(time.Hour)
	rec, err = f.store.Put(ctx, f.doctor(), id, input(t, `{"notes": "Recheck in one week", "amendment": {"reason": "sooner"}}`))
	require.NoError(t, err)
	require.Len(t, rec.Amendments, 2)
	require.Equal(t, asJSON(t, a), asJSON(t, rec.Amendments[0]))
	var fields []string
	for _, c := range rec.Amendments[1].Changes {
		fields = append(fields, c.Field)
	}
	require.Equal(t, []string{"vitals.systolic", "vitals.diastolic", "vitals.weight_kg", "vitals.height_cm", "complaint",
		"diagnoses", "notes"}, fields)
	got, err := f.store.Get(ctx, manager, id)
	require.NoError(t, err)
	require.Equal(t, asJSON(t, rec), asJSON(t, got))
}

// TestAmendingARecordNeverWritten: a completed session without a record gets its first one as an
// amendment of the empty record.
func TestAmendingARecordNeverWritten(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	id := f.session(t, scheduling.StatusCompleted)
	rec, err := f.store.Put(context.Background(), f.doctor(), id, input(t, `{"findings": "late entry", "amendment": {"reason": "written after the visit"}}`))
	require.NoError(t, err)
	require.Len(t, rec.Amendments, 1)
	require.JSONEq(t, `[{"field": "findings", "before": "", "after": "late entry"}]`, asJSON(t, rec.Amendments[0].Changes))
	var previous map[string]any
	require.NoError(t, json.Unmarshal([]byte(asJSON(t, rec.Amendments[0].Previous)), &previous))
	require.Equal(t, map[string]any{"template": nil, "vitals": map[string]any{}, "complaint": "", "findings": "",
		"diagnoses": []any{}, "notes": "", "fields": map[string]any{}}, previous)
}

// TestCompletionWaitsForAWriteInFlight: a write holds the session, so a completion in between cannot
// leave an unlocked write on a locked record.
func TestCompletionWaitsForAWriteInFlight(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)
	_, err := f.store.Put(ctx, owner, id, input(t, `{"notes": "first"}`))
	require.NoError(t, err)
	tx, err := f.Pool.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = record.NewStore(tx, f.Svc.Now).Put(ctx, owner, id, input(t, `{"notes": "in flight"}`))
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() {
		_, err := f.Svc.Complete(ctx, "doctor", id)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("completion did not wait for the record's write: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, <-done)
	rec, err := f.store.Get(ctx, owner, id)
	require.NoError(t, err)
	require.True(t, rec.Locked)
	require.Equal(t, "in flight", rec.Notes)
}
