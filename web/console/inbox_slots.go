package console

import (
	"context"
	"time"

	"clinic/inbox"
	"clinic/scheduling"
)

// suggestDays is how far ahead the suggested slot is looked for.
const suggestDays = 14

// pickSlots fills the suggested slot (the request's preferred time when it is free, else the first
// free slot after it or after now, for its examination, branch and doctor) and the picker's day.
func (con *Console) pickSlots(ctx context.Context, v *requestView, cat *catalog, r inbox.Request, get func(string) string) error {
	q := r.Requested
	p := &v.Picker
	if q.BranchID != nil {
		p.Branch = *q.BranchID
	} else if len(cat.branches) == 1 {
		p.Branch = cat.branches[0].ID
	}
	if q.ExaminationID != nil {
		p.Exam = *q.ExaminationID
	}
	if q.DoctorID != nil {
		p.Doctor = *q.DoctorID
	}
	if p.Branch != 0 && p.Exam != 0 {
		s, err := con.suggest(ctx, cat, p.Branch, p.Exam, p.Doctor, q.Start)
		if err != nil {
			return err
		}
		v.Suggested = s
		if s != nil && q.Start != nil && !sameStart(s.Start, *q.Start) {
			v.Asks = q.Start.In(cat.zone(&p.Branch)).Format("Mon 2 Jan 15:04")
			v.AsksPast = q.Start.Before(con.now())
		}
	}
	// The picker starts from the request's choices; its own form changes them, and stays open then.
	p.Open = v.Suggested == nil || get("day") != "" || get("branch") != "" || get("exam") != "" || get("doctor") != ""
	if id := idOf(get("branch")); id != 0 {
		p.Branch = id
	}
	if id := idOf(get("exam")); id != 0 {
		p.Exam = id
	}
	if raw := get("doctor"); raw != "" {
		p.Doctor = idOf(raw)
	}
	loc := cat.zone(&p.Branch)
	p.Day = get("day")
	if _, err := time.ParseInLocation(time.DateOnly, p.Day, loc); err != nil {
		switch {
		case v.Suggested != nil:
			p.Day = v.Suggested.Date
		case q.Start != nil:
			p.Day = q.Start.In(loc).Format(time.DateOnly)
		default:
			p.Day = con.now().In(loc).Format(time.DateOnly)
		}
	}
	for _, b := range cat.branches {
		p.Branches = append(p.Branches, option{ID: b.ID, Name: b.Name, Selected: b.ID == p.Branch})
	}
	exams, err := con.sched.ListExaminations(ctx, p.Branch)
	if err != nil {
		return err
	}
	for _, e := range exams {
		p.Exams = append(p.Exams, option{ID: e.ID, Name: e.Name, Selected: e.ID == p.Exam})
	}
	for _, d := range cat.doctors.list {
		p.Doctors = append(p.Doctors, option{ID: d.ID, Name: d.Name, Selected: d.ID == p.Doctor})
	}
	if p.Branch == 0 || p.Exam == 0 {
		p.Note = "Choose the branch and the examination to see the free times."
		return nil
	}
	day, _ := time.ParseInLocation(time.DateOnly, p.Day, loc)
	p.DayLabel = day.Format("Monday 2 January 2006")
	slots, err := con.freeSlots(ctx, cat, p.Branch, p.Exam, p.Doctor, scheduling.DateOf(day), scheduling.DateOf(day), con.now(), 200)
	if err != nil {
		if de, ok := asDomain(err); ok && de.Kind != scheduling.KindConflict {
			p.Note = sentence(de.Message)
			return nil
		}
		return err
	}
	p.Slots = slots
	if len(slots) == 0 {
		p.Note = "No free time that day. Try another day or doctor."
	}
	return nil
}

// suggest is the first free slot at or after the preferred start (or now, whichever is later)
// within suggestDays, or nil.
func (con *Console) suggest(ctx context.Context, cat *catalog, branch, exam, doctor scheduling.ID, preferred *time.Time) (*inboxSlot, error) {
	from := con.now()
	if preferred != nil && preferred.After(from) {
		from = *preferred
	}
	loc := cat.zone(&branch)
	first := scheduling.DateOf(from.In(loc))
	last := scheduling.DateOf(from.In(loc).AddDate(0, 0, suggestDays-1))
	slots, err := con.freeSlots(ctx, cat, branch, exam, doctor, first, last, from, 1)
	if err != nil {
		if _, ok := asDomain(err); ok {
			return nil, nil
		}
		return nil, err
	}
	if len(slots) == 0 {
		return nil, nil
	}
	return &slots[0], nil
}

// freeSlots are up to limit free slots of the days, none starting before from.
func (con *Console) freeSlots(ctx context.Context, cat *catalog, branch, exam, doctor scheduling.ID, first, last scheduling.Date,
	from time.Time, limit int) ([]inboxSlot, error) {
	q := scheduling.AvailabilityQuery{BranchID: branch, DoctorID: doctor, ExaminationIDs: []scheduling.ID{exam},
		From: first, To: last, Limit: 200}
	loc := cat.zone(&branch)
	var out []inboxSlot
	for {
		page, err := con.sched.AvailabilityPage(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, s := range page.Slots {
			if s.Start.Before(from) {
				continue
			}
			out = append(out, inboxSlotOf(s, loc, cat.doctors.names))
			if len(out) == limit {
				return out, nil
			}
		}
		if page.NextCursor == "" {
			return out, nil
		}
		q.Cursor = page.NextCursor
	}
}

// inboxSlot is a free slot the inbox offers, with its day as the picker's date field takes it.
type inboxSlot struct {
	slotView
	Date  string // YYYY-MM-DD, local to the branch
	Short string // the day as a button shows it
	// The convert form of the slot: the request, the CSRF token, the branch and examination booked,
	// and whether the button names the day (alternatives may fall on other days).
	Request      scheduling.ID
	CSRF         string
	Branch, Exam scheduling.ID
	ShowDay      bool
}

func inboxSlotOf(s scheduling.Slot, loc *time.Location, doctors map[scheduling.ID]string) inboxSlot {
	local := s.Start.In(loc)
	return inboxSlot{slotView: slotViewOf(s, loc, doctors), Date: local.Format(time.DateOnly), Short: local.Format("Mon 2 Jan")}
}

// bindSlots fills the convert forms of the page's slot buttons.
func (v *requestView) bindSlots() {
	bind := func(s *inboxSlot, showDay bool) {
		s.Request, s.CSRF, s.Branch, s.Exam, s.ShowDay = v.ID, v.CSRF, v.Picker.Branch, v.Picker.Exam, showDay
	}
	for i := range v.Alternatives {
		bind(&v.Alternatives[i], true)
	}
	for i := range v.Picker.Slots {
		bind(&v.Picker.Slots[i], false)
	}
}

// sameStart compares a slot's RFC 3339 start with an instant.
func sameStart(start string, t time.Time) bool {
	s, err := time.Parse(time.RFC3339, start)
	return err == nil && s.Equal(t)
}
