package scheduling

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// attendanceCheckDays is how far ahead weekly attendance at two branches is compared: a year, and a
// week more so that every weekday of the year's last week is seen, whatever clock changes fall in it.
const attendanceCheckDays = 366 + 7

// branchAttendance is a doctor's attendance at one branch in the branch's own local time.
type branchAttendance struct {
	branchID   ID
	name       string
	loc        *time.Location
	weekly     availability.Weekly
	exceptions map[Date][]availability.Span // a present key replaces the weekly hours; empty is a day off
}

func newBranchAttendance(id ID, name string, loc *time.Location) *branchAttendance {
	return &branchAttendance{branchID: id, name: name, loc: loc, exceptions: map[Date][]availability.Span{}}
}

func (a *branchAttendance) spansOn(d Date) []availability.Span {
	if ex, ok := a.exceptions[d]; ok {
		return ex
	}
	return a.weekly[isoWeekday(d)]
}

// attended is one interval of attendance as a real instant range, with the local day it belongs to.
type attended struct {
	availability.Interval
	day Date
}

// intervals is the attendance on the given local days as real time, in time order.
func (a *branchAttendance) intervals(days []Date) []attended {
	var out []attended
	for _, d := range days {
		for _, iv := range availability.LocalSpans(a.loc, d, a.spansOn(d)) {
			out = append(out, attended{iv, d})
		}
	}
	slices.SortFunc(out, func(x, y attended) int { return x.Start.Compare(y.Start) })
	return out
}

func isoWeekday(d Date) int {
	wd := int(midnight(d, time.UTC).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// checkDays lists the local days on which two branches' attendance is compared: the coming year, and
// the days around every dated exception of either, however far ahead. Two days either side cover any
// two zones (their local days can be 26 hours apart).
func checkDays(today Date, branches ...*branchAttendance) []Date {
	set := map[Date]bool{}
	for i := -2; i < attendanceCheckDays; i++ {
		set[addDays(today, i)] = true
	}
	for _, b := range branches {
		for d := range b.exceptions {
			if daysBetween(today, d) < -2 {
				continue
			}
			for i := -2; i <= 2; i++ {
				set[addDays(d, i)] = true
			}
		}
	}
	out := make([]Date, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	slices.SortFunc(out, func(x, y Date) int { return -daysBetween(x, y) })
	return out
}

// attendanceClash compares the attendance being set with the doctor's attendance at another branch in
// real time (DESIGN 3.1: a doctor is in one place at a time). Local clock times cannot be compared
// across zones, and zones change their clocks on different dates, so both are laid out as instants
// day by day. The first overlap in time is refused with a message naming both local times.
func attendanceClash(today Date, set, other *branchAttendance) error {
	days := checkDays(today, set, other)
	a, b := set.intervals(days), other.intervals(days)
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case !a[i].End.After(b[j].Start):
			i++
		case !b[j].End.After(a[i].Start):
			j++
		default:
			e := rule("attendance_overlap", "the doctor already attends %s on %s from %s (local time there), which overlaps these hours at %s on %s from %s",
				other.name, dateString(b[j].day), clockRange(b[j], other.loc), set.name, dateString(a[i].day), clockRange(a[i], set.loc))
			return e.WithDetails(map[string]any{"branch_id": other.branchID, "date": dateString(b[j].day)})
		}
	}
	return nil
}

// clockRange writes an attended interval as local clock times, "09:00 to 13:00".
func clockRange(iv attended, loc *time.Location) string {
	end := iv.End.In(loc).Format("15:04")
	if DateOf(iv.End.In(loc)) != iv.day {
		end = "24:00"
	}
	return iv.Start.In(loc).Format("15:04") + " to " + end
}

// otherAttendance loads the doctor's attendance at every branch but one (weekly hours, and exceptions
// from the given day on), with each branch's name and zone.
func otherAttendance(ctx context.Context, tx pgx.Tx, doctorID, exceptBranch ID, from Date) ([]*branchAttendance, error) {
	byBranch := map[ID]*branchAttendance{}
	var order []*branchAttendance
	get := func(id ID, name, tz string) (*branchAttendance, error) {
		if a, ok := byBranch[id]; ok {
			return a, nil
		}
		loc, err := LoadLocation(tz)
		if err != nil {
			return nil, fmt.Errorf("branch %d: %w", id, err)
		}
		a := newBranchAttendance(id, name, loc)
		byBranch[id] = a
		order = append(order, a)
		return a, nil
	}
	rows, err := tx.Query(ctx, `
		SELECT b.id, b.name, b.timezone, h.weekday, NULL::date, h.start_minute, h.end_minute
		FROM doctor_hours h JOIN branches b ON b.id = h.branch_id WHERE h.doctor_id = $1 AND h.branch_id <> $2
		UNION ALL
		SELECT b.id, b.name, b.timezone, 0, e.day, e.start_minute, e.end_minute
		FROM doctor_exceptions e JOIN branches b ON b.id = e.branch_id
		WHERE e.doctor_id = $1 AND e.branch_id <> $2 AND e.day >= $3`, doctorID, exceptBranch, dateString(from))
	if err != nil {
		return nil, fmt.Errorf("load other attendance: %w", err)
	}
	var id ID
	var name, tz string
	var weekday int
	var day *time.Time
	var start, end *int
	_, err = pgx.ForEachRow(rows, []any{&id, &name, &tz, &weekday, &day, &start, &end}, func() error {
		a, err := get(id, name, tz)
		if err != nil {
			return err
		}
		if day == nil {
			a.weekly[weekday] = append(a.weekly[weekday], spanOf(*start, *end))
			return nil
		}
		d := DateOf(*day)
		if _, ok := a.exceptions[d]; !ok {
			a.exceptions[d] = []availability.Span{}
		}
		if start != nil {
			a.exceptions[d] = append(a.exceptions[d], spanOf(*start, *end))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load other attendance: %w", err)
	}
	return order, nil
}
