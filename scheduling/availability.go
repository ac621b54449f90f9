package scheduling

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// MaxRangeDays is the longest date range one availability request may span.
const MaxRangeDays = 93

// An availability answer holds at most MaxSlotPage slots, DefaultSlotPage unless asked for fewer; a
// cursor continues it. However long the range and short the rhythm, one request does bounded work.
const (
	DefaultSlotPage = 2000
	MaxSlotPage     = 2000
)

// AvailabilityQuery asks for bookable slots at a branch for a session of the given examinations.
type AvailabilityQuery struct {
	BranchID       ID
	DoctorID       ID // 0: every doctor who performs all the examinations
	ExaminationIDs []ID
	From, To       Date // inclusive, local to the branch
	Channel        string
	// Cursor is the NextCursor of the previous page, given with the same query; empty for the first.
	Cursor string
	// Limit is the page size; 0 is DefaultSlotPage.
	Limit int
}

// scope names the answer a cursor belongs to: everything in the query but the page.
func (q AvailabilityQuery) scope() string {
	return fmt.Sprintf("availability:%d:%d:%v:%v:%v:%s", q.BranchID, q.DoctorID, q.ExaminationIDs, q.From, q.To, q.Channel)
}

// Slot is a bookable start for one doctor (and room, when the session needs one).
type Slot struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	DoctorID ID        `json:"doctor_id"`
	RoomID   *ID       `json:"room_id,omitempty"`
}

// SlotPage is one page of bookable slots in time order (then by doctor); NextCursor is empty on the last.
type SlotPage struct {
	Slots      []Slot `json:"slots"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// Availability returns the slots of AvailabilityPage without its cursor: the first page, which is
// every slot of any range short enough to fit one. The API answers page by page.
func (s *Service) Availability(ctx context.Context, q AvailabilityQuery) ([]Slot, error) {
	page, err := s.AvailabilityPage(ctx, q)
	if err != nil {
		return nil, err
	}
	return page.Slots, nil
}

// AvailabilityPage computes a page of the bookable slots in time order (DESIGN 3.1). The slots are
// made only as far as the page reaches, and a cached branch configuration makes the whole request one
// round trip to the database.
func (s *Service) AvailabilityPage(ctx context.Context, q AvailabilityQuery) (*SlotPage, error) {
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
	limit, err := pageLimit(q.Limit, DefaultSlotPage, MaxSlotPage)
	if err != nil {
		return nil, err
	}
	var after *slotKey
	if q.Cursor != "" {
		after = &slotKey{}
		if err := decodeCursor(q.scope(), q.Cursor, &after.start, &after.doctor); err != nil {
			return nil, err
		}
	}
	cal, err := s.availabilityCalendar(ctx, q)
	if err != nil || cal == nil {
		return &SlotPage{Slots: []Slot{}}, err
	}
	notBefore, notAfter := cal.bounds(q.Channel, s.now())
	page := &SlotPage{Slots: cal.page(notBefore, notAfter, after, limit+1)}
	if len(page.Slots) > limit {
		page.Slots = page.Slots[:limit]
		last := page.Slots[limit-1]
		page.NextCursor = encodeCursor(q.scope(), last.Start.UnixNano(), last.DoctorID)
	}
	return page, nil
}

// availabilityCalendar loads the calendar of the query's doctors: from the cached setup in one round
// trip when the catalog has not changed since it was read, otherwise from fresh data (and the fresh
// setup is kept). It returns nil when no doctor performs every examination.
func (s *Service) availabilityCalendar(ctx context.Context, q AvailabilityQuery) (*calendar, error) {
	key := setupKey(q.BranchID, q.ExaminationIDs)
	if cal, err := s.cachedCalendar(ctx, key, q.DoctorID, q.From, q.To); cal != nil || err != nil {
		return cal, err
	}
	st, err := s.loadVersionedSetup(ctx, q.BranchID, q.ExaminationIDs)
	if err != nil {
		return nil, err
	}
	s.setups().put(key, st)
	doctors, ok := st.doctorsFor(q.DoctorID)
	if !ok {
		return nil, s.unqualified(ctx, q.DoctorID)
	}
	if len(doctors) == 0 {
		return nil, nil
	}
	return s.loadCalendar(ctx, st.branch, st.loc, st.exams, doctors, nil, 0, q.From, q.To, nil)
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
