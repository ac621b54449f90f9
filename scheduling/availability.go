package scheduling

import (
	"cmp"
	"context"
	"slices"
	"time"

	"clinic/scheduling/availability"
)

// MaxRangeDays is the longest date range one availability request may span.
const MaxRangeDays = 93

// AvailabilityQuery asks for bookable slots at a branch for a session of the given examinations.
type AvailabilityQuery struct {
	BranchID       ID
	DoctorID       ID // 0: every doctor who performs all the examinations
	ExaminationIDs []ID
	From, To       Date // inclusive, local to the branch
	Channel        string
}

// Slot is a bookable start for one doctor (and room, when the session needs one).
type Slot struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	DoctorID ID        `json:"doctor_id"`
	RoomID   *ID       `json:"room_id,omitempty"`
}

// Availability computes the bookable slots in time order (DESIGN 3.1).
func (s *Service) Availability(ctx context.Context, q AvailabilityQuery) ([]Slot, error) {
	if q.Channel == "" {
		q.Channel = ChannelStaff
	}
	switch {
	case q.BranchID == 0:
		return nil, rule("missing_branch", "branch_id is required")
	case !validChannel(q.Channel):
		return nil, rule("invalid_channel", "channel %q is not one of staff, web_form, chatbot, whatsapp, telegram", q.Channel)
	}
	if err := checkRange(q.From, q.To); err != nil {
		return nil, err
	}
	branch, loc, exams, err := s.loadSetup(ctx, q.BranchID, q.ExaminationIDs)
	if err != nil {
		return nil, err
	}
	doctors := qualifiedDoctors(exams)
	if q.DoctorID != 0 {
		if !slices.Contains(doctors, q.DoctorID) {
			return nil, s.unqualified(ctx, q.DoctorID)
		}
		doctors = []ID{q.DoctorID}
	}
	if len(doctors) == 0 {
		return []Slot{}, nil
	}
	cal, err := s.loadCalendar(ctx, branch, loc, exams, doctors, nil, 0, q.From, q.To)
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := cal.bounds(q.Channel, s.now())
	return cal.slots(notBefore, notAfter), nil
}

// slots runs the engine for every doctor of the calendar and merges the results in time order.
func (cal *calendar) slots(notBefore, notAfter time.Time) []Slot {
	out := []Slot{}
	for i := range cal.doctors {
		d := &cal.doctors[i]
		q := cal.query(d, d.busy(), cal.rooms)
		q.NotBefore, q.NotAfter = notBefore, notAfter
		for _, sl := range availability.Slots(q) {
			out = append(out, cal.slot(d.id, sl))
		}
	}
	slices.SortStableFunc(out, func(a, b Slot) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.DoctorID, b.DoctorID))
	})
	return out
}

func (cal *calendar) slot(doctor ID, sl availability.Slot) Slot {
	out := Slot{Start: sl.Start.In(cal.loc), End: sl.End.In(cal.loc), DoctorID: doctor}
	if sl.RoomID != 0 {
		room := ID(sl.RoomID)
		out.RoomID = &room
	}
	return out
}

// unqualified explains why a doctor cannot take a session: unknown (404) or not performing it (422).
func (s *Service) unqualified(ctx context.Context, doctorID ID) error {
	if _, err := s.GetDoctor(ctx, doctorID); err != nil {
		return err
	}
	return rule("doctor_not_qualified", "doctor %d does not perform every requested examination", doctorID)
}

// nearest returns up to n slots closest in time to want, in time order.
func nearest(slots []Slot, want time.Time, n int) []Slot {
	dist := func(sl Slot) time.Duration {
		d := sl.Start.Sub(want)
		if d < 0 {
			return -d
		}
		return d
	}
	slices.SortStableFunc(slots, func(a, b Slot) int { return cmp.Compare(dist(a), dist(b)) })
	slots = slots[:min(n, len(slots))]
	slices.SortFunc(slots, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	return slots
}
