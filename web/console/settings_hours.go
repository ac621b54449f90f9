package console

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// weekdayNames are the ISO weekdays, 1 (Monday) to 7 (Sunday), as the hour editors list them.
var weekdayNames = [8]string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// maxDaySpans bounds the start–end pairs one weekday of a form may send.
const maxDaySpans = 12

// spanInput is one start–end pair as typed, "HH:MM" each; N counts the pairs of a day from 1.
type spanInput struct {
	Start, End string
	N          int
}

// weekRow is one weekday of a weekly-hours editor: its intervals in local time (none is a closed day),
// a note beside it (e.g. the branch's opening hours, next to a doctor's), and what is wrong with it.
type weekRow struct {
	Weekday int
	Name    string
	Spans   []spanInput
	Note    string
	Error   string
}

// Closed reports whether no hours are typed on the day.
func (r weekRow) Closed() bool {
	for _, s := range r.Spans {
		if s.Start != "" || s.End != "" {
			return false
		}
	}
	return true
}

// weekGrid is a week of rows, every row padded to the same number of pairs with one blank pair more
// than the busiest day has (at least two: a morning and an afternoon), so that a span can be added
// without script.
type weekGrid struct {
	// Prefix starts every field name of the grid: PREFIX-WEEKDAY-I-start and -end.
	Prefix string
	Rows   []weekRow
}

// Columns is the number of pairs each row shows.
func (g weekGrid) Columns() int {
	if len(g.Rows) == 0 {
		return 0
	}
	return len(g.Rows[0].Spans)
}

// newWeekGrid lays out stored weekly hours.
func newWeekGrid(prefix string, hours []scheduling.WeeklyHours) weekGrid {
	g := weekGrid{Prefix: prefix}
	for wd := 1; wd <= 7; wd++ {
		row := weekRow{Weekday: wd, Name: weekdayNames[wd]}
		for _, h := range hours {
			if h.Weekday == wd {
				row.Spans = append(row.Spans, spanInput{Start: h.Start, End: shownEnd(h.End)})
			}
		}
		g.Rows = append(g.Rows, row)
	}
	return g.padded()
}

// padded drops the blank pairs and gives every row the same number of pairs again.
func (g weekGrid) padded() weekGrid {
	most := 0
	for i, r := range g.Rows {
		var kept []spanInput
		for _, s := range r.Spans {
			if s.Start != "" || s.End != "" {
				kept = append(kept, s)
			}
		}
		g.Rows[i].Spans = kept
		most = max(most, len(kept))
	}
	cols := min(max(2, most+1), maxDaySpans)
	for i := range g.Rows {
		for len(g.Rows[i].Spans) < cols {
			g.Rows[i].Spans = append(g.Rows[i].Spans, spanInput{})
		}
		for j := range g.Rows[i].Spans {
			g.Rows[i].Spans[j].N = j + 1
		}
	}
	return g
}

// readWeekGrid reads a grid as typed: the grid to show again, and the hours to save in the order
// sent, so that the core's message about hours[i] can be put at its weekday. A pair with only one
// end typed is an error at its row, and nothing is saved.
func readWeekGrid(c *gin.Context, prefix string) (g weekGrid, hours []scheduling.WeeklyHours, ok bool) {
	g = weekGrid{Prefix: prefix}
	ok = true
	for wd := 1; wd <= 7; wd++ {
		row := weekRow{Weekday: wd, Name: weekdayNames[wd]}
		for i := range maxDaySpans {
			key := fmt.Sprintf("%s-%d-%d-", prefix, wd, i)
			start, hasStart := c.GetPostForm(key + "start")
			end, hasEnd := c.GetPostForm(key + "end")
			if !hasStart && !hasEnd {
				break
			}
			start, end = strings.TrimSpace(start), strings.TrimSpace(end)
			row.Spans = append(row.Spans, spanInput{Start: start, End: end})
			switch {
			case start == "" && end == "":
			case start == "" || end == "":
				row.Error, ok = "Enter both the start and the end of each span, or leave both empty.", false
			default:
				hours = append(hours, scheduling.WeeklyHours{Weekday: wd, Start: clockOf(start), End: endClock(end)})
			}
		}
		if row.Error == "" {
			if row.Error = daySpansError(hours, wd); row.Error != "" {
				ok = false
			}
		}
		g.Rows = append(g.Rows, row)
	}
	return g.padded(), hours, ok
}

// clockOf writes a typed time as HH:MM: browsers send "09:00", but a time typed by hand as "9:00" or
// with seconds ("09:00:00") means the same.
func clockOf(s string) string {
	h, m, found := strings.Cut(s, ":")
	if !found {
		return s
	}
	if len(m) == 5 && strings.HasSuffix(m, ":00") {
		m = m[:2]
	}
	if len(h) == 1 {
		h = "0" + h
	}
	return h + ":" + m
}

// daySpansError says what is wrong with a weekday's spans in order of time, so that every row with a
// mistake is marked at once rather than the first the core finds. Times that are not HH:MM are left
// to the core's own message.
func daySpansError(hours []scheduling.WeeklyHours, wd int) string {
	var day []scheduling.WeeklyHours
	for _, h := range hours {
		if h.Weekday != wd {
			continue
		}
		if !isClock(h.Start) || !isClock(h.End) {
			return ""
		}
		if h.End <= h.Start {
			return "Each span must end after it starts."
		}
		day = append(day, h)
	}
	slices.SortFunc(day, func(a, b scheduling.WeeklyHours) int { return strings.Compare(a.Start, b.Start) })
	for i := 1; i < len(day); i++ {
		if day[i].Start < day[i-1].End {
			return "These spans overlap: each must start after the one before ends."
		}
	}
	return ""
}

// isClock reports whether s is written HH:MM, so that two such times compare as text.
func isClock(s string) bool {
	return len(s) == 5 && s[2] == ':' && strings.Trim(s[:2]+s[3:], "0123456789") == ""
}

// endClock reads the end of a span: a time field cannot hold 24:00, so an end of 00:00 is midnight
// at the end of the day.
func endClock(s string) string {
	s = clockOf(s)
	if s == "00:00" {
		return "24:00"
	}
	return s
}

// shownEnd is a stored end as a time field shows it.
func shownEnd(s string) string {
	if s == "24:00" {
		return "00:00"
	}
	return s
}

// weekError puts the core's refusal of weekly hours at the weekday it is about: "FIELD[i]: ..." names
// the i-th of the hours sent, "FIELD: intervals on weekday N overlap" the weekday.
func (g *weekGrid) weekError(field string, de *scheduling.Error, sent []scheduling.WeeklyHours) bool {
	wd := 0
	if m := listIndex.FindStringSubmatch(de.Message); m != nil && m[1] == field {
		if i, err := strconv.Atoi(m[2]); err == nil && i < len(sent) {
			wd = sent[i].Weekday
		}
	} else if m := overlapWeekday.FindStringSubmatch(de.Message); m != nil && m[1] == field {
		wd, _ = strconv.Atoi(m[2])
	}
	if wd < 1 || wd > 7 {
		return false
	}
	g.Rows[wd-1].Error = spanMessage(de)
	return true
}

var (
	listIndex      = regexp.MustCompile(`^(\w+)\[(\d+)\]`)
	overlapWeekday = regexp.MustCompile(`^(\w+): intervals on weekday (\d) overlap`)
)

// spanMessage says what is wrong with a span, in a manager's words.
func spanMessage(de *scheduling.Error) string {
	switch de.Code {
	case "invalid_time":
		return "Enter times of day such as 09:00 or 17:30."
	case "end_before_start":
		return "Each span must end after it starts."
	case "overlapping_hours":
		return "These spans overlap: each must start after the one before ends."
	case "invalid_date":
		return "This is not a date."
	case "out_of_range":
		return "This date is too far from today."
	case "invalid_exception":
		return "A day off has no hours."
	}
	return sentence(de.Message)
}

// hoursSummary writes a weekday's hours briefly, "09:00–13:00, 14:00–18:00", or "closed".
func hoursSummary(hours []scheduling.WeeklyHours, wd int) string {
	var spans []string
	for _, h := range hours {
		if h.Weekday == wd {
			spans = append(spans, h.Start+"–"+h.End)
		}
	}
	if len(spans) == 0 {
		return "closed"
	}
	return strings.Join(spans, ", ")
}

// weekSummary writes a week of hours briefly by the days that have any, "Mon–Fri 09:00–18:00; Sat
// 09:00–13:00", joining consecutive days with the same hours.
func weekSummary(hours []scheduling.WeeklyHours) string {
	var parts []string
	for wd := 1; wd <= 7; {
		day := hoursSummary(hours, wd)
		last := wd
		for last < 7 && hoursSummary(hours, last+1) == day {
			last++
		}
		if day != "closed" {
			days := weekdayNames[wd][:3]
			if last > wd {
				days += "–" + weekdayNames[last][:3]
			}
			parts = append(parts, days+" "+day)
		}
		wd = last + 1
	}
	return strings.Join(parts, "; ")
}
