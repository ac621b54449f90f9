package queue

import (
	"cmp"
	"slices"
	"time"

	"clinic/scheduling"
	"clinic/scheduling/eta"
)

// byArrival orders checked-in patients by check-in time, then those not yet arrived by start; ties
// by session id.
func byArrival(a, b *entry) int {
	switch {
	case a.checkedIn != nil && b.checkedIn != nil:
		if c := a.checkedIn.Compare(*b.checkedIn); c != 0 {
			return c
		}
	case a.checkedIn != nil:
		return -1
	case b.checkedIn != nil:
		return 1
	default:
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.id, b.id)
}

func byTime(a, b *entry) int {
	if c := a.start.Compare(b.start); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// byNewest puts the most recently booked first; ids grow with booking, so ties go to the higher id.
func byNewest(a, b *entry) int {
	if c := b.booked.Compare(a.booked); c != 0 {
		return c
	}
	return cmp.Compare(b.id, a.id)
}

// byOpened orders open sessions by when they were opened.
func byOpened(a, b *entry) int {
	if c := a.opened.Compare(*b.opened); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// split returns the day's waiting and open sessions, of one doctor unless doctorID is 0.
func (d *day) split(doctorID scheduling.ID) (waiting, open []*entry) {
	for _, e := range d.entries {
		if doctorID != 0 && e.doctorID != doctorID {
			continue
		}
		if e.status == scheduling.StatusOpen {
			open = append(open, e)
		} else {
			waiting = append(waiting, e)
		}
	}
	slices.SortFunc(open, byOpened)
	return waiting, open
}

// follow puts entries in the kept order; those it does not name follow, by arrival.
func follow(kept []scheduling.ID, entries []*entry) []*entry {
	rank := make(map[scheduling.ID]int, len(kept))
	for i, id := range kept {
		rank[id] = i
	}
	out := slices.Clone(entries)
	slices.SortStableFunc(out, func(a, b *entry) int {
		ra, inA := rank[a.id]
		rb, inB := rank[b.id]
		switch {
		case inA && inB:
			return cmp.Compare(ra, rb)
		case inA:
			return -1
		case inB:
			return 1
		}
		return byArrival(a, b)
	})
	return out
}

// keptFor is the kept order that applies to a doctor's line (their own, else the branch's), if any.
func (d *day) keptFor(doctorID scheduling.ID) ([]scheduling.ID, bool) {
	if ids, ok := d.kept[doctorID]; ok && doctorID != 0 {
		return ids, true
	}
	ids, ok := d.kept[0]
	return ids, ok
}

// serving is a doctor's waiting sessions in the order the doctor will see them (see the package
// comment).
func (d *day) serving(doctorID scheduling.ID) []*entry {
	waiting, _ := d.split(doctorID)
	kept, _ := d.keptFor(doctorID)
	return follow(kept, waiting)
}

// manual is the waiting sessions of the scope in the kept order. For the whole branch: the branch's
// kept order (by arrival where there is none), and within the places each doctor's sessions hold
// there, that doctor's serving order, so that a doctor's own kept order shows on the branch's board.
func (d *day) manual(doctorID scheduling.ID) []*entry {
	if doctorID != 0 {
		return d.serving(doctorID)
	}
	waiting, _ := d.split(0)
	base := follow(d.kept[0], waiting)
	next := map[scheduling.ID][]*entry{}
	for _, e := range base {
		if _, ok := next[e.doctorID]; !ok {
			next[e.doctorID] = d.serving(e.doctorID)
		}
	}
	out := make([]*entry, len(base))
	for i, e := range base {
		out[i], next[e.doctorID] = next[e.doctorID][0], next[e.doctorID][1:]
	}
	return out
}

// line is a session's place in its doctor's line.
type line struct {
	ahead int
	eta   eta.Range
}

// lines places every waiting session of the doctors in doctorIDs in its doctor's serving order, with
// an ETA from the doctor's open session, the sessions ahead and the doctor's pace.
func (d *day) lines(doctorIDs []scheduling.ID) map[scheduling.ID]line {
	out := map[scheduling.ID]line{}
	for _, doctor := range doctorIDs {
		waiting := d.serving(doctor)
		_, open := d.split(doctor)
		in := eta.Input{Now: d.now, Waiting: make([]eta.Waiting, len(waiting)), History: d.history[doctor]}
		if len(open) > 0 {
			last := open[len(open)-1] // the latest opened: one left open by mistake does not count twice
			in.Open = &eta.Open{Booked: last.end.Sub(last.start), OpenedAt: *last.opened}
		}
		for i, e := range waiting {
			in.Waiting[i].Booked = e.end.Sub(e.start)
			if e.checkedIn == nil {
				in.Waiting[i].NotBefore = e.start
			}
		}
		for i, r := range eta.Estimate(in) {
			out[waiting[i].id] = line{ahead: i, eta: eta.Range{From: r.From.In(d.loc), To: r.To.In(d.loc)}}
		}
	}
	return out
}

// doctors are the distinct doctors of entries, in order of appearance.
func doctors(entries []*entry) []scheduling.ID {
	var out []scheduling.ID
	for _, e := range entries {
		if !slices.Contains(out, e.doctorID) {
			out = append(out, e.doctorID)
		}
	}
	return out
}

// board lists the day's queue of the scope in a sort mode: open sessions first, then the waiting.
func (d *day) board(doctorID scheduling.ID, sort string) *Board {
	waiting, open := d.split(doctorID)
	switch sort {
	case SortTime:
		slices.SortFunc(waiting, byTime)
	case SortNewest:
		slices.SortFunc(waiting, byNewest)
	case SortManual:
		waiting = d.manual(doctorID)
	default:
		slices.SortFunc(waiting, byArrival)
	}
	list := append(open, waiting...)
	lines := d.lines(doctors(list))
	b := &Board{BranchID: d.branchID, Timezone: d.tz, Day: dateString(d.date), DoctorID: doctorID, Sort: sort,
		Items: make([]Item, len(list))}
	if doctorID != 0 {
		_, b.Ordered = d.keptFor(doctorID)
	} else {
		b.Ordered = len(d.kept) > 0
	}
	for i, e := range list {
		b.Items[i] = d.item(e, i+1, lines)
	}
	return b
}

func (d *day) item(e *entry, position int, lines map[scheduling.ID]line) Item {
	it := Item{SessionID: e.id, Position: position, Status: e.status, CheckedIn: e.checkedIn != nil,
		CheckedInAt: e.checkedIn, OpenedAt: e.opened, Start: e.start, End: e.end, BookedAt: e.booked,
		PatientID: e.patientID, PatientName: e.patientName, PatientPhone: e.phone, DoctorID: e.doctorID,
		DoctorName: e.doctorName, Examinations: e.exams, Actions: d.actions(e)}
	if it.Examinations == nil {
		it.Examinations = []string{}
	}
	if e.checkedIn != nil {
		until := d.now
		if e.opened != nil {
			until = *e.opened
		}
		waited := max(int(until.Sub(*e.checkedIn)/time.Minute), 0)
		it.WaitedMinutes = &waited
	}
	if l, ok := lines[e.id]; ok {
		it.Ahead, it.ETA = l.ahead, &l.eta
	}
	return it
}

// actions are the moves DESIGN 3.2 allows the session now: checking in and opening from its day on,
// a no-show once its start has passed without a check-in.
func (d *day) actions(e *entry) []string {
	onTheDay := daysFrom(scheduling.DateOf(d.now), d.date) <= 0
	out := []string{}
	switch e.status {
	case scheduling.StatusWaiting:
		if e.checkedIn == nil && onTheDay {
			out = append(out, ActionCheckIn)
		}
		if onTheDay {
			out = append(out, ActionOpen)
		}
		out = append(out, ActionCancel)
		if e.checkedIn == nil && !d.now.Before(e.start) {
			out = append(out, ActionNoShow)
		}
	case scheduling.StatusOpen:
		out = append(out, ActionComplete, ActionCancel)
	}
	return out
}
