package demo

import (
	"fmt"
	"strconv"
	"time"

	"clinic/scheduling"
)

// plan is a kind of visit the demo books: a doctor at a branch for some examinations. A walk-in plan
// (no room, no service window) also fills the hours of today that have already passed.
type plan struct {
	branch, doctor scheduling.ID
	exams          []scheduling.ID
	walkIn         bool
}

// perDay is how many visits of one plan a day gets: a busy week that still has room.
const perDay = 2

// bookWeek books today and the six days after, each day in each branch's own calendar, and gives
// today's visits the statuses a front desk would see at this hour.
func (b *builder) bookWeek(plans []plan) {
	var upcoming []scheduling.ID // today's visits still to come, in booking order
	for _, p := range plans {
		if p.walkIn {
			b.earlierToday(p)
		}
	}
	for day := range 7 {
		for _, p := range plans {
			ids := b.bookDay(p, day)
			if day == 0 {
				upcoming = append(upcoming, ids...)
			}
		}
	}
	// The first of today's coming patients has arrived; the second called to cancel.
	if len(upcoming) > 0 && b.err == nil {
		_, b.err = b.svc.CheckIn(b.ctx, "seed", upcoming[0])
	}
	if len(upcoming) > 1 && b.err == nil {
		_, b.err = b.svc.Cancel(b.ctx, "seed", upcoming[1], "Scheduling conflict")
	}
}

// bookDay books up to perDay of the plan's free slots on the branch's local day today+day, spread
// over the day, each for a patient who is free then.
func (b *builder) bookDay(p plan, day int) []scheduling.ID {
	if b.err != nil {
		return nil
	}
	date := scheduling.DateOf(b.now.In(b.zones[p.branch]).AddDate(0, 0, day))
	slots, err := b.svc.Availability(b.ctx, scheduling.AvailabilityQuery{BranchID: p.branch, DoctorID: p.doctor,
		ExaminationIDs: p.exams, From: date, To: date})
	if err != nil {
		b.err = err
		return nil
	}
	var ids []scheduling.ID
	var taken time.Time // the end of the last visit booked here: the slots were all free before it
	step := max(1, len(slots)/perDay)
	for i := step / 2; i < len(slots) && len(ids) < perDay; i++ {
		if slots[i].Start.Before(taken) {
			continue
		}
		if id := b.book(p, slots[i].Start, slots[i].RoomID); id != 0 {
			ids = append(ids, id)
			taken = slots[i].End
			i += step - 1
		}
	}
	return ids
}

// earlierToday books the plan's visits in today's hours that have already begun: those over are
// recorded as seen (a back-dated visit is completed at once), and one running now is with the doctor.
func (b *builder) earlierToday(p plan) {
	loc := b.zones[p.branch]
	now := b.now.In(loc)
	weekday := int(now.Weekday())
	if weekday == 0 {
		weekday = 7
	}
	minutes := b.duration(p)
	open := intersect(spansOn(b.hours[p.branch], weekday), spansOn(b.attendance[[2]scheduling.ID{p.doctor, p.branch}], weekday))
	for _, sp := range open {
		// Every other slot, so the morning looked busy but not full.
		for m := sp[0]; m+minutes <= sp[1]; m += 2 * minutes {
			start := time.Date(now.Year(), now.Month(), now.Day(), m/60, m%60, 0, 0, loc)
			if !start.Before(b.now) || b.err != nil {
				return
			}
			id := b.book(p, start, nil)
			if id != 0 && start.Add(time.Duration(minutes)*time.Minute).After(b.now) && b.err == nil {
				_, b.err = b.svc.Open(b.ctx, "seed", id)
			}
		}
	}
}

// book books the plan at start for the branch's patient who is free then and has had the fewest
// visits so far; it returns 0 when every patient is busy.
func (b *builder) book(p plan, start time.Time, room *scheduling.ID) scheduling.ID {
	if b.err != nil {
		return 0
	}
	at := span{start, start.Add(time.Duration(b.duration(p)) * time.Minute)}
	var patient scheduling.ID
	for _, id := range b.people[p.branch] {
		if b.free(id, at) && (patient == 0 || b.visits[id] < b.visits[patient]) {
			patient = id
		}
	}
	if patient == 0 {
		return 0
	}
	s, err := b.svc.Book(b.ctx, "seed", scheduling.BookingInput{PatientID: patient, BranchID: p.branch, DoctorID: p.doctor,
		ExaminationIDs: p.exams, Start: start, RoomID: room})
	if err != nil {
		b.err = fmt.Errorf("booking doctor %d at %s: %w", p.doctor, start.Format(time.RFC3339), err)
		return 0
	}
	b.booked[patient] = append(b.booked[patient], at)
	b.visits[patient]++
	b.sum.Sessions++
	return s.ID
}

// free reports whether the patient has no visit overlapping at.
func (b *builder) free(patient scheduling.ID, at span) bool {
	for _, s := range b.booked[patient] {
		if s.start.Before(at.end) && at.start.Before(s.end) {
			return false
		}
	}
	return true
}

func (b *builder) duration(p plan) int {
	total := 0
	for _, e := range p.exams {
		total += b.minutes[e]
	}
	return total
}

// spansOn is the intervals of one weekday as minutes from midnight, in the order given.
func spansOn(hours []scheduling.WeeklyHours, weekday int) [][2]int {
	var out [][2]int
	for _, h := range hours {
		if h.Weekday == weekday {
			out = append(out, [2]int{clock(h.Start), clock(h.End)})
		}
	}
	return out
}

// clock reads "HH:MM" as minutes from midnight; the demo's own hours are always well formed.
func clock(s string) int {
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*60 + m
}

// intersect is the time both lists of intervals cover.
func intersect(a, b [][2]int) [][2]int {
	var out [][2]int
	for _, x := range a {
		for _, y := range b {
			if lo, hi := max(x[0], y[0]), min(x[1], y[1]); lo < hi {
				out = append(out, [2]int{lo, hi})
			}
		}
	}
	return out
}
