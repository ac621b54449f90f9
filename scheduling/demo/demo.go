// Package demo builds a demo clinic through the scheduling service, so every rule applies to it:
// two branches in different time zones and currencies, rooms, four doctors, a dozen examinations with
// prices in euros and dollars, a holiday, and a realistic week of bookings from the day it is loaded.
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

// Load creates the demo clinic as of now, whatever the weekday and hour: bookings over today and the
// six days after on every day each branch opens, today's earlier visits already seen (and one under
// way when a visit is running now), and never one patient in two places at once.
func Load(ctx context.Context, svc *scheduling.Service, now time.Time) (Summary, error) {
	b := newBuilder(ctx, svc, now)
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

	// Prices are in minor units of each branch's currency: the default is Lisbon's, in euros, and New
	// York has its own, in dollars. Examinations offered in New York only are priced in dollars.
	both := []scheduling.ID{lisbon, ny}
	inNY := func(usd int64) []scheduling.PriceInput { return []scheduling.PriceInput{{BranchID: ny, Price: &usd}} }
	gp := b.exam(exam{"GP01", "General consultation", 6000, inNY(15000), 30, false, both, []scheduling.ID{ana, david}, nil, false, nil})
	blood := b.exam(exam{"LAB01", "Blood draw", 1500, inNY(4500), 10, false, both, []scheduling.ID{ana, david, bruno},
		week(1, 6, "07:00", "10:00"), false, nil})
	ecg := b.exam(exam{"CAR01", "Electrocardiogram (ECG)", 4500, inNY(12000), 20, false, both, []scheduling.ID{bruno}, nil, true, nil})
	b.exam(exam{"CAR02", "Echocardiogram", 12000, nil, 40, false, []scheduling.ID{lisbon}, []scheduling.ID{bruno}, nil, true, []scheduling.ID{imaging}})
	cardio := b.exam(exam{"CAR03", "Cardiology consultation", 9000, inNY(25000), 30, false, both, []scheduling.ID{bruno}, nil, false, nil})
	derm := b.exam(exam{"DER01", "Dermatology consultation", 20000, nil, 20, false, []scheduling.ID{ny}, []scheduling.ID{claire}, nil, false, nil})
	b.exam(exam{"DER02", "Mole mapping", 35000, nil, 30, false, []scheduling.ID{ny}, []scheduling.ID{claire}, nil, true, nil})
	ped := b.exam(exam{"PED01", "Pediatric check-up", 18000, nil, 30, false, []scheduling.ID{ny}, []scheduling.ID{david}, nil, false, nil})
	b.exam(exam{"VAC01", "Vaccination", 2500, inNY(6000), 10, true, both, []scheduling.ID{ana, david}, nil, false, nil})
	b.exam(exam{"IMG01", "Abdominal ultrasound", 9500, nil, 30, false, []scheduling.ID{lisbon}, []scheduling.ID{ana}, nil, true, []scheduling.ID{imaging}})
	b.exam(exam{"RES01", "Spirometry", 5000, inNY(13000), 20, false, both, []scheduling.ID{ana, bruno}, nil, true, nil})
	b.exam(exam{"CER01", "Medical certificate", 3000, inNY(7500), 15, true, both, []scheduling.ID{ana, david, claire}, nil, false, nil})

	// A public holiday closes Lisbon on the coming Thursday.
	lis, err := scheduling.LoadLocation("Europe/Lisbon")
	if err != nil {
		return b.sum, err
	}
	holiday := nextWeekday(now.In(lis), time.Thursday)
	b.block(scheduling.BlockInput{BranchID: lisbon, Start: holiday, End: holiday.AddDate(0, 0, 1), Reason: "Public holiday"})

	b.patients(lisbon, []person{{"Maria Silva", "+351 912 345 671"}, {"João Santos", "+351 912 345 672"},
		{"Inês Oliveira", "+351 936 111 223"}, {"Pedro Almeida", "+351 962 444 001"}, {"Sofia Rodrigues", "+351 913 220 118"},
		{"Tiago Martins", "+351 927 650 432"}, {"Beatriz Costa", "+351 914 208 356"}, {"Rui Pereira", "+351 965 310 774"},
		{"Catarina Lopes", "+351 932 771 045"}, {"Miguel Sousa", "+351 918 442 903"}})
	b.patients(ny, []person{{"Emily Johnson", "+1 212 555 0142"}, {"Michael Brown", "+1 646 555 0187"},
		{"Olivia Garcia", "+1 917 555 0123"}, {"James Miller", "+1 718 555 0166"}, {"Ava Davis", "+1 347 555 0190"},
		{"Noah Wilson", "+1 212 555 0175"}, {"Sophia Martinez", "+1 646 555 0134"}, {"Liam Anderson", "+1 917 555 0158"},
		{"Isabella Thomas", "+1 718 555 0111"}, {"Ethan Moore", "+1 347 555 0129"}})

	// Walk-in visits (no room, no service window) also fill today's earlier hours.
	b.bookWeek([]plan{
		{branch: lisbon, doctor: ana, exams: []scheduling.ID{gp}, walkIn: true},
		{branch: lisbon, doctor: ana, exams: []scheduling.ID{blood, gp}},
		{branch: lisbon, doctor: bruno, exams: []scheduling.ID{cardio, ecg}},
		{branch: ny, doctor: claire, exams: []scheduling.ID{derm}, walkIn: true},
		{branch: ny, doctor: david, exams: []scheduling.ID{ped}, walkIn: true},
		{branch: ny, doctor: bruno, exams: []scheduling.ID{cardio}},
	})
	return b.sum, b.err
}
