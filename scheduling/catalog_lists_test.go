package scheduling_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func TestBigListsAreCappedAndWrittenAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)

	// Half a million links would be half a million statements; it is refused before any is sent.
	huge := slices.Repeat([]scheduling.ID{c.Doctor.ID}, 500_000)
	in := examInput([]scheduling.ID{c.Branch.ID})
	in.DoctorIDs = huge
	quick, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := b.Svc.CreateExamination(quick, in)
	de := wantErr(t, err, scheduling.KindRule, "list_too_long")
	require.Contains(t, de.Message, "doctor_ids")

	rows, err := b.Pool.Query(ctx, `INSERT INTO doctors (name, created_at)
		SELECT 'Doctor ' || g, now() FROM generate_series(1, $1) g RETURNING id`, scheduling.MaxListLength-1)
	require.NoError(t, err)
	var many []scheduling.ID
	for rows.Next() {
		var id scheduling.ID
		require.NoError(t, rows.Scan(&id))
		many = append(many, id)
	}
	require.NoError(t, rows.Err())
	in.DoctorIDs = append(many, c.Doctor.ID)
	e := schedtest.Must(b.Svc.CreateExamination(ctx, in))(t)
	require.Len(t, e.DoctorIDs, scheduling.MaxListLength)

	in.Code, in.DoctorIDs = "GP3", []scheduling.ID{c.Doctor.ID, 987654321, 987654320}
	_, err = b.Svc.CreateExamination(ctx, in)
	de = wantErr(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
	require.Equal(t, "doctor 987654320 not found", de.Message)

	weekly := make([]scheduling.WeeklyHours, scheduling.MaxScheduleEntries+1)
	for i := range weekly {
		m := i / 7 * 45
		weekly[i] = scheduling.WeeklyHours{Weekday: 1 + i%7, Start: fmt.Sprintf("%02d:%02d", m/60, m%60),
			End: fmt.Sprintf("%02d:%02d", (m+30)/60, (m+30)%60)}
	}
	zero := 0
	_, err = b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Busy", Timezone: "UTC", Currency: "EUR", TaxRateBP: &zero, Hours: weekly})
	wantErr(t, err, scheduling.KindRule, "list_too_long")
	in.Code, in.DoctorIDs, in.Windows = "GP4", nil, weekly
	_, err = b.Svc.CreateExamination(ctx, in)
	wantErr(t, err, scheduling.KindRule, "list_too_long")
	_, err = b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: c.Doctor.ID, BranchID: c.Branch.ID, Weekly: weekly})
	wantErr(t, err, scheduling.KindRule, "list_too_long")

	exceptions := make([]scheduling.AttendanceException, scheduling.MaxScheduleEntries+1)
	for i := range exceptions {
		exceptions[i] = scheduling.AttendanceException{Date: time.Date(2027, 2, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Off: true}
	}
	_, err = b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: c.Doctor.ID, BranchID: c.Branch.ID, Exceptions: exceptions})
	wantErr(t, err, scheduling.KindRule, "list_too_long")
	a := schedtest.Must(b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: c.Doctor.ID, BranchID: c.Branch.ID,
		Exceptions: exceptions[:scheduling.MaxScheduleEntries]}))(t)
	require.Len(t, a.Exceptions, scheduling.MaxScheduleEntries, "the exceptions are written in one statement")
}

func TestUpdateBranchReplacesTheWholeBranch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	tax, interval, notice, horizon := 2300, 15, 240, 30
	full := scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon", Currency: "EUR", TaxRateBP: &tax,
		SlotIntervalMinutes: &interval, MinNoticeMinutes: &notice, HorizonDays: &horizon, Hours: schedtest.Hours()}
	created := schedtest.Must(b.Svc.CreateBranch(ctx, full))(t)

	tax2, interval2, notice2, horizon2 := 600, 20, 0, 365
	updated := schedtest.Must(b.Svc.UpdateBranch(ctx, created.ID, scheduling.BranchInput{Name: " Porto Norte ",
		Timezone: "Atlantic/Madeira", Currency: "EUR", TaxRateBP: &tax2, SlotIntervalMinutes: &interval2,
		MinNoticeMinutes: &notice2, HorizonDays: &horizon2,
		Hours: []scheduling.WeeklyHours{{Weekday: 2, Start: "10:00", End: "12:00"}}}))(t)
	require.Equal(t, scheduling.Branch{ID: created.ID, Name: "Porto Norte", Timezone: "Atlantic/Madeira", Currency: "EUR",
		TaxRateBP: 600, SlotIntervalMinutes: &interval2, MinNoticeMinutes: 0, HorizonDays: 365,
		Hours: []scheduling.WeeklyHours{{Weekday: 2, Start: "10:00", End: "12:00"}}}, stripEngine(*updated))

	// A partial body is a whole branch with the optional settings left at their defaults, as on create.
	partial := scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon", Currency: "EUR", TaxRateBP: &tax}
	updated = schedtest.Must(b.Svc.UpdateBranch(ctx, created.ID, partial))(t)
	fresh := schedtest.Must(b.Svc.CreateBranch(ctx, partial))(t)
	fresh.ID = created.ID
	require.Equal(t, stripEngine(*fresh), stripEngine(*updated))
	require.Nil(t, updated.SlotIntervalMinutes)
	require.Equal(t, scheduling.DefaultMinNoticeMinutes, updated.MinNoticeMinutes)
	require.Equal(t, scheduling.DefaultHorizonDays, updated.HorizonDays)
	require.Empty(t, updated.Hours)
}

// stripEngine keeps what a branch answers in JSON, dropping the engine's copy of its hours.
func stripEngine(b scheduling.Branch) scheduling.Branch {
	return scheduling.Branch{ID: b.ID, Name: b.Name, Timezone: b.Timezone, Currency: b.Currency, TaxRateBP: b.TaxRateBP,
		SlotIntervalMinutes: b.SlotIntervalMinutes, MinNoticeMinutes: b.MinNoticeMinutes, HorizonDays: b.HorizonDays,
		Hours: b.Hours}
}
