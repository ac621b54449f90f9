package inbox

import (
	"context"
	"slices"
	"time"

	"clinic/scheduling"
)

// MaxAlternatives is how many free slots a refused time offers instead.
const MaxAlternatives = 5

// alternativeDays is how far from the wanted day the alternatives are looked for.
const alternativeDays = 7

// FreeSlots lists the slots the public form offers from one day to another (inclusive, local to the
// branch): real free slots of the examination at the branch, with the doctor when one is given, within
// the web form's notice and horizon (DESIGN 3.1), less those free leaves out (slots held in a chat);
// when free fails, every free slot is offered.
func (s *Store) FreeSlots(ctx context.Context, branchID, examID ID, doctorID *ID, from, to scheduling.Date, free SlotFilter) ([]scheduling.Slot, error) {
	q := scheduling.AvailabilityQuery{BranchID: branchID, ExaminationIDs: []ID{examID}, From: from, To: to,
		Channel: scheduling.ChannelWebForm}
	if doctorID != nil {
		q.DoctorID = *doctorID
	}
	slots, err := s.sched.Availability(ctx, q)
	if err != nil {
		return nil, err
	}
	if free == nil || len(slots) == 0 {
		return slots, nil
	}
	kept, err := free(ctx, slots)
	if err != nil {
		// Holds live in Redis; when it does not answer, the form still offers the free slots
		// (DESIGN 7: the web form keeps working), and the request is re-checked at conversion.
		s.log.WarnContext(ctx, "booking form: slot holds could not be read; offering every free slot", "err", err)
		return slots, nil
	}
	return kept, nil
}

// slot checks that the picked start is still free; when no doctor was asked for, the request names
// the doctor whose slot it is, so staff convert it as it was offered. A time no longer free is a
// slot_taken conflict with the nearest free slots as alternatives.
func (c *formCheck) slot(ctx context.Context, branch *scheduling.Branch, exam *scheduling.Examination, r *Requested, free SlotFilter) error {
	loc, err := scheduling.LoadLocation(branch.Timezone)
	if err != nil {
		return err
	}
	want := *r.Start
	day := scheduling.DateOf(want.In(loc))
	slots, err := c.s.FreeSlots(ctx, branch.ID, exam.ID, r.DoctorID, day, day, free)
	if err != nil {
		return err
	}
	for _, sl := range slots {
		if sl.Start.Equal(want) {
			if r.DoctorID == nil {
				r.DoctorID = &sl.DoctorID
			}
			return nil
		}
	}
	end := scheduling.DateOf(want.In(loc).AddDate(0, 0, alternativeDays))
	around, err := c.s.FreeSlots(ctx, branch.ID, exam.ID, r.DoctorID, day, end, free)
	if err != nil {
		return err
	}
	alts := nearest(around, want, MaxAlternatives)
	c.fail("preferred_start", scheduling.CodeSlotTaken, "form.err.slot_taken")
	return scheduling.Conflict(scheduling.CodeSlotTaken, "the picked time is no longer free; here are the nearest free ones").
		WithDetails(map[string]any{"fields": c.errs, "alternatives": alts})
}

// nearest is up to n slots closest in time to want, one per start, in time order.
func nearest(slots []scheduling.Slot, want time.Time, n int) []scheduling.Slot {
	var out []scheduling.Slot
	for _, sl := range slots {
		if !slices.ContainsFunc(out, func(o scheduling.Slot) bool { return o.Start.Equal(sl.Start) }) {
			out = append(out, sl)
		}
	}
	dist := func(t time.Time) time.Duration { return max(t.Sub(want), want.Sub(t)) }
	slices.SortStableFunc(out, func(a, b scheduling.Slot) int { return int(dist(a.Start) - dist(b.Start)) })
	out = out[:min(n, len(out))]
	slices.SortFunc(out, func(a, b scheduling.Slot) int { return a.Start.Compare(b.Start) })
	if out == nil {
		out = []scheduling.Slot{}
	}
	return out
}

func (s *Store) phoneRegion() string { return s.sched.PhoneRegion() }
