package scheduling_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// TestAvailabilityLoadsEveryRuleFromTheDatabase checks the service's side of DESIGN 3.1: each kind of
// rule and busy time stored in PostgreSQL reaches the engine. The engine's arithmetic has its own tests.
func TestAvailabilityLoadsEveryRuleFromTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	cases := []struct {
		name string
		// change prepares the clinic; query is then asked for Tuesday 5 January with the consultation.
		change func(t *testing.T, e env) scheduling.AvailabilityQuery
		want   []string
	}{
		{"a free day offers every slot of both opening intervals", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			return scheduling.AvailabilityQuery{}
		}, []string{"08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
			"14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30", "18:00", "18:30"}},
		{"a booking removes its time", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			schedtest.Must(e.b.Svc.Book(ctx, "t", e.c.Booking(e.c.At(5, 8, 0))))(t)
			e.noAfternoon(t)
			return scheduling.AvailabilityQuery{}
		}, []string{"08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"}},
		{"a cancelled booking frees its time", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			s := schedtest.Must(e.b.Svc.Book(ctx, "t", e.c.Booking(e.c.At(5, 8, 0))))(t)
			schedtest.Must(e.b.Svc.Cancel(ctx, "t", s.ID, "no longer needed"))(t)
			e.noAfternoon(t)
			return scheduling.AvailabilityQuery{}
		}, []string{"08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"}},
		{"a branch-wide block closes the branch", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			e.block(t, scheduling.BlockInput{Start: e.c.At(5, 9, 0), End: e.c.At(5, 19, 0)})
			return scheduling.AvailabilityQuery{}
		}, []string{"08:00", "08:30"}},
		{"a doctor block takes the doctor's time", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			e.block(t, scheduling.BlockInput{DoctorID: &e.c.Doctor.ID, Start: e.c.At(5, 8, 0), End: e.c.At(5, 18, 0)})
			return scheduling.AvailabilityQuery{}
		}, []string{"18:00", "18:30"}},
		{"a room block leaves the other room", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			e.block(t, scheduling.BlockInput{RoomID: &e.c.Rooms[0], Start: e.c.At(5, 8, 0), End: e.c.At(5, 19, 0)})
			e.block(t, scheduling.BlockInput{RoomID: &e.c.Rooms[1], Start: e.c.At(5, 9, 0), End: e.c.At(5, 19, 0)})
			return scheduling.AvailabilityQuery{ExaminationIDs: []scheduling.ID{e.c.ECG.ID}}
		}, []string{"08:00", "08:20", "08:40"}},
		{"a day-off exception removes the day", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			e.attend(t, scheduling.AttendanceException{Date: "2027-01-05", Off: true})
			return scheduling.AvailabilityQuery{}
		}, []string{}},
		{"an other-hours exception replaces the weekly hours", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			e.attend(t, scheduling.AttendanceException{Date: "2027-01-05", Start: "10:00", End: "11:00"},
				scheduling.AttendanceException{Date: "2027-01-05", Start: "18:00", End: "20:00"})
			return scheduling.AvailabilityQuery{}
		}, []string{"10:00", "10:30", "18:00", "18:30"}},
		{"a session at another branch keeps the doctor busy", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			zero := 0
			other := schedtest.Must(e.b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon",
				Currency: "EUR", TaxRateBP: &zero, Hours: []scheduling.WeeklyHours{{Weekday: 2, Start: "07:00", End: "21:00"}}}))(t)
			// Booked in Porto while the doctor was to work there that morning; the hours moved since.
			e.attend(t, scheduling.AttendanceException{Date: "2027-01-05", Off: true})
			schedtest.Must(e.b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: e.c.Doctor.ID, BranchID: other.ID,
				Exceptions: []scheduling.AttendanceException{{Date: "2027-01-05", Start: "08:00", End: "09:00"}}}))(t)
			e.addBranch(t, other.ID)
			in := e.c.Booking(e.c.At(5, 8, 0))
			in.BranchID = other.ID
			schedtest.Must(e.b.Svc.Book(ctx, "t", in))(t)
			schedtest.Must(e.b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: e.c.Doctor.ID, BranchID: other.ID}))(t)
			e.attend(t)
			e.noAfternoon(t)
			return scheduling.AvailabilityQuery{}
		}, []string{"08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"}},
		{"two examinations need their summed duration", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			e.noAfternoon(t)
			return scheduling.AvailabilityQuery{ExaminationIDs: []scheduling.ID{e.c.Consultation.ID, e.c.ECG.ID}}
		}, []string{"08:00", "08:50", "09:40", "10:30", "11:20", "12:10"}},
		{"the branch slot interval steps the starts", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			_, err := e.b.Pool.Exec(ctx, `UPDATE branches SET slot_interval_minutes = 15 WHERE id = $1`, e.c.Branch.ID)
			require.NoError(t, err)
			e.attend(t, scheduling.AttendanceException{Date: "2027-01-05", Start: "09:00", End: "10:00"})
			return scheduling.AvailabilityQuery{}
		}, []string{"09:00", "09:15", "09:30"}},
		{"online channels respect minimum notice", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			*e.b.Clock = e.c.At(5, 11, 10)
			e.noAfternoon(t)
			return scheduling.AvailabilityQuery{Channel: scheduling.ChannelWhatsApp}
		}, []string{"12:30"}},
		{"staff are offered the starts from now on, in the day's rhythm", func(t *testing.T, e env) scheduling.AvailabilityQuery {
			*e.b.Clock = e.c.At(5, 11, 10)
			e.noAfternoon(t)
			return scheduling.AvailabilityQuery{}
		}, []string{"11:30", "12:00", "12:30"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := schedtest.New(t)
			e := env{b: b, c: schedtest.NewClinic(t, b.Svc)}
			q := tc.change(t, e)
			q.BranchID, q.From, q.To = e.c.Branch.ID, dateOfDay(5), dateOfDay(5)
			if q.ExaminationIDs == nil {
				q.ExaminationIDs = []scheduling.ID{e.c.Consultation.ID}
			}
			slots, err := b.Svc.Availability(ctx, q)
			require.NoError(t, err)
			got := []string{}
			for _, s := range slots {
				require.Equal(t, e.c.Doctor.ID, s.DoctorID)
				got = append(got, s.Start.Format("15:04"))
			}
			require.Equal(t, tc.want, got)
		})
	}
}

type env struct {
	b *schedtest.Bundle
	c *schedtest.Clinic
}

// noAfternoon blocks the doctor on Tuesday afternoon to keep the expected lists short.
func (e env) noAfternoon(t *testing.T) {
	e.block(t, scheduling.BlockInput{DoctorID: &e.c.Doctor.ID, Start: e.c.At(5, 13, 0), End: e.c.At(5, 19, 0)})
}

func (e env) block(t *testing.T, in scheduling.BlockInput) {
	in.BranchID, in.Reason = e.c.Branch.ID, "test"
	schedtest.Must(e.b.Svc.CreateBlock(context.Background(), in))(t)
}

// attend keeps the weekly hours and sets the exceptions.
func (e env) attend(t *testing.T, exceptions ...scheduling.AttendanceException) {
	schedtest.Must(e.b.Svc.SetAttendance(context.Background(), scheduling.Attendance{DoctorID: e.c.Doctor.ID,
		BranchID: e.c.Branch.ID, Weekly: schedtest.Hours(), Exceptions: exceptions}))(t)
}

// addBranch offers the consultation at another branch too.
func (e env) addBranch(t *testing.T, branch scheduling.ID) {
	_, err := e.b.Pool.Exec(context.Background(), `INSERT INTO examination_branches VALUES ($1, $2)`, e.c.Consultation.ID, branch)
	require.NoError(t, err)
}

// TestAvailabilityAcrossDSTChanges books through the whole service in New York around both 2027 DST
// changes: local hours stay local, so the night of the change has one hour fewer or more.
func TestAvailabilityAcrossDSTChanges(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	ctx := context.Background()
	zero, sixty, no := 0, 60, false
	price := int64(100)
	night := []scheduling.WeeklyHours{{Weekday: 7, Start: "00:00", End: "06:00"}}
	branch := schedtest.Must(b.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "NY", Timezone: "America/New_York",
		Currency: "USD", TaxRateBP: &zero, Hours: night}))(t)
	doc := schedtest.Must(b.Svc.CreateDoctor(ctx, "Night owl", ""))(t)
	schedtest.Must(b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: doc.ID, BranchID: branch.ID, Weekly: night}))(t)
	exam := schedtest.Must(b.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "N", Name: "N", Price: &price,
		DurationMinutes: &sixty, Taxable: &no, BranchIDs: []scheduling.ID{branch.ID}, DoctorIDs: []scheduling.ID{doc.ID}}))(t)

	for _, tc := range []struct {
		name string
		day  scheduling.Date
		want []string // UTC
	}{
		{"spring forward: 00:00–06:00 is five hours", scheduling.Date{Year: 2027, Month: time.March, Day: 14},
			[]string{"05:00", "06:00", "07:00", "08:00", "09:00"}},
		{"fall back: 00:00–06:00 is seven hours", scheduling.Date{Year: 2027, Month: time.November, Day: 7},
			[]string{"04:00", "05:00", "06:00", "07:00", "08:00", "09:00", "10:00"}},
		{"an ordinary Sunday: six hours", scheduling.Date{Year: 2027, Month: time.March, Day: 21},
			[]string{"04:00", "05:00", "06:00", "07:00", "08:00", "09:00"}},
	} {
		slots, err := b.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: branch.ID, ExaminationIDs: []scheduling.ID{exam.ID},
			From: tc.day, To: tc.day})
		require.NoError(t, err)
		got := []string{}
		for _, s := range slots {
			require.Equal(t, time.Hour, s.End.Sub(s.Start), tc.name)
			got = append(got, s.Start.UTC().Format("15:04"))
		}
		require.Equal(t, tc.want, got, tc.name)
		// The last slot of the night books, and the database holds its true instants.
		last := slots[len(slots)-1]
		sess, err := b.Svc.Book(ctx, "t", scheduling.BookingInput{PatientID: schedtest.Must(b.Svc.CreatePatient(ctx,
			scheduling.PatientInput{Name: "P", Phone: fmt.Sprintf("+1212555%04d", tc.day.Day)}))(t).ID,
			BranchID: branch.ID, DoctorID: doc.ID, ExaminationIDs: []scheduling.ID{exam.ID}, Start: last.Start})
		require.NoError(t, err, tc.name)
		require.True(t, sess.End.Equal(last.End))
	}
}

// TestAvailabilityOfAnyDoctor: without a doctor, every doctor who performs all the examinations is
// offered, merged in time order (a walk-in takes the first).
func TestAvailabilityOfAnyDoctor(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	bruno := schedtest.Must(b.Svc.CreateDoctor(ctx, "Bruno", ""))(t)
	schedtest.Must(b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: bruno.ID, BranchID: c.Branch.ID,
		Weekly: []scheduling.WeeklyHours{{Weekday: 2, Start: "08:15", End: "09:15"}}}))(t)
	_, err := b.Pool.Exec(ctx, `INSERT INTO examination_doctors VALUES ($1, $2)`, c.Consultation.ID, bruno.ID)
	require.NoError(t, err)
	// Bruno does not do ECGs, so a consultation and an ECG together stay with Ana.
	ecgToo, err := b.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: c.Branch.ID,
		ExaminationIDs: []scheduling.ID{c.Consultation.ID, c.ECG.ID}, From: dateOfDay(5), To: dateOfDay(5)})
	require.NoError(t, err)
	for _, s := range ecgToo {
		require.Equal(t, c.Doctor.ID, s.DoctorID)
	}
	schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, DoctorID: &c.Doctor.ID,
		Start: c.At(5, 9, 30), End: c.At(5, 19, 0), Reason: "t"}))(t)
	slots, err := b.Svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: c.Branch.ID,
		ExaminationIDs: []scheduling.ID{c.Consultation.ID}, From: dateOfDay(5), To: dateOfDay(5)})
	require.NoError(t, err)
	type pick struct {
		at  string
		doc scheduling.ID
	}
	var got []pick
	for _, s := range slots {
		got = append(got, pick{s.Start.Format("15:04"), s.DoctorID})
	}
	require.Equal(t, []pick{{"08:00", c.Doctor.ID}, {"08:15", bruno.ID}, {"08:30", c.Doctor.ID}, {"08:45", bruno.ID},
		{"09:00", c.Doctor.ID}}, got)
}

func dateOfDay(d int) scheduling.Date {
	return scheduling.Date{Year: 2027, Month: time.January, Day: d}
}
