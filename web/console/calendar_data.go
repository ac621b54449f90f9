package console

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"time"

	"clinic/scheduling"
)

// calData gathers what a calendar page draws: sessions, blocks and free slots of the branch.
type calData struct {
	con    *Console
	page   *calPage
	branch scheduling.Branch
	loc    *time.Location

	doctors map[scheduling.ID]string
	rooms   []scheduling.Room
}

func (d *calData) load(ctx context.Context) error {
	q := &d.page.Query
	from, to := q.Date, q.Date
	if q.View == viewWeek {
		from = monday(q.Date)
		to = shift(from, 6)
	}
	p := d.page
	p.Title = d.title(from, to)
	sessions, err := d.con.allSessions(ctx, scheduling.SessionFilter{BranchID: d.branch.ID, From: from, To: to,
		Limit: scheduling.MaxSessionPage})
	if err != nil {
		return err
	}
	blocks, err := d.con.sched.ListBlocks(ctx, d.branch.ID, from, to)
	if err != nil {
		return err
	}
	doctors, err := d.con.sched.ListDoctors(ctx)
	if err != nil {
		return err
	}
	d.doctors = map[scheduling.ID]string{}
	for _, doc := range doctors {
		d.doctors[doc.ID] = doc.Name
	}
	if d.rooms, err = d.con.sched.ListRooms(ctx, d.branch.ID); err != nil {
		return err
	}
	p.Blocks = d.blockRows(blocks)
	p.Targets = d.targets()
	var slots []freeSlot
	if q.View == viewDay {
		if slots, err = d.freeSlots(ctx); err != nil {
			return err
		}
	}
	frame := frameOf(q.Date, d.loc, false)
	p.Hours, p.Minutes = frame.hours(), frame.Minutes()
	switch q.View {
	case viewDay:
		d.doctorColumns(frame, sessions, blocks, slots)
	case viewRooms:
		d.roomColumns(frame, sessions, blocks)
	case viewWeek:
		p.Hours, p.Minutes = wallHours(), 24*60
		d.weekColumns(from, sessions, blocks)
	}
	p.ScrollTo = d.scrollTo()
	return nil
}

// title names the day or the week shown.
func (d *calData) title(from, to scheduling.Date) string {
	f := time.Date(from.Year, from.Month, from.Day, 12, 0, 0, 0, time.UTC)
	if from == to {
		return d.branch.Name + " · " + f.Format("Monday 2 January 2006")
	}
	t := time.Date(to.Year, to.Month, to.Day, 12, 0, 0, 0, time.UTC)
	return d.branch.Name + " · week of " + f.Format("2 January") + " – " + t.Format("2 January 2006")
}

// freeSlots are the bookable starts of the day: for the chosen examination, or else for each doctor
// their first examination at the branch that any time of day allows (one limited to service windows
// only when they have no other), so that every doctor's free time shows.
func (d *calData) freeSlots(ctx context.Context) ([]freeSlot, error) {
	exams, err := d.con.sched.ListExaminations(ctx, d.branch.ID)
	if err != nil || len(exams) == 0 {
		return nil, err
	}
	q := &d.page.Query
	if !slices.ContainsFunc(exams, func(e scheduling.Examination) bool { return e.ID == q.Exam }) {
		q.Exam = 0
	}
	d.page.Exams = []calOption{{Value: "", Label: "Each doctor's first examination", Selected: q.Exam == 0}}
	for _, e := range exams {
		d.page.Exams = append(d.page.Exams, calOption{Value: e.ID.String(), Label: e.Name, Selected: e.ID == q.Exam})
	}
	wanted := map[scheduling.ID][]scheduling.ID{} // examination: the doctors whose first it is
	var order []scheduling.ID
	seen := map[scheduling.ID]bool{}
	anyTime := slices.Clone(exams)
	slices.SortStableFunc(anyTime, func(a, b scheduling.Examination) int {
		return cmp.Compare(len(a.Windows), len(b.Windows))
	})
	for _, e := range anyTime {
		if q.Exam != 0 && e.ID != q.Exam {
			continue
		}
		for _, doc := range e.DoctorIDs {
			if !seen[doc] {
				seen[doc] = true
				if wanted[e.ID] == nil {
					order = append(order, e.ID)
				}
				wanted[e.ID] = append(wanted[e.ID], doc)
			}
		}
	}
	var out []freeSlot
	for _, exam := range order {
		slots, err := d.con.sched.Availability(ctx, scheduling.AvailabilityQuery{BranchID: d.branch.ID,
			ExaminationIDs: []scheduling.ID{exam}, From: q.Date, To: q.Date, Limit: scheduling.MaxSlotPage})
		if err != nil {
			return nil, err
		}
		for _, sl := range slots {
			if slices.Contains(wanted[exam], sl.DoctorID) {
				out = append(out, freeSlot{Slot: sl, Exam: exam})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b freeSlot) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// freeSlot is a bookable start with the examination it was found for, which its link names.
type freeSlot struct {
	scheduling.Slot
	Exam scheduling.ID
}

// sessionItem draws a session; cancelled sessions hold no time and are left out by the callers.
func (d *calData) sessionItem(f dayFrame, s scheduling.Session) (calItem, bool) {
	top, n, ok := f.place(s.Start, s.End)
	row := todayRowOf(s)
	return calItem{Kind: "session", Label: s.PatientName, Sub: row.Examinations, Time: row.Time,
		Link: Prefix + "/sessions/" + s.ID.String(), Status: s.Status, StatusLabel: row.StatusLabel, Top: top, Len: n}, ok
}

func (d *calData) blockItem(f dayFrame, b scheduling.Block) (calItem, bool) {
	top, n, ok := f.place(b.Start, b.End)
	when := clock(b.Start.In(d.loc)) + "–" + clock(b.End.In(d.loc))
	if !b.Start.After(f.Start) && !b.End.Before(f.End) {
		when = "All day"
	}
	return calItem{Kind: "block", Label: cmp.Or(b.Reason, "Blocked"), Sub: d.blockTarget(b), Time: when, Top: top, Len: n}, ok
}

func (d *calData) blockTarget(b scheduling.Block) string {
	switch {
	case b.DoctorID != nil:
		return cmp.Or(d.doctors[*b.DoctorID], "A doctor")
	case b.RoomID != nil:
		for _, r := range d.rooms {
			if r.ID == *b.RoomID {
				return "Room " + r.Name
			}
		}
		return "A room"
	}
	return "Whole branch"
}

// doctorColumns puts a column per doctor who has sessions, blocks or free time that day.
func (d *calData) doctorColumns(f dayFrame, sessions []scheduling.Session, blocks []scheduling.Block, slots []freeSlot) {
	cols := map[scheduling.ID]*calColumn{}
	col := func(id scheduling.ID) *calColumn {
		if cols[id] == nil {
			cols[id] = &calColumn{Title: cmp.Or(d.doctors[id], "Doctor "+id.String())}
		}
		return cols[id]
	}
	for _, s := range sessions {
		if it, ok := d.sessionItem(f, s); ok && s.Status != scheduling.StatusCancelled {
			col(s.DoctorID).Items = append(col(s.DoctorID).Items, it)
		}
	}
	for i, sl := range slots {
		end := sl.End
		if i+1 < len(slots) {
			for _, next := range slots[i+1:] {
				if next.DoctorID == sl.DoctorID {
					end = minTime(end, next.Start)
					break
				}
			}
		}
		top, n, ok := f.place(sl.Start, end)
		if !ok {
			continue
		}
		link := Prefix + "/book?" + url.Values{"branch": {d.branch.ID.String()}, "doctor": {sl.DoctorID.String()},
			"start": {sl.Start.Format(time.RFC3339)}, "exam": {sl.Exam.String()}}.Encode()
		c := col(sl.DoctorID)
		c.Items = append(c.Items, calItem{Kind: "free", Label: "Free " + clock(sl.Start.In(d.loc)), Link: link, Top: top, Len: n})
	}
	var wide []calItem
	for _, b := range blocks {
		it, ok := d.blockItem(f, b)
		switch {
		case !ok || b.RoomID != nil:
		case b.DoctorID != nil:
			col(*b.DoctorID).Items = append(col(*b.DoctorID).Items, it)
		default:
			wide = append(wide, it)
		}
	}
	for _, c := range cols {
		c.Items = append(c.Items, wide...)
		d.page.Columns = append(d.page.Columns, *c)
	}
	slices.SortFunc(d.page.Columns, func(a, b calColumn) int { return cmp.Compare(a.Title, b.Title) })
	if len(d.page.Columns) == 0 {
		d.page.Empty = "No doctor has sessions or free time at this branch on this day."
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
