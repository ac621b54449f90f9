package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

// publicSlot is one free time the form offers, with its label in the patient's language.
type publicSlot struct {
	Start    time.Time     `json:"start"`
	End      time.Time     `json:"end"`
	DoctorID scheduling.ID `json:"doctor_id"`
	Label    string        `json:"label"`
}

// slots answers the free times of one day for the form's time picker:
// GET /api/v1/public/slots?branch_id&examination_id&date[&doctor_id][&lang]. They are real free slots
// by the web form's notice and horizon, less those held for a patient in a chat, one per start time.
func (b *bookingForm) slots(c *gin.Context) {
	for _, p := range []string{"branch_id", "examination_id", "date"} {
		if c.Query(p) == "" {
			abort(c, http.StatusBadRequest, "missing_"+p, p+" is required")
			return
		}
	}
	for _, p := range []string{"branch_id", "examination_id", "doctor_id"} {
		if id := parseID(c.Query(p)); id != nil && *id <= 0 {
			abort(c, http.StatusBadRequest, "invalid_id", p+" must be an id")
			return
		}
	}
	if _, err := time.Parse(time.DateOnly, c.Query("date")); err != nil {
		abort(c, http.StatusBadRequest, "invalid_date", "date must be a date written YYYY-MM-DD")
		return
	}
	slots, loc, err := b.daySlots(c.Request.Context(), c.Query("branch_id"), c.Query("examination_id"), c.Query("doctor_id"), c.Query("date"))
	if err != nil {
		b.s.fail(c, err)
		return
	}
	lang := b.language(c, "")
	out := make([]publicSlot, 0, len(slots))
	for _, sl := range slots {
		out = append(out, publicSlot{Start: sl.Start, End: sl.End, DoctorID: sl.DoctorID, Label: clockLabel(lang, sl.Start.In(loc))})
	}
	publicHeaders(c)
	c.JSON(http.StatusOK, gin.H{"slots": out, "date": c.Query("date"), "heading": inbox.FormText(lang, "form.times_for",
		dayName(lang, mustDay(c.Query("date"))))})
}

// daySlots lists the form's free times on a day at a branch, one per start. It answers no location
// (and no error) when what, where or the day is not given yet.
func (b *bookingForm) daySlots(ctx context.Context, branch, exam, doctor, day string) ([]scheduling.Slot, *time.Location, error) {
	branchID, examID := parseID(branch), parseID(exam)
	date, err := scheduling.ParseDate(day)
	if branchID == nil || examID == nil || err != nil {
		return nil, nil, nil
	}
	br, err := b.s.sched.GetBranch(ctx, *branchID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := b.s.sched.GetExamination(ctx, *examID); err != nil {
		return nil, nil, err
	}
	loc, err := scheduling.LoadLocation(br.Timezone)
	if err != nil {
		return nil, nil, err
	}
	slots, err := b.s.inbox.FreeSlots(ctx, br.ID, *examID, parseID(doctor), date, date, b.free)
	if err != nil {
		return nil, nil, err
	}
	return uniqueStarts(slots), loc, nil
}

func mustDay(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}
