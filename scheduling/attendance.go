package scheduling

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// AttendanceException changes one day's attendance: Off, or other hours (several entries for one date
// give several intervals).
type AttendanceException struct {
	Date  string `json:"date"`
	Off   bool   `json:"off,omitempty"`
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Attendance is when a doctor works at one branch: weekly intervals plus dated exceptions.
type Attendance struct {
	DoctorID   ID                    `json:"doctor_id"`
	BranchID   ID                    `json:"branch_id"`
	Weekly     []WeeklyHours         `json:"weekly"`
	Exceptions []AttendanceException `json:"exceptions"`
}

type exceptionRow struct {
	day   Date
	start *int
	end   *int
}

func parseExceptions(in []AttendanceException) ([]exceptionRow, error) {
	if err := checkListLength("exceptions", len(in), MaxScheduleEntries); err != nil {
		return nil, err
	}
	out := make([]exceptionRow, 0, len(in))
	for i, e := range in {
		field := fmt.Sprintf("exceptions[%d]", i)
		day, err := ParseDate(e.Date)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		if e.Off {
			if e.Start != "" || e.End != "" {
				return nil, rule("invalid_exception", "%s: a day off has no start or end", field)
			}
			out = append(out, exceptionRow{day: day})
			continue
		}
		sp, err := parseSpan(e.Start, e.End, field)
		if err != nil {
			return nil, err
		}
		out = append(out, exceptionRow{day: day, start: &sp.Start, end: &sp.End})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.day != b.day {
			return daysBetween(a.day, b.day) > 0
		}
		return a.start == nil || (b.start != nil && *a.start < *b.start)
	})
	for i := 1; i < len(out); i++ {
		a, b := out[i-1], out[i]
		if a.day == b.day && (a.start == nil || b.start == nil || *b.start < *a.end) {
			return nil, rule("overlapping_hours", "exceptions on %s overlap (a day off cannot have hours too)", dateString(a.day))
		}
	}
	return out, nil
}

// SetAttendance replaces a doctor's weekly attendance and exceptions at one branch. A doctor is in one
// place at a time: hours that overlap, in real time, the doctor's hours at another branch are refused.
// Branches may be in different zones that change their clocks on different dates, so the comparison
// is made in instants, day by day over the coming year and on every dated exception; it runs with the
// doctor's row locked, so two changes of one doctor's attendance cannot both pass it.
func (s *Service) SetAttendance(ctx context.Context, a Attendance) (*Attendance, error) {
	if a.BranchID == 0 {
		return nil, rule("missing_branch", "branch_id is required")
	}
	weekly, err := parseWeekly(a.Weekly, "weekly")
	if err != nil {
		return nil, err
	}
	exceptions, err := parseExceptions(a.Exceptions)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var doctorOK bool
		var branchName, branchZone *string
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM doctors WHERE id = $1 FOR UPDATE),
			(SELECT name FROM branches WHERE id = $2), (SELECT timezone FROM branches WHERE id = $2)`,
			a.DoctorID, a.BranchID).Scan(&doctorOK, &branchName, &branchZone); err != nil {
			return fmt.Errorf("check doctor and branch: %w", err)
		}
		if !doctorOK {
			return notFound("doctor", a.DoctorID)
		}
		if branchName == nil {
			return notFound("branch", a.BranchID)
		}
		loc, err := LoadLocation(*branchZone)
		if err != nil {
			return fmt.Errorf("branch %d: %w", a.BranchID, err)
		}
		if err := s.checkAttendance(ctx, tx, a, newAttendance(a.BranchID, *branchName, loc, weekly, exceptions)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM doctor_hours WHERE doctor_id = $1 AND branch_id = $2`, a.DoctorID, a.BranchID); err != nil {
			return fmt.Errorf("clear attendance: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM doctor_exceptions WHERE doctor_id = $1 AND branch_id = $2`, a.DoctorID, a.BranchID); err != nil {
			return fmt.Errorf("clear exceptions: %w", err)
		}
		if err := insertWeekly(ctx, tx, "doctor_hours", []string{"doctor_id", "branch_id"}, []any{a.DoctorID, a.BranchID}, weekly); err != nil {
			return err
		}
		return insertExceptions(ctx, tx, a.DoctorID, a.BranchID, exceptions)
	})
	if err != nil {
		return nil, err
	}
	return s.GetAttendance(ctx, a.DoctorID, a.BranchID)
}

// newAttendance is the attendance being set, in the form the overlap check compares.
func newAttendance(branchID ID, name string, loc *time.Location, weekly []weeklySpan, exceptions []exceptionRow) *branchAttendance {
	a := newBranchAttendance(branchID, name, loc)
	for _, w := range weekly {
		a.weekly[w.weekday] = append(a.weekly[w.weekday], w.span)
	}
	for _, e := range exceptions {
		if _, ok := a.exceptions[e.day]; !ok {
			a.exceptions[e.day] = []availability.Span{}
		}
		if e.start != nil {
			a.exceptions[e.day] = append(a.exceptions[e.day], spanOf(*e.start, *e.end))
		}
	}
	return a
}

// checkAttendance refuses attendance that overlaps the doctor's attendance at any other branch.
func (s *Service) checkAttendance(ctx context.Context, tx pgx.Tx, a Attendance, set *branchAttendance) error {
	today := DateOf(s.now().UTC())
	others, err := otherAttendance(ctx, tx, a.DoctorID, a.BranchID, addDays(today, -2))
	if err != nil {
		return err
	}
	for _, other := range others {
		if err := attendanceClash(today, set, other); err != nil {
			return err
		}
	}
	return nil
}

// insertExceptions writes a doctor's dated exceptions at a branch in one statement.
func insertExceptions(ctx context.Context, tx pgx.Tx, doctorID, branchID ID, exceptions []exceptionRow) error {
	if len(exceptions) == 0 {
		return nil
	}
	days, starts, ends := make([]string, len(exceptions)), make([]*int, len(exceptions)), make([]*int, len(exceptions))
	for i, e := range exceptions {
		days[i], starts[i], ends[i] = dateString(e.day), e.start, e.end
	}
	_, err := tx.Exec(ctx, `INSERT INTO doctor_exceptions (doctor_id, branch_id, day, start_minute, end_minute)
		SELECT $1, $2, d, s, e FROM unnest($3::date[], $4::smallint[], $5::smallint[]) AS x(d, s, e)`,
		doctorID, branchID, days, starts, ends)
	if err != nil {
		return fmt.Errorf("insert exceptions: %w", err)
	}
	return nil
}

// GetAttendance returns a doctor's attendance at one branch.
func (s *Service) GetAttendance(ctx context.Context, doctorID, branchID ID) (*Attendance, error) {
	if _, err := s.GetDoctor(ctx, doctorID); err != nil {
		return nil, err
	}
	if _, err := s.GetBranch(ctx, branchID); err != nil {
		return nil, err
	}
	a := Attendance{DoctorID: doctorID, BranchID: branchID, Weekly: []WeeklyHours{}, Exceptions: []AttendanceException{}}
	rows, err := s.db.Query(ctx, `SELECT weekday, start_minute, end_minute FROM doctor_hours
		WHERE doctor_id = $1 AND branch_id = $2 ORDER BY weekday, start_minute`, doctorID, branchID)
	if err != nil {
		return nil, fmt.Errorf("load attendance: %w", err)
	}
	spans, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (weeklySpan, error) {
		var w weeklySpan
		return w, row.Scan(&w.weekday, &w.span.Start, &w.span.End)
	})
	if err != nil {
		return nil, fmt.Errorf("load attendance: %w", err)
	}
	a.Weekly = fromWeekly(spans)
	rows, err = s.db.Query(ctx, `SELECT to_char(day, 'YYYY-MM-DD'), start_minute, end_minute FROM doctor_exceptions
		WHERE doctor_id = $1 AND branch_id = $2 ORDER BY day, start_minute`, doctorID, branchID)
	if err != nil {
		return nil, fmt.Errorf("load exceptions: %w", err)
	}
	a.Exceptions, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (AttendanceException, error) {
		var e AttendanceException
		var st, en *int
		if err := row.Scan(&e.Date, &st, &en); err != nil {
			return e, err
		}
		if st == nil {
			e.Off = true
		} else {
			e.Start, e.End = formatClock(*st), formatClock(*en)
		}
		return e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("load exceptions: %w", err)
	}
	return &a, nil
}
