// Package demo builds a demo clinic through the scheduling service, so every rule applies to it:
// two branches in different time zones, rooms, four doctors, a dozen examinations, a holiday and a
// week of bookings.
package demo

import (
	"context"
	"fmt"
	"time"

	"clinic/scheduling"
)

// Summary counts what Load created.
type Summary struct {
	Branches, Rooms, Doctors, Examinations, Patients, Sessions int
}

func (s Summary) String() string {
	return fmt.Sprintf("%d branches, %d rooms, %d doctors, %d examinations, %d patients, %d sessions",
		s.Branches, s.Rooms, s.Doctors, s.Examinations, s.Patients, s.Sessions)
}

type builder struct {
	ctx context.Context
	svc *scheduling.Service
	sum Summary
	err error
}

// Load creates the demo clinic as of now.
func Load(ctx context.Context, svc *scheduling.Service, now time.Time) (Summary, error) {
	b := &builder{ctx: ctx, svc: svc}
	lisbon := b.branch(scheduling.BranchInput{Name: "Lisbon Centre", Timezone: "Europe/Lisbon", Currency: "EUR",
		TaxRateBP: ptr(2300), SlotIntervalMinutes: ptr(15), Hours: concat(
			week(1, 4, "08:00", "13:00"), week(1, 4, "14:00", "19:00"),
			week(5, 5, "08:00", "13:00"), week(5, 5, "14:00", "16:00"), week(6, 6, "09:00", "13:00"))})
	ny := b.branch(scheduling.BranchInput{Name: "New York Midtown", Timezone: "America/New_York", Currency: "USD",
		TaxRateBP: ptr(888), Hours: concat(week(1, 5, "08:00", "12:30"), week(1, 5, "13:30", "18:00"))})
	if b.err != nil {
		return b.sum, b.err
	}
	imaging := b.room(lisbon, "Imaging")
	b.room(lisbon, "Room 1")
	b.room(lisbon, "Room 2")
	b.room(ny, "Exam A")
	b.room(ny, "Exam B")

	ana := b.doctor("Ana Ferreira", "General practice")
	bruno := b.doctor("Bruno Costa", "Cardiology")
	claire := b.doctor("Claire Dubois", "Dermatology")
	david := b.doctor("David Kim", "Pediatrics")
	// Bruno works in Lisbon on Monday, Wednesday and Friday and in New York on Tuesday and Thursday,
	// and is on leave all of next week.
	leave := nextWeek(now)
	b.attend(ana, lisbon, concat(week(1, 5, "08:00", "19:00"), week(6, 6, "09:00", "13:00")), nil)
	b.attend(bruno, lisbon, concat(week(1, 1, "08:00", "19:00"), week(3, 3, "08:00", "19:00"), week(5, 5, "08:00", "16:00")), leave)
	b.attend(bruno, ny, concat(week(2, 2, "08:00", "18:00"), week(4, 4, "08:00", "18:00")), leave)
	b.attend(claire, ny, week(1, 5, "09:00", "17:00"), nil)
	b.attend(david, ny, week(1, 5, "08:00", "12:30"), nil)

	both := []scheduling.ID{lisbon, ny}
	gp := b.exam("GP01", "General consultation", 6000, 30, false, both, []scheduling.ID{ana, david}, nil, false)
	blood := b.exam("LAB01", "Blood draw", 1500, 10, false, both, []scheduling.ID{ana, david, bruno},
		week(1, 6, "07:00", "10:00"), false)
	ecg := b.exam("CAR01", "Electrocardiogram (ECG)", 4500, 20, false, both, []scheduling.ID{bruno}, nil, true)
	b.exam("CAR02", "Echocardiogram", 12000, 40, false, []scheduling.ID{lisbon}, []scheduling.ID{bruno}, nil, true, imaging)
	cardio := b.exam("CAR03", "Cardiology consultation", 9000, 30, false, both, []scheduling.ID{bruno}, nil, false)
	derm := b.exam("DER01", "Dermatology consultation", 8000, 20, false, []scheduling.ID{ny}, []scheduling.ID{claire}, nil, false)
	b.exam("DER02", "Mole mapping", 15000, 30, false, []scheduling.ID{ny}, []scheduling.ID{claire}, nil, true)
	ped := b.exam("PED01", "Pediatric check-up", 7000, 30, false, []scheduling.ID{ny}, []scheduling.ID{david}, nil, false)
	b.exam("VAC01", "Vaccination", 2500, 10, true, both, []scheduling.ID{ana, david}, nil, false)
	b.exam("IMG01", "Abdominal ultrasound", 9500, 30, false, []scheduling.ID{lisbon}, []scheduling.ID{ana}, nil, true, imaging)
	b.exam("RES01", "Spirometry", 5000, 20, false, both, []scheduling.ID{ana, bruno}, nil, true)
	b.exam("CER01", "Medical certificate", 3000, 15, true, both, []scheduling.ID{ana, david, claire}, nil, false)

	// A public holiday closes Lisbon on the coming Thursday.
	lis, _ := time.LoadLocation("Europe/Lisbon")
	holiday := nextWeekday(now.In(lis), time.Thursday)
	b.block(scheduling.BlockInput{BranchID: lisbon, Start: holiday, End: holiday.AddDate(0, 0, 1), Reason: "Public holiday"})

	patients := b.patients()
	bookings := []struct {
		branch, doctor scheduling.ID
		exams          []scheduling.ID
	}{
		{lisbon, ana, []scheduling.ID{gp}}, {lisbon, ana, []scheduling.ID{blood, gp}}, {lisbon, bruno, []scheduling.ID{cardio, ecg}},
		{ny, claire, []scheduling.ID{derm}}, {ny, david, []scheduling.ID{ped}}, {ny, bruno, []scheduling.ID{cardio}},
	}
	from := now // today (what is left of it) and the six days after
	p := 0
	for _, bk := range bookings {
		if b.err != nil {
			break
		}
		slots, err := svc.Availability(ctx, scheduling.AvailabilityQuery{BranchID: bk.branch, DoctorID: bk.doctor,
			ExaminationIDs: bk.exams, From: scheduling.DateOf(from), To: scheduling.DateOf(from.AddDate(0, 0, 6))})
		if err != nil {
			return b.sum, err
		}
		// Every fourth free slot, so the week looks busy but still has room.
		for i := 0; i < len(slots) && i < 4*12; i += 4 {
			b.book(scheduling.BookingInput{PatientID: patients[p%len(patients)], BranchID: bk.branch, DoctorID: bk.doctor,
				ExaminationIDs: bk.exams, Start: slots[i].Start, RoomID: slots[i].RoomID})
			p++
		}
	}
	return b.sum, b.err
}
