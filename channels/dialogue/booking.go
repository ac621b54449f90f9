package dialogue

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"clinic/inbox"
	"clinic/scheduling"
)

// maxOfferedExams bounds the first question's list; more would not fit a phone's screen.
const maxOfferedExams = 12

// askExam asks which examination the patient wants, among those some branch and doctor offer.
func (t *turn) askExam() error {
	exams, err := t.e.exams.examinations(t.ctx, t.sched(), t.catalog)
	if err != nil {
		return fmt.Errorf("list examinations for the chat: %w", err)
	}
	var choices []inbox.Choice
	for _, x := range exams {
		if len(x.BranchIDs) > 0 && len(x.DoctorIDs) > 0 && len(choices) < maxOfferedExams {
			choices = append(choices, inbox.Choice{ID: "x:" + x.ID.String(), Label: x.Name})
		}
	}
	if len(choices) == 0 {
		return t.dead("dialogue.no_exams")
	}
	t.question(stepExam, say(t.st.Lang, "dialogue.ask_exam"), choices)
	return nil
}

// dead ends a path nothing can be offered on: it says why and offers a person or a new start.
func (t *turn) dead(key string) error {
	t.question(stepIdle, say(t.st.Lang, key), []inbox.Choice{
		{ID: cmdRestart, Label: say(t.st.Lang, "dialogue.choice_restart")},
		{ID: cmdHuman, Label: say(t.st.Lang, "dialogue.choice_human")}})
	return nil
}

func (t *turn) pickExam(id string) error {
	x, err := t.sched().GetExamination(t.ctx, idAfter(id, "x:"))
	if err != nil {
		return fmt.Errorf("read the chosen examination: %w", err)
	}
	t.st.ExamID, t.st.BranchID, t.st.DoctorID, t.st.Day = x.ID, 0, 0, ""
	t.release()
	if len(x.BranchIDs) == 1 {
		return t.pickBranch("b:" + x.BranchIDs[0].String())
	}
	return t.askBranch()
}

// askBranch asks where, among the branches that offer the examination.
func (t *turn) askBranch() error {
	x, err := t.sched().GetExamination(t.ctx, t.st.ExamID)
	if err != nil {
		return fmt.Errorf("read the chosen examination: %w", err)
	}
	branches, err := t.sched().ListBranches(t.ctx)
	if err != nil {
		return fmt.Errorf("list branches for the chat: %w", err)
	}
	var choices []inbox.Choice
	for _, b := range branches {
		if slices.Contains(x.BranchIDs, b.ID) {
			choices = append(choices, inbox.Choice{ID: "b:" + b.ID.String(), Label: b.Name})
		}
	}
	t.question(stepBranch, say(t.st.Lang, "dialogue.ask_branch", x.Name), choices)
	return nil
}

func (t *turn) pickBranch(id string) error {
	t.st.BranchID, t.st.DoctorID, t.st.Day = idAfter(id, "b:"), 0, ""
	return t.askDoctor()
}

// askDoctor offers the doctors who have free time in the coming days, and "any doctor"; with one
// such doctor it goes straight on to the day.
func (t *turn) askDoctor() error {
	slots, _, err := t.free(0, "")
	if err != nil {
		return err
	}
	var ids []scheduling.ID
	for _, sl := range slots {
		if !slices.Contains(ids, sl.DoctorID) {
			ids = append(ids, sl.DoctorID)
		}
	}
	switch len(ids) {
	case 0:
		return t.dead("dialogue.no_days")
	case 1:
		t.st.DoctorID = 0
		return t.askDay()
	}
	doctors, err := t.sched().ListDoctors(t.ctx)
	if err != nil {
		return fmt.Errorf("list doctors for the chat: %w", err)
	}
	choices := []inbox.Choice{{ID: "d:0", Label: say(t.st.Lang, "dialogue.any_doctor")}}
	for _, d := range doctors {
		if slices.Contains(ids, d.ID) {
			choices = append(choices, inbox.Choice{ID: "d:" + d.ID.String(), Label: d.Name})
		}
	}
	t.question(stepDoctor, say(t.st.Lang, "dialogue.ask_doctor"), choices)
	return nil
}

func (t *turn) pickDoctor(id string) error {
	t.st.DoctorID, t.st.Day = idAfter(id, "d:"), ""
	return t.askDay()
}

// askDay offers the first days with free time.
func (t *turn) askDay() error {
	slots, loc, err := t.free(t.st.DoctorID, "")
	if err != nil {
		return err
	}
	var choices []inbox.Choice
	for _, sl := range slots {
		day := sl.Start.In(loc).Format(time.DateOnly)
		if n := len(choices); n > 0 && choices[n-1].ID == "y:"+day {
			continue
		}
		if len(choices) == maxOfferedDays {
			break
		}
		choices = append(choices, inbox.Choice{ID: "y:" + day, Label: dayLabel(t.st.Lang, sl.Start.In(loc))})
	}
	if len(choices) == 0 {
		return t.dead("dialogue.no_days")
	}
	t.question(stepDay, say(t.st.Lang, "dialogue.ask_day"), choices)
	return nil
}

func (t *turn) pickDay(id string) error {
	t.st.Day = strings.TrimPrefix(id, "y:")
	return t.askSlots()
}

// askSlots offers up to five free starts on the chosen day, leaving out slots others hold. When the
// day has filled up since it was offered, the patient is asked for another day.
func (t *turn) askSlots() error {
	slots, loc, err := t.free(t.st.DoctorID, t.st.Day)
	if err != nil {
		return err
	}
	var choices []inbox.Choice
	var last time.Time
	names := map[scheduling.ID]string{}
	// With any doctor and several in the list, each time says whose it is.
	several := slices.ContainsFunc(slots, func(sl scheduling.Slot) bool { return sl.DoctorID != slots[0].DoctorID })
	for _, sl := range slots {
		if sl.Start.Equal(last) || len(choices) == maxOfferedSlots {
			continue // one doctor per start is enough
		}
		last = sl.Start
		label := sl.Start.In(loc).Format("15:04")
		if several {
			if names[sl.DoctorID] == "" {
				d, err := t.sched().GetDoctor(t.ctx, sl.DoctorID)
				if err != nil {
					return fmt.Errorf("read a doctor's name for the chat: %w", err)
				}
				names[sl.DoctorID] = d.Name
			}
			label += " · " + names[sl.DoctorID]
		}
		choices = append(choices, inbox.Choice{ID: fmt.Sprintf("s:%d:%d", sl.Start.Unix(), sl.DoctorID), Label: label})
	}
	if len(choices) == 0 {
		t.say("dialogue.day_full")
		return t.askDay()
	}
	day, _ := time.ParseInLocation(time.DateOnly, t.st.Day, loc)
	t.question(stepSlot, say(t.st.Lang, "dialogue.ask_slot", dayLabel(t.st.Lang, day)), choices)
	return nil
}

// pickSlot holds the chosen slot for the conversation. A slot that is no longer free (booked since
// it was offered) or that someone else holds is answered politely, with fresh slots.
func (t *turn) pickSlot(id string) error {
	start, doctor, ok := parseSlot(id)
	if !ok {
		return t.wrong()
	}
	slots, _, err := t.free(doctor, t.st.Day)
	if err != nil {
		return err
	}
	free := slices.ContainsFunc(slots, func(sl scheduling.Slot) bool { return sl.DoctorID == doctor && sl.Start.Equal(start) })
	if free {
		held, err := t.e.holds.Hold(t.ctx, doctor, start, t.conv.ID.String())
		if err != nil {
			return err
		}
		free = held
	}
	if !free {
		t.say("dialogue.slot_gone")
		return t.askSlots()
	}
	if t.st.Slot != nil && (t.st.Slot.DoctorID != doctor || !t.st.Slot.Start.Equal(start)) {
		t.release()
	}
	t.st.Slot = &picked{Start: start, DoctorID: doctor}
	return t.next()
}

// free returns the free slots of the chosen examination at the chosen branch for doctor (0: any),
// on day (YYYY-MM-DD) or, when day is empty, over the days the bot looks ahead, and the branch's
// time zone. A day's slots leave out those other conversations hold; the days ahead do not (they
// only say which days and doctors have time, and a day whose every slot is held answers "that day
// has just filled up"). One turn computes each answer once.
func (t *turn) free(doctor scheduling.ID, day string) ([]scheduling.Slot, *time.Location, error) {
	if t.branch == nil || t.branch.ID != t.st.BranchID {
		b, err := t.sched().GetBranch(t.ctx, t.st.BranchID)
		if err != nil {
			return nil, nil, fmt.Errorf("read the chosen branch: %w", err)
		}
		loc, err := scheduling.LoadLocation(b.Timezone)
		if err != nil {
			return nil, nil, fmt.Errorf("branch %d time zone: %w", b.ID, err)
		}
		t.branch, t.loc, t.slots = b, loc, map[string][]scheduling.Slot{}
	}
	key := fmt.Sprintf("%d:%d:%s", t.st.ExamID, doctor, day)
	if slots, ok := t.slots[key]; ok {
		return slots, t.loc, nil
	}
	local := t.now.In(t.loc)
	from := scheduling.DateOf(local)
	to := scheduling.DateOf(local.AddDate(0, 0, t.e.cfg.Days-1))
	if day != "" {
		d, err := scheduling.ParseDate(day)
		if err != nil {
			return nil, nil, fmt.Errorf("the chosen day %q: %w", day, err)
		}
		from, to = d, d
	}
	slots, err := t.sched().Availability(t.ctx, scheduling.AvailabilityQuery{BranchID: t.st.BranchID, DoctorID: doctor,
		ExaminationIDs: []scheduling.ID{t.st.ExamID}, From: from, To: to, Channel: string(t.conv.Channel)})
	if err != nil {
		return nil, nil, fmt.Errorf("free slots for the chat: %w", err)
	}
	if day != "" {
		if slots, err = t.e.holds.Filter(t.ctx, slots, t.conv.ID.String()); err != nil {
			return nil, nil, err
		}
	}
	t.slots[key] = slots
	return slots, t.loc, nil
}

// idAfter reads the id of a choice like "x:12"; the choice was one the step offered.
func idAfter(choice, prefix string) scheduling.ID {
	id, _ := scheduling.ParseID(strings.TrimPrefix(choice, prefix))
	return id
}

// parseSlot reads a slot choice "s:<unix start>:<doctor id>".
func parseSlot(choice string) (time.Time, scheduling.ID, bool) {
	parts := strings.Split(choice, ":")
	if len(parts) != 3 || parts[0] != "s" {
		return time.Time{}, 0, false
	}
	unix, err := strconv.ParseInt(parts[1], 10, 64)
	doctor, ok := scheduling.ParseID(parts[2])
	if err != nil || !ok {
		return time.Time{}, 0, false
	}
	return time.Unix(unix, 0), doctor, true
}
