package dialogue

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"clinic/inbox"
	"clinic/scheduling"
)

// maxListedBookings bounds the "my bookings" list.
const maxListedBookings = 5

// bookings lists the patient's upcoming visits to pick one to cancel. Only a phone number the channel
// vouched for shows them: a typed number could be anyone's.
func (t *turn) bookings() error {
	if !t.st.Verified {
		t.say("dialogue.bookings_unverified")
		return t.resume()
	}
	return t.askBookings()
}

// upcoming is the patient's waiting visits from now on, soonest first.
func (t *turn) upcoming() ([]scheduling.Session, error) {
	p, err := t.sched().FindPatientByPhone(t.ctx, t.st.Phone)
	var de *scheduling.Error
	if errors.As(err, &de) && de.Kind == scheduling.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find the patient for the chat: %w", err)
	}
	page, err := t.sched().PatientSessions(t.ctx, p.ID, "", 50)
	if err != nil {
		return nil, fmt.Errorf("list the patient's visits for the chat: %w", err)
	}
	var out []scheduling.Session
	for _, s := range page.Items {
		if s.Status == scheduling.StatusWaiting && s.Start.After(t.now) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b scheduling.Session) int { return a.Start.Compare(b.Start) })
	return out[:min(len(out), maxListedBookings)], nil
}

func (t *turn) askBookings() error {
	list, err := t.upcoming()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		t.st.Step = stepIdle
		t.say("dialogue.bookings_none")
		return nil
	}
	choices := make([]inbox.Choice, len(list))
	for i, s := range list {
		label, err := t.visitLabel(&s)
		if err != nil {
			return err
		}
		choices[i] = inbox.Choice{ID: "k:" + s.ID.String(), Label: label}
	}
	choices = append(choices, inbox.Choice{ID: cmdRestart, Label: say(t.st.Lang, "dialogue.choice_restart")})
	t.question(stepBookings, say(t.st.Lang, "dialogue.bookings_list"), choices)
	return nil
}

// visitLabel reads a visit as the patient knows it: day, time at the branch and examinations.
func (t *turn) visitLabel(s *scheduling.Session) (string, error) {
	b, err := t.sched().GetBranch(t.ctx, s.BranchID)
	if err != nil {
		return "", fmt.Errorf("read a visit's branch: %w", err)
	}
	loc, _ := scheduling.LoadLocation(b.Timezone)
	local := s.Start.In(loc)
	names := make([]string, len(s.Examinations))
	for i, x := range s.Examinations {
		names[i] = x.Name
	}
	return dayLabel(t.st.Lang, local) + " " + local.Format("15:04") + " · " + strings.Join(names, ", "), nil
}

func (t *turn) pickBooking(id string) error {
	t.st.Cancel = idAfter(id, "k:")
	return t.askConfirm()
}

// askConfirm asks the patient to confirm cancelling the visit they picked.
func (t *turn) askConfirm() error {
	s, err := t.sched().GetSession(t.ctx, t.st.Cancel)
	if err != nil {
		return fmt.Errorf("read the visit to cancel: %w", err)
	}
	label, err := t.visitLabel(s)
	if err != nil {
		return err
	}
	t.question(stepConfirm, say(t.st.Lang, "dialogue.confirm_cancel", label), []inbox.Choice{
		{ID: "ok", Label: say(t.st.Lang, "dialogue.choice_yes_cancel")},
		{ID: "no", Label: say(t.st.Lang, "dialogue.choice_no_keep")}})
	return nil
}

// confirmCancel cancels the visit on a yes, after checking again that it is one of the patient's
// upcoming visits.
func (t *turn) confirmCancel(answer string) error {
	id := t.st.Cancel
	t.st.Cancel, t.st.Step = 0, stepIdle
	if answer != "ok" {
		t.say("dialogue.cancel_kept")
		return nil
	}
	list, err := t.upcoming()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(s scheduling.Session) bool { return s.ID == id }) {
		t.say("dialogue.cancel_failed")
		return nil
	}
	actor := scheduling.Actor("chat:" + t.conv.ID.String())
	_, err = t.sched().Cancel(t.ctx, actor, id, say(t.st.Lang, "dialogue.cancel_reason"))
	var de *scheduling.Error
	if errors.As(err, &de) {
		t.say("dialogue.cancel_failed")
		return nil
	}
	if err != nil {
		return fmt.Errorf("cancel a visit from the chat: %w", err)
	}
	t.say("dialogue.cancel_done")
	return nil
}
