// Package schedtest builds scheduling fixtures for tests: a service on a fresh database with a fixed
// clock, and a small clinic to book into.
package schedtest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
)

// Now is the fixed clock of the fixtures: Monday 4 January 2027, 06:00 UTC (06:00 in Lisbon).
var Now = time.Date(2027, 1, 4, 6, 0, 0, 0, time.UTC)

// Clinic is a branch in Lisbon open Monday to Saturday 08:00–13:00 and 14:00–19:00 with two rooms, a
// doctor attending all of it, a 30-minute consultation, a 20-minute ECG that needs a room, and a patient.
type Clinic struct {
	Branch       *scheduling.Branch
	Loc          *time.Location
	Rooms        []scheduling.ID
	Doctor       *scheduling.Doctor
	Consultation *scheduling.Examination
	ECG          *scheduling.Examination
	Patient      *scheduling.Patient
}

// Bundle is a service on its own database.
type Bundle struct {
	Pool *pgxpool.Pool
	Svc  *scheduling.Service
	// Clock is what the service sees as now; tests may move it while nothing runs in the background,
	// and with SetClock while something does.
	Clock   *time.Time
	clockMu *sync.RWMutex
}

// SetClock moves the clock safely while other goroutines read it through the service (job workers).
func (b *Bundle) SetClock(at time.Time) {
	b.clockMu.Lock()
	defer b.clockMu.Unlock()
	*b.Clock = at
}

// New returns a service on a fresh database with the clock at Now.
func New(t testing.TB) *Bundle {
	t.Helper()
	return NewWith(t, scheduling.Config{})
}

// NewWith is New with a configuration, e.g. listeners of session changes.
func NewWith(t testing.TB, cfg scheduling.Config) *Bundle {
	t.Helper()
	pool := dbtest.NewPool(t)
	b := &Bundle{Pool: pool, clockMu: &sync.RWMutex{}}
	clock := Now
	b.Clock = &clock
	b.Svc = scheduling.NewService(pool, slog.New(slog.DiscardHandler), func() time.Time {
		b.clockMu.RLock()
		defer b.clockMu.RUnlock()
		return *b.Clock
	}, cfg)
	return b
}

// Must returns v, failing the test given to the returned function when err is set:
// Must(svc.CreateDoctor(ctx, "A", ""))(t).
func Must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
		return v
	}
}

// Hours is Monday to Saturday 08:00–13:00 and 14:00–19:00.
func Hours() []scheduling.WeeklyHours {
	var h []scheduling.WeeklyHours
	for d := 1; d <= 6; d++ {
		h = append(h, scheduling.WeeklyHours{Weekday: d, Start: "08:00", End: "13:00"},
			scheduling.WeeklyHours{Weekday: d, Start: "14:00", End: "19:00"})
	}
	return h
}

// NewClinic creates the standard clinic.
func NewClinic(t testing.TB, svc *scheduling.Service) *Clinic {
	t.Helper()
	ctx := context.Background()
	zero, thirty, twenty, no := 0, 30, 20, false
	c := &Clinic{}
	c.Branch = Must(svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Lisbon", Timezone: "Europe/Lisbon",
		Currency: "EUR", TaxRateBP: &zero, Hours: Hours()}))(t)
	c.Loc, _ = time.LoadLocation("Europe/Lisbon")
	for _, name := range []string{"Room 1", "Room 2"} {
		c.Rooms = append(c.Rooms, Must(svc.CreateRoom(ctx, c.Branch.ID, name))(t).ID)
	}
	c.Doctor = Must(svc.CreateDoctor(ctx, "Ana Ferreira", "General practice"))(t)
	Must(svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: c.Doctor.ID, BranchID: c.Branch.ID, Weekly: Hours()}))(t)
	price := int64(6000)
	c.Consultation = Must(svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "GP", Name: "Consultation",
		Price: &price, DurationMinutes: &thirty, Taxable: &no, BranchIDs: []scheduling.ID{c.Branch.ID},
		DoctorIDs: []scheduling.ID{c.Doctor.ID}}))(t)
	c.ECG = Must(svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "ECG", Name: "ECG",
		Price: &price, DurationMinutes: &twenty, Taxable: &no, NeedsRoom: true, BranchIDs: []scheduling.ID{c.Branch.ID},
		DoctorIDs: []scheduling.ID{c.Doctor.ID}}))(t)
	c.Patient = Must(svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Maria Silva", Phone: "+351912345671"}))(t)
	return c
}

// At is a local time in the clinic's zone on the given day of January 2027.
func (c *Clinic) At(day, hour, minute int) time.Time {
	return time.Date(2027, 1, day, hour, minute, 0, 0, c.Loc)
}

// Booking is a booking of the consultation for the clinic's patient at start.
func (c *Clinic) Booking(start time.Time, exams ...scheduling.ID) scheduling.BookingInput {
	if len(exams) == 0 {
		exams = []scheduling.ID{c.Consultation.ID}
	}
	return scheduling.BookingInput{PatientID: c.Patient.ID, BranchID: c.Branch.ID, DoctorID: c.Doctor.ID,
		ExaminationIDs: exams, Start: start}
}

// AddDoctor adds a doctor who attends the clinic's branch during its opening hours.
func (c *Clinic) AddDoctor(t testing.TB, svc *scheduling.Service, name string) *scheduling.Doctor {
	t.Helper()
	ctx := context.Background()
	d := Must(svc.CreateDoctor(ctx, name, ""))(t)
	Must(svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: d.ID, BranchID: c.Branch.ID, Weekly: Hours()}))(t)
	return d
}

// AddExamination adds a 30-minute examination at the clinic's branch, performed by doctors.
func (c *Clinic) AddExamination(t testing.TB, svc *scheduling.Service, code string, needsRoom bool, doctors ...scheduling.ID) *scheduling.Examination {
	t.Helper()
	thirty, price, no := 30, int64(5000), false
	return Must(svc.CreateExamination(context.Background(), scheduling.ExaminationInput{Code: code, Name: code,
		Price: &price, DurationMinutes: &thirty, Taxable: &no, NeedsRoom: needsRoom,
		BranchIDs: []scheduling.ID{c.Branch.ID}, DoctorIDs: doctors}))(t)
}

// AddPatient registers the i-th extra patient (a patient is never in two overlapping sessions, so
// tests that book one time twice need others).
func (c *Clinic) AddPatient(t testing.TB, svc *scheduling.Service, i int) *scheduling.Patient {
	t.Helper()
	phone := fmt.Sprintf("+3519123457%02d", i)
	return Must(svc.CreatePatient(context.Background(), scheduling.PatientInput{Name: "Patient " + phone, Phone: phone}))(t)
}
