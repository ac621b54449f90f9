package console

import (
	"net/url"
	"strconv"
	"time"

	"clinic/scheduling"
)

// Calendar views.
const (
	viewDay   = "day"
	viewWeek  = "week"
	viewRooms = "rooms"
)

// calQuery is what a calendar address names: a branch, a local date and a view, with the
// examination whose free times the day view shows.
type calQuery struct {
	Branch scheduling.ID
	Date   scheduling.Date
	View   string
	Exam   scheduling.ID
}

// url is the calendar's address for q; extra parameters (e.g. a new block's collisions) are added.
func (q calQuery) url(extra url.Values) string {
	v := url.Values{"branch": {q.Branch.String()}, "date": {dateText(q.Date)}, "view": {q.View}}
	if q.Exam != 0 {
		v.Set("exam", q.Exam.String())
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return Prefix + "/calendar?" + v.Encode()
}

// with returns q moved to another date or view.
func (q calQuery) with(d scheduling.Date, view string) calQuery {
	q.Date, q.View = d, view
	return q
}

func dateText(d scheduling.Date) string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// shift is d moved by n days.
func shift(d scheduling.Date, n int) scheduling.Date {
	return scheduling.DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// monday is the Monday of d's week.
func monday(d scheduling.Date) scheduling.Date {
	wd := int(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday())
	return shift(d, -((wd + 6) % 7))
}

// dayFrame is one local day of a branch as real instants: a DST day lasts 23 or 25 hours.
type dayFrame struct {
	Start, End time.Time
	loc        *time.Location
	// wall places items by the wall clock (the week view, whose days share one hour axis) rather
	// than by the minutes since midnight.
	wall bool
}

func frameOf(d scheduling.Date, loc *time.Location, wall bool) dayFrame {
	return dayFrame{Start: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc),
		End: time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, loc), loc: loc, wall: wall}
}

// Minutes is the length of the day drawn.
func (f dayFrame) Minutes() int {
	if f.wall {
		return 24 * 60
	}
	return int(f.End.Sub(f.Start) / time.Minute)
}

// calHour is one hour line of the time axis.
type calHour struct {
	Label string
	Top   int
}

// hours are the day's hour lines, from the zone's actual instants: a spring-forward day skips an
// hour label and an autumn day repeats one.
func (f dayFrame) hours() []calHour {
	var out []calHour
	for t := f.Start; t.Before(f.End); t = t.Add(time.Hour) {
		out = append(out, calHour{Label: t.In(f.loc).Format("15:04"), Top: int(t.Sub(f.Start) / time.Minute)})
	}
	return out
}

// wallHours are the 24 hour lines of the week view.
func wallHours() []calHour {
	out := make([]calHour, 24)
	for h := range out {
		out[h] = calHour{Label: strconv.Itoa(100 + h)[1:] + ":00", Top: h * 60}
	}
	return out
}

// place is where [start, end) falls in the day, in minutes; ok is false when it misses the day.
func (f dayFrame) place(start, end time.Time) (top, length int, ok bool) {
	if start.Before(f.Start) {
		start = f.Start
	}
	if end.After(f.End) {
		end = f.End
	}
	if !end.After(start) {
		return 0, 0, false
	}
	if f.wall {
		s := start.In(f.loc)
		top = s.Hour()*60 + s.Minute()
		length = min(int(end.Sub(start)/time.Minute), 24*60-top)
		return top, max(length, 1), true
	}
	return int(start.Sub(f.Start) / time.Minute), max(int(end.Sub(start)/time.Minute), 1), true
}
