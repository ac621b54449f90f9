package scheduling

import (
	"fmt"
	"sort"
	"time"

	"clinic/scheduling/availability"
)

// WeeklyHours is one recurring interval of local time, as the API writes it: ISO weekday, "HH:MM".
type WeeklyHours struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

type weeklySpan struct {
	weekday int
	span    availability.Span
}

// parseClock reads "HH:MM" as minutes from midnight; "24:00" is allowed as an end.
func parseClock(s string, isEnd bool) (int, error) {
	bad := fmt.Errorf("%q is not a time of day (HH:MM)", s)
	if len(s) != 5 || s[2] != ':' {
		return 0, bad
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && (m != 0 || !isEnd)) {
		return 0, bad
	}
	return h*60 + m, nil
}

func formatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func parseSpan(start, end, field string) (availability.Span, error) {
	a, err := parseClock(start, false)
	if err != nil {
		return availability.Span{}, invalid("invalid_time", "%s: %v", field, err)
	}
	b, err := parseClock(end, true)
	if err != nil {
		return availability.Span{}, invalid("invalid_time", "%s: %v", field, err)
	}
	if b <= a {
		return availability.Span{}, rule("end_before_start", "%s: end %s is not after start %s", field, end, start)
	}
	return availability.Span{Start: a, End: b}, nil
}

// MaxScheduleEntries caps the intervals of one weekly list (branch hours, attendance, service
// windows) and the dated exceptions of one attendance: far more than any real week or year of
// changes, small enough that a request stays cheap.
const MaxScheduleEntries = 200

// checkListLength refuses a list longer than max with a message naming the field.
func checkListLength(field string, n, max int) error {
	if n > max {
		return rule("list_too_long", "%s has %d entries; at most %d are allowed", field, n, max)
	}
	return nil
}

// parseWeekly validates a list of weekly intervals: at most MaxScheduleEntries, weekdays 1–7, valid
// times, end after start, and no two intervals of one weekday overlapping.
func parseWeekly(hours []WeeklyHours, field string) ([]weeklySpan, error) {
	if err := checkListLength(field, len(hours), MaxScheduleEntries); err != nil {
		return nil, err
	}
	out := make([]weeklySpan, 0, len(hours))
	for i, h := range hours {
		name := fmt.Sprintf("%s[%d]", field, i)
		if h.Weekday < 1 || h.Weekday > 7 {
			return nil, invalid("invalid_weekday", "%s: weekday must be 1 (Monday) to 7 (Sunday), got %d", name, h.Weekday)
		}
		sp, err := parseSpan(h.Start, h.End, name)
		if err != nil {
			return nil, err
		}
		out = append(out, weeklySpan{h.Weekday, sp})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].weekday != out[j].weekday {
			return out[i].weekday < out[j].weekday
		}
		return out[i].span.Start < out[j].span.Start
	})
	for i := 1; i < len(out); i++ {
		if out[i].weekday == out[i-1].weekday && out[i].span.Start < out[i-1].span.End {
			return nil, rule("overlapping_hours", "%s: intervals on weekday %d overlap", field, out[i].weekday)
		}
	}
	return out, nil
}

// weeklyColumns turns the weekday, start and end arrays a query aggregates (validated when stored)
// into both the API's form and the engine's, so neither is derived from the other later.
func weeklyColumns(wd, st, en []int) ([]WeeklyHours, availability.Weekly) {
	var w availability.Weekly
	spans := make([]weeklySpan, len(wd))
	for i := range wd {
		spans[i] = weeklySpan{wd[i], availability.Span{Start: st[i], End: en[i]}}
		w[wd[i]] = append(w[wd[i]], spans[i].span)
	}
	return fromWeekly(spans), w
}

func fromWeekly(spans []weeklySpan) []WeeklyHours {
	out := make([]WeeklyHours, len(spans))
	for i, s := range spans {
		out[i] = WeeklyHours{Weekday: s.weekday, Start: formatClock(s.span.Start), End: formatClock(s.span.End)}
	}
	return out
}

// Date is a calendar day, written "YYYY-MM-DD".
type Date = availability.Date

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, invalid("invalid_date", "%q is not a date (YYYY-MM-DD)", s)
	}
	if err := checkYear(t, "date "+s); err != nil {
		return Date{}, err
	}
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// DateOf is the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

func dateString(d Date) string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// midnight is the start of d in loc; AddDate normalises out-of-range days.
func midnight(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func addDays(d Date, n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

func daysBetween(a, b Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// checkYear keeps dates and times within the years a clinic calendar can mean (and PostgreSQL and Go
// agree on), so an absurd year is a clear 422 rather than an overflow deeper down.
func checkYear(t time.Time, what string) error {
	if y := t.UTC().Year(); y < 1900 || y > 2200 {
		return rule("out_of_range", "%s is outside the years 1900–2200", what)
	}
	return nil
}
