package console

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

func validID(s string) bool {
	_, ok := scheduling.ParseID(s)
	return ok
}

func ptrID(s string) *scheduling.ID {
	id, _ := scheduling.ParseID(s)
	return &id
}

// localTime reads a date and a time of day typed in the branch's zone; a problem is noted at its field.
func localTime(date, clockTime string, loc *time.Location, dateField, timeField string, errs map[string]string) time.Time {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		errs[dateField] = "Enter a date, like 2027-01-04."
		return time.Time{}
	}
	t, err := time.Parse("15:04", clockTime)
	if err != nil {
		errs[timeField] = "Enter a time of day, like 09:30."
		return time.Time{}
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	if at.Hour() != t.Hour() || at.Minute() != t.Minute() {
		// The clocks skip this time that day (daylight saving begins): it never happens there.
		errs[timeField] = clockTime + " does not exist on that day: the clocks go forward then. Choose a time after the change."
		return time.Time{}
	}
	return at
}

// blockErrorField is the form field a refusal of the scheduling service is about.
func blockErrorField(code string) string {
	switch code {
	case "end_before_start", "block_too_long":
		return "until"
	case "out_of_range", "missing_time":
		return "date"
	case "block_target":
		return "target"
	}
	return "reason"
}

// collisions reads the sessions a new block overlaps, named in the calendar's address; ids that are
// not sessions (any more) are skipped.
func (con *Console) collisions(c *gin.Context, raw []string) []collision {
	out := []collision{}
	for _, s := range raw[:min(len(raw), maxCollisionsShown)] {
		id, ok := scheduling.ParseID(s)
		if !ok {
			continue
		}
		sess, err := con.sched.GetSession(c.Request.Context(), id)
		if err != nil {
			continue
		}
		out = append(out, collision{When: sess.Start.Format("Mon 2 Jan 15:04") + "–" + clock(sess.End),
			Patient: sess.PatientName, Doctor: sess.DoctorName, Link: Prefix + "/sessions/" + sess.ID.String()})
	}
	return out
}

func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return itoa(n) + " " + noun + "s"
}

func itoa(n int) string { return strconv.Itoa(n) }

// sortedDoctors are the doctors as options, by name.
func sortedDoctors(names map[scheduling.ID]string) []calOption {
	out := make([]calOption, 0, len(names))
	for id, name := range names {
		out = append(out, calOption{Value: id.String(), Label: name})
	}
	slices.SortFunc(out, func(a, b calOption) int { return cmp.Compare(a.Label, b.Label) })
	return out
}
