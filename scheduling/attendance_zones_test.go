package scheduling_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// twoBranches is a doctor and two branches in the given zones, open every day; the clock is Monday
// 4 January 2027.
type twoBranches struct {
	svc    *scheduling.Service
	doctor scheduling.ID
	a, b   *scheduling.Branch
}

func newTwoBranches(t *testing.T, zoneA, zoneB string) *twoBranches {
	t.Helper()
	ctx := context.Background()
	bundle := schedtest.New(t)
	zero := 0
	branch := func(name, zone string) *scheduling.Branch {
		return schedtest.Must(bundle.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: name, Timezone: zone,
			Currency: "EUR", TaxRateBP: &zero}))(t)
	}
	return &twoBranches{svc: bundle.Svc, doctor: schedtest.Must(bundle.Svc.CreateDoctor(ctx, "Bruno Costa", ""))(t).ID,
		a: branch(zoneA, zoneA), b: branch(zoneB, zoneB)}
}

func monday(start, end string) []scheduling.WeeklyHours {
	return []scheduling.WeeklyHours{{Weekday: 1, Start: start, End: end}}
}

func (tb *twoBranches) set(branch *scheduling.Branch, weekly []scheduling.WeeklyHours, exceptions ...scheduling.AttendanceException) error {
	_, err := tb.svc.SetAttendance(context.Background(), scheduling.Attendance{DoctorID: tb.doctor, BranchID: branch.ID,
		Weekly: weekly, Exceptions: exceptions})
	return err
}

func TestAttendanceAtTwoBranchesIsComparedInRealTime(t *testing.T) {
	t.Parallel()
	t.Run("the same local hours in Lisbon and New York are hours apart", func(t *testing.T) {
		t.Parallel()
		tb := newTwoBranches(t, "Europe/Lisbon", "America/New_York")
		require.NoError(t, tb.set(tb.a, monday("08:00", "12:00")))
		require.NoError(t, tb.set(tb.b, monday("08:00", "12:00")), "08:00–12:00 in New York is 13:00–17:00 in Lisbon")

		// Lisbon 14:00–19:00 is New York 09:00–14:00: the doctor would be in two places.
		err := tb.set(tb.a, monday("14:00", "19:00"))
		de := wantErr(t, err, scheduling.KindRule, "attendance_overlap")
		require.Equal(t, "the doctor already attends America/New_York on 2027-01-04 from 08:00 to 12:00 (local time there), "+
			"which overlaps these hours at Europe/Lisbon on 2027-01-04 from 14:00 to 19:00", de.Message)
		require.Equal(t, tb.b.ID, de.Details["branch_id"])
		got := schedtest.Must(tb.svc.GetAttendance(context.Background(), tb.doctor, tb.a.ID))(t)
		require.Equal(t, monday("08:00", "12:00"), got.Weekly, "a refused change leaves the attendance as it was")
	})
	t.Run("weeks when only one of the zones has changed its clocks", func(t *testing.T) {
		t.Parallel()
		// Lisbon 13:00–14:00 and New York 09:00–10:00 touch in winter and in summer, but overlap from
		// 14 March (New York on summer time) to 28 March 2027 (Lisbon too), and again from 31 October
		// to 7 November.
		tb := newTwoBranches(t, "Europe/Lisbon", "America/New_York")
		require.NoError(t, tb.set(tb.a, monday("13:00", "14:00")))
		err := tb.set(tb.b, monday("09:00", "10:00"))
		de := wantErr(t, err, scheduling.KindRule, "attendance_overlap")
		require.Contains(t, de.Message, "Europe/Lisbon on 2027-03-15 from 13:00 to 14:00")
		spring := []scheduling.AttendanceException{{Date: "2027-03-15", Off: true}, {Date: "2027-03-22", Off: true}}
		de = wantErr(t, tb.set(tb.b, monday("09:00", "10:00"), spring...), scheduling.KindRule, "attendance_overlap")
		require.Contains(t, de.Message, "Europe/Lisbon on 2027-11-01 from 13:00 to 14:00")
		require.NoError(t, tb.set(tb.b, monday("09:00", "10:00"),
			append(spring, scheduling.AttendanceException{Date: "2027-11-01", Off: true})...))
	})
	t.Run("hemispheres change clocks in opposite seasons", func(t *testing.T) {
		t.Parallel()
		// Sydney 20:00 is London 09:00 in January, and 10:00 from London's change (28 March 2027) to
		// Sydney's (4 April).
		tb := newTwoBranches(t, "Europe/London", "Australia/Sydney")
		require.NoError(t, tb.set(tb.a, monday("10:00", "11:00")))
		err := tb.set(tb.b, monday("20:00", "21:00"))
		de := wantErr(t, err, scheduling.KindRule, "attendance_overlap")
		require.Contains(t, de.Message, "Europe/London on 2027-03-29 from 10:00 to 11:00")
		// And again from Sydney's change back (3 October) to London's (31 October).
		de = wantErr(t, tb.set(tb.b, monday("20:00", "21:00"), scheduling.AttendanceException{Date: "2027-03-29", Off: true}),
			scheduling.KindRule, "attendance_overlap")
		require.Contains(t, de.Message, "Europe/London on 2027-10-04 from 10:00 to 11:00")
	})
	t.Run("dated exceptions count, and a day off frees the time", func(t *testing.T) {
		t.Parallel()
		tb := newTwoBranches(t, "Europe/Lisbon", "America/New_York")
		require.NoError(t, tb.set(tb.a, monday("08:00", "12:00")))
		require.NoError(t, tb.set(tb.b, monday("08:00", "12:00")))
		extra := scheduling.AttendanceException{Date: "2027-01-11", Start: "14:00", End: "18:00"}
		de := wantErr(t, tb.set(tb.a, monday("08:00", "12:00"), extra), scheduling.KindRule, "attendance_overlap")
		require.Contains(t, de.Message, "America/New_York on 2027-01-11 from 08:00 to 12:00")

		// An exception years ahead is checked too, against the weekly hours of that day.
		far := scheduling.AttendanceException{Date: "2031-06-02", Start: "14:00", End: "18:00"}
		wantErr(t, tb.set(tb.a, monday("08:00", "12:00"), far), scheduling.KindRule, "attendance_overlap")

		require.NoError(t, tb.set(tb.b, monday("08:00", "12:00"), scheduling.AttendanceException{Date: "2027-01-11", Off: true}))
		require.NoError(t, tb.set(tb.a, monday("08:00", "12:00"), extra), "New York's day off frees the afternoon")
		de = wantErr(t, tb.set(tb.b, monday("08:00", "12:00")), scheduling.KindRule, "attendance_overlap")
		require.Contains(t, de.Message, "Europe/Lisbon on 2027-01-11 from 14:00 to 18:00",
			"taking the day off back clashes with the exception in Lisbon")
	})
}
