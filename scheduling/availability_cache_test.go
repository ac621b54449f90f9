package scheduling_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// firstStarts asks svc for Tuesday 5 January with the examinations and returns the local start times
// of its slots ("08:00").
func firstStarts(t *testing.T, svc *scheduling.Service, c *schedtest.Clinic, doctor scheduling.ID, exams ...scheduling.ID) []string {
	t.Helper()
	day := scheduling.Date{Year: 2027, Month: time.January, Day: 5}
	slots, err := svc.Availability(context.Background(), scheduling.AvailabilityQuery{BranchID: c.Branch.ID, DoctorID: doctor,
		ExaminationIDs: exams, From: day, To: day})
	require.NoError(t, err)
	out := []string{}
	for _, sl := range slots {
		out = append(out, sl.Start.In(c.Loc).Format("15:04"))
	}
	return out
}

// TestAvailabilityFollowsCatalogChangesAtOnce: the branch configuration availability keeps in memory
// never answers a request that starts after a change was committed, whoever committed it: this
// server, another server, or a script writing SQL.
func TestAvailabilityFollowsCatalogChangesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	other := scheduling.NewService(b.Pool, slog.New(slog.DiscardHandler), func() time.Time { return schedtest.Now }, scheduling.Config{})
	exam := c.Consultation.ID
	require.Len(t, firstStarts(t, b.Svc, c, 0, exam), 20, "a free day, read once so that it is remembered")

	// This server changes the hours.
	in := scheduling.BranchInput{Name: c.Branch.Name, Timezone: c.Branch.Timezone, Currency: c.Branch.Currency,
		TaxRateBP: &c.Branch.TaxRateBP, Hours: []scheduling.WeeklyHours{{Weekday: 2, Start: "10:00", End: "11:00"}}}
	schedtest.Must(b.Svc.UpdateBranch(ctx, c.Branch.ID, in))(t)
	require.Equal(t, []string{"10:00", "10:30"}, firstStarts(t, b.Svc, c, 0, exam))

	// Another server changes them back.
	in.Hours = schedtest.Hours()
	schedtest.Must(other.UpdateBranch(ctx, c.Branch.ID, in))(t)
	require.Len(t, firstStarts(t, b.Svc, c, 0, exam), 20)

	// A script gives the consultation a service window.
	_, err := b.Pool.Exec(ctx, `INSERT INTO examination_windows (examination_id, weekday, start_minute, end_minute)
		VALUES ($1, 2, 540, 600)`, exam)
	require.NoError(t, err)
	require.Equal(t, []string{"09:00", "09:30"}, firstStarts(t, b.Svc, c, 0, exam))

	// A script lets a second doctor perform it: asked for by name, and among every doctor.
	doctor := schedtest.Must(other.CreateDoctor(ctx, "Rui Costa", ""))(t)
	schedtest.Must(other.SetAttendance(ctx, scheduling.Attendance{DoctorID: doctor.ID, BranchID: c.Branch.ID, Weekly: schedtest.Hours()}))(t)
	_, err = b.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: c.Branch.ID, DoctorID: doctor.ID,
		ExaminationIDs: []scheduling.ID{exam}, From: scheduling.Date{Year: 2027, Month: time.January, Day: 5},
		To: scheduling.Date{Year: 2027, Month: time.January, Day: 5}})
	requireKind(t, err, scheduling.KindRule, "doctor_not_qualified", "before the script")
	_, err = b.Pool.Exec(ctx, `INSERT INTO examination_doctors (examination_id, doctor_id) VALUES ($1, $2)`, exam, doctor.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"09:00", "09:30"}, firstStarts(t, b.Svc, c, doctor.ID, exam))
	require.Equal(t, []string{"09:00", "09:00", "09:30", "09:30"}, firstStarts(t, b.Svc, c, 0, exam))
}

// TestAvailabilityForgetsWhatATransactionRolledBack: what a service reads inside a caller's
// transaction is never kept for others, so a rolled-back change cannot come back later, not even
// once the catalog has moved on by as many changes.
func TestAvailabilityForgetsWhatATransactionRolledBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	exam := c.Consultation.ID
	require.Len(t, firstStarts(t, b.Svc, c, 0, exam), 20)

	tx, err := b.Pool.Begin(ctx)
	require.NoError(t, err)
	inTx := b.Svc.WithTx(tx)
	in := scheduling.BranchInput{Name: c.Branch.Name, Timezone: c.Branch.Timezone, Currency: c.Branch.Currency,
		TaxRateBP: &c.Branch.TaxRateBP, Hours: []scheduling.WeeklyHours{{Weekday: 2, Start: "10:00", End: "11:00"}}}
	schedtest.Must(inTx.UpdateBranch(ctx, c.Branch.ID, in))(t)
	require.Equal(t, []string{"10:00", "10:30"}, firstStarts(t, inTx, c, 0, exam), "the transaction sees its change")
	var reached int64
	require.NoError(t, tx.QueryRow(ctx, `SELECT version FROM catalog_version`).Scan(&reached))
	require.NoError(t, tx.Rollback(ctx))

	// Committed changes bring the catalog to the version the rolled-back transaction had reached.
	_, err = b.Pool.Exec(ctx, `UPDATE catalog_version SET version = $1`, reached)
	require.NoError(t, err)
	require.Len(t, firstStarts(t, b.Svc, c, 0, exam), 20, "the rolled-back hours are gone")
}

// TestBranchSlotIntervalHasAFloor: offered starts are at least five minutes apart, in the service and
// in the database.
func TestBranchSlotIntervalHasAFloor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	for _, minutes := range []int{1, 4} {
		in := scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon", Currency: "EUR", TaxRateBP: &c.Branch.TaxRateBP,
			SlotIntervalMinutes: &minutes}
		_, err := b.Svc.CreateBranch(ctx, in)
		requireKind(t, err, scheduling.KindRule, "out_of_range", "an interval under five minutes")
	}
	five := 5
	schedtest.Must(b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon", Currency: "EUR",
		TaxRateBP: &c.Branch.TaxRateBP, SlotIntervalMinutes: &five}))(t)
	_, err := b.Pool.Exec(ctx, `UPDATE branches SET slot_interval_minutes = 4 WHERE id = $1`, c.Branch.ID)
	require.ErrorContains(t, err, "branches_slot_interval_minutes_check")
}
