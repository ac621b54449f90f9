package demo

import (
	"context"
	"fmt"
	"time"

	"clinic/scheduling"
)

// builder creates the demo through the service, stops at the first error, and remembers what the
// week's bookings need: each branch's zone and hours, each doctor's attendance, the examinations'
// durations, and every patient's booked time.
type builder struct {
	ctx context.Context
	svc *scheduling.Service
	now time.Time
	sum Summary
	err error

	zones      map[scheduling.ID]*time.Location
	hours      map[scheduling.ID][]scheduling.WeeklyHours
	attendance map[[2]scheduling.ID][]scheduling.WeeklyHours // by doctor, branch
	minutes    map[scheduling.ID]int
	people     map[scheduling.ID][]scheduling.ID // patients by branch
	booked     map[scheduling.ID][]span          // patient's booked time
	visits     map[scheduling.ID]int
}

type span struct{ start, end time.Time }

func newBuilder(ctx context.Context, svc *scheduling.Service, now time.Time) *builder {
	return &builder{ctx: ctx, svc: svc, now: now, zones: map[scheduling.ID]*time.Location{},
		hours: map[scheduling.ID][]scheduling.WeeklyHours{}, attendance: map[[2]scheduling.ID][]scheduling.WeeklyHours{},
		minutes: map[scheduling.ID]int{}, people: map[scheduling.ID][]scheduling.ID{},
		booked: map[scheduling.ID][]span{}, visits: map[scheduling.ID]int{}}
}

func (b *builder) branch(in scheduling.BranchInput) scheduling.ID {
	if b.err != nil {
		return 0
	}
	br, err := b.svc.CreateBranch(b.ctx, in)
	if err != nil {
		b.err = fmt.Errorf("branch %s: %w", in.Name, err)
		return 0
	}
	b.zones[br.ID], _ = scheduling.LoadLocation(br.Timezone)
	b.hours[br.ID] = in.Hours
	b.sum.Branches++
	return br.ID
}

func (b *builder) room(branch scheduling.ID, name string) scheduling.ID {
	if b.err != nil {
		return 0
	}
	r, err := b.svc.CreateRoom(b.ctx, branch, name)
	if err != nil {
		b.err = fmt.Errorf("room %s: %w", name, err)
		return 0
	}
	b.sum.Rooms++
	return r.ID
}

func (b *builder) doctor(name, specialty string) scheduling.ID {
	if b.err != nil {
		return 0
	}
	d, err := b.svc.CreateDoctor(b.ctx, name, specialty)
	if err != nil {
		b.err = fmt.Errorf("doctor %s: %w", name, err)
		return 0
	}
	b.sum.Doctors++
	return d.ID
}

func (b *builder) attend(doctor, branch scheduling.ID, weekly []scheduling.WeeklyHours, off []string) {
	if b.err != nil {
		return
	}
	a := scheduling.Attendance{DoctorID: doctor, BranchID: branch, Weekly: weekly}
	for _, d := range off {
		a.Exceptions = append(a.Exceptions, scheduling.AttendanceException{Date: d, Off: true})
	}
	if _, err := b.svc.SetAttendance(b.ctx, a); err != nil {
		b.err = fmt.Errorf("attendance of doctor %d: %w", doctor, err)
		return
	}
	b.attendance[[2]scheduling.ID{doctor, branch}] = weekly
}

// exam is an examination of the demo catalog.
type exam struct {
	code, name string
	price      int64
	prices     []scheduling.PriceInput
	minutes    int
	taxable    bool
	branches   []scheduling.ID
	doctors    []scheduling.ID
	windows    []scheduling.WeeklyHours
	needsRoom  bool
	rooms      []scheduling.ID
}

func (b *builder) exam(x exam) scheduling.ID {
	if b.err != nil {
		return 0
	}
	e, err := b.svc.CreateExamination(b.ctx, scheduling.ExaminationInput{Code: x.code, Name: x.name, Price: &x.price,
		Prices: x.prices, DurationMinutes: &x.minutes, Taxable: &x.taxable, NeedsRoom: x.needsRoom, BranchIDs: x.branches,
		DoctorIDs: x.doctors, RoomIDs: x.rooms, Windows: x.windows})
	if err != nil {
		b.err = fmt.Errorf("examination %s: %w", x.code, err)
		return 0
	}
	b.minutes[e.ID] = x.minutes
	b.sum.Examinations++
	return e.ID
}

func (b *builder) block(in scheduling.BlockInput) {
	if b.err != nil {
		return
	}
	if _, err := b.svc.CreateBlock(b.ctx, in); err != nil {
		b.err = fmt.Errorf("block: %w", err)
	}
}

type person struct{ name, phone string }

// patients adds the people who visit a branch.
func (b *builder) patients(branch scheduling.ID, people []person) {
	for _, p := range people {
		if b.err != nil {
			return
		}
		pt, err := b.svc.CreatePatient(b.ctx, scheduling.PatientInput{Name: p.name, Phone: p.phone})
		if err != nil {
			b.err = fmt.Errorf("patient %s: %w", p.name, err)
			return
		}
		b.sum.Patients++
		b.people[branch] = append(b.people[branch], pt.ID)
	}
}

// week repeats one interval on the ISO weekdays from..to.
func week(from, to int, start, end string) []scheduling.WeeklyHours {
	var out []scheduling.WeeklyHours
	for d := from; d <= to; d++ {
		out = append(out, scheduling.WeeklyHours{Weekday: d, Start: start, End: end})
	}
	return out
}

func concat(lists ...[]scheduling.WeeklyHours) []scheduling.WeeklyHours {
	var out []scheduling.WeeklyHours
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// nextWeek lists the dates of next Monday to Sunday.
func nextWeek(now time.Time) []string {
	monday := nextWeekday(now, time.Monday)
	out := make([]string, 7)
	for i := range out {
		out[i] = monday.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out
}

// nextWeekday is local midnight of the first such weekday after now's date.
func nextWeekday(now time.Time, wd time.Weekday) time.Time {
	d := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, now.Location())
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func ptr[T any](v T) *T { return &v }
