package demo

import (
	"fmt"
	"time"

	"clinic/scheduling"
)

func (b *builder) branch(in scheduling.BranchInput) scheduling.ID {
	if b.err != nil {
		return 0
	}
	br, err := b.svc.CreateBranch(b.ctx, in)
	if err != nil {
		b.err = fmt.Errorf("branch %s: %w", in.Name, err)
		return 0
	}
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
	}
}

func (b *builder) exam(code, name string, price int64, minutes int, taxable bool, branches, doctors []scheduling.ID,
	windows []scheduling.WeeklyHours, room bool, rooms ...scheduling.ID) scheduling.ID {
	if b.err != nil {
		return 0
	}
	e, err := b.svc.CreateExamination(b.ctx, scheduling.ExaminationInput{Code: code, Name: name, Price: &price,
		DurationMinutes: &minutes, Taxable: &taxable, NeedsRoom: room, BranchIDs: branches, DoctorIDs: doctors,
		RoomIDs: rooms, Windows: windows})
	if err != nil {
		b.err = fmt.Errorf("examination %s: %w", code, err)
		return 0
	}
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

func (b *builder) patients() []scheduling.ID {
	people := []struct{ name, phone string }{
		{"Maria Silva", "+351 912 345 671"}, {"João Santos", "+351 912 345 672"}, {"Inês Oliveira", "+351 936 111 223"},
		{"Pedro Almeida", "+351 962 444 001"}, {"Sofia Rodrigues", "+351 913 220 118"}, {"Tiago Martins", "+351 927 650 432"},
		{"Emily Johnson", "+1 212 555 0142"}, {"Michael Brown", "+1 646 555 0187"}, {"Olivia Garcia", "+1 917 555 0123"},
		{"James Miller", "+1 718 555 0166"}, {"Ava Davis", "+1 347 555 0190"}, {"Noah Wilson", "+1 212 555 0175"},
	}
	var ids []scheduling.ID
	for _, p := range people {
		if b.err != nil {
			return nil
		}
		pt, err := b.svc.CreatePatient(b.ctx, scheduling.PatientInput{Name: p.name, Phone: p.phone})
		if err != nil {
			b.err = fmt.Errorf("patient %s: %w", p.name, err)
			return nil
		}
		b.sum.Patients++
		ids = append(ids, pt.ID)
	}
	return ids
}

func (b *builder) book(in scheduling.BookingInput) {
	if b.err != nil {
		return
	}
	if _, err := b.svc.Book(b.ctx, "seed", in); err != nil {
		b.err = fmt.Errorf("booking at %s: %w", in.Start.Format(time.RFC3339), err)
		return
	}
	b.sum.Sessions++
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
