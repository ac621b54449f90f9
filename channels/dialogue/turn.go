package dialogue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/inbox"
	"clinic/scheduling"
)

// turn is one inbound message on its way through the dialogue.
type turn struct {
	e    *Engine
	ctx  context.Context
	tx   pgx.Tx
	conv *inbox.Conversation
	in   inbox.Inbound
	// catalog is the catalog version read in the turn's transaction.
	catalog int64
	now     time.Time
	st      *state
	replies []Reply
	// convert is the request to book once the turn commits (direct booking), or 0.
	convert scheduling.ID
	// branch, loc and slots keep what the turn read of the chosen branch's calendar (turn.free).
	branch *scheduling.Branch
	loc    *time.Location
	slots  map[string][]scheduling.Slot
}

// sched is the scheduling service inside the turn's transaction.
func (t *turn) sched() *scheduling.Service { return t.e.sched.WithTx(t.tx) }

// say adds a reply without choices.
func (t *turn) say(key string, args ...any) {
	t.replies = append(t.replies, Reply{Text: say(t.st.Lang, key, args...)})
}

// run decides what the message means at the conversation's step and answers it.
func (t *turn) run(prev *state) error {
	if prev == nil {
		lang := knownLang(t.conv.Lang)
		if lang == "" {
			lang = t.e.firstLang(t.in)
		}
		t.st = &state{Lang: lang}
		if err := t.learn(); err != nil {
			return err
		}
		if err := t.keepLang(); err != nil {
			return err
		}
		if cmd := t.command(); cmd != "" && cmd != cmdRestart && cmd != cmdCancel {
			return t.do(cmd)
		}
		if t.lostPlace() {
			t.say("dialogue.lost")
			return t.askExam()
		}
		return t.greet()
	}
	t.st = prev
	if err := t.learn(); err != nil {
		return err
	}
	if prev.Step != stepIdle && t.now.Sub(prev.Updated) > t.e.cfg.Timeout {
		t.release()
		t.reset()
		t.say("dialogue.timeout")
		return t.askExam()
	}
	if cmd := t.command(); cmd != "" {
		return t.do(cmd)
	}
	return t.answer()
}

// learn takes what the channel and the clinic know about the patient: a phone number the channel
// vouches for, and the patient of a conversation linked to one (DESIGN 3.5: one person across
// channels). A returning patient is greeted by name and not asked again. A name the patient gave
// stays when they then share their phone; only a phone other than the one known before may be
// someone else's, so then the name is that phone's patient's, or asked again.
func (t *turn) learn() error {
	if t.in.Phone != "" && (t.in.Phone != t.st.Phone || !t.st.Verified) {
		if t.st.Phone != "" && t.st.Phone != t.in.Phone {
			t.st.Name = ""
		}
		t.st.Phone, t.st.Verified = t.in.Phone, true
	}
	if t.st.Name != "" {
		return nil
	}
	var p *scheduling.Patient
	var err error
	switch {
	case t.st.Verified:
		// The vouched phone decides: the conversation may still be linked to an earlier number's patient.
		p, err = t.sched().FindPatientByPhone(t.ctx, t.st.Phone)
	case t.conv.PatientID != nil:
		p, err = t.sched().GetPatient(t.ctx, *t.conv.PatientID)
	default:
		return nil
	}
	var de *scheduling.Error
	if errors.As(err, &de) && de.Kind == scheduling.KindNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look up the patient of conversation %d: %w", t.conv.ID, err)
	}
	t.st.Name, t.st.Phone, t.st.Verified = p.Name, p.Phone, true
	return nil
}

// keepLang records the conversation's language, so that staff's replies and confirmations use it.
func (t *turn) keepLang() error {
	if t.conv.Lang == t.st.Lang {
		return nil
	}
	t.conv.Lang = t.st.Lang
	if err := t.e.inbox.UpdateConversation(t.ctx, t.tx, t.conv); err != nil {
		return fmt.Errorf("save the conversation's language: %w", err)
	}
	return nil
}

// greet welcomes the patient (by name when known) and asks for the examination.
func (t *turn) greet() error {
	if t.st.Name != "" {
		t.say("dialogue.welcome_back", firstName(t.st.Name))
	} else {
		t.say("dialogue.welcome")
	}
	return t.askExam()
}

// reset forgets the booking in progress; who the patient is and their language stay.
func (t *turn) reset() {
	keep := state{Lang: t.st.Lang, Name: t.st.Name, Phone: t.st.Phone, Verified: t.st.Verified,
		LastID: t.st.LastID}
	*t.st = keep
}

// release lets go of the slot the conversation holds, if any. A failure only delays the hold's end.
func (t *turn) release() {
	if t.st.Slot == nil {
		return
	}
	if err := t.e.holds.Release(t.ctx, t.st.Slot.DoctorID, t.st.Slot.Start, t.conv.ID.String()); err != nil {
		t.e.log.WarnContext(t.ctx, "slot hold not released", "conversation", t.conv.ID, "err", err)
	}
	t.st.Slot = nil
}

// answer takes the message as the answer to the question of the conversation's step.
func (t *turn) answer() error {
	switch t.st.Step {
	case stepIdle:
		return t.greet()
	case stepName:
		return t.answerName()
	case stepPhone:
		return t.answerPhone()
	}
	id, ok := t.resolve()
	if !ok {
		return t.wrong()
	}
	switch t.st.Step {
	case stepExam:
		return t.pickExam(id)
	case stepBranch:
		return t.pickBranch(id)
	case stepDoctor:
		return t.pickDoctor(id)
	case stepDay:
		return t.pickDay(id)
	case stepSlot:
		return t.pickSlot(id)
	case stepBookings:
		return t.pickBooking(id)
	case stepConfirm:
		return t.confirmCancel(id)
	case stepLanguage:
		return t.pickLanguage(id)
	}
	return t.greet()
}

// wrong asks the step's question again with a short help line.
func (t *turn) wrong() error {
	t.say("dialogue.help_choice")
	return t.ask()
}

// ask asks the question of the conversation's current step (again).
func (t *turn) ask() error {
	switch t.st.Step {
	case stepExam:
		return t.askExam()
	case stepBranch:
		return t.askBranch()
	case stepDoctor:
		return t.askDoctor()
	case stepDay:
		return t.askDay()
	case stepSlot:
		return t.askSlots()
	case stepName:
		return t.askName()
	case stepPhone:
		return t.askPhone()
	case stepBookings:
		return t.askBookings()
	case stepConfirm:
		return t.askConfirm()
	case stepLanguage:
		return t.askLanguage()
	}
	return nil
}

// question adds a reply with choices and remembers them as the step's answers.
func (t *turn) question(step, text string, choices []inbox.Choice) {
	t.st.Step, t.st.Offered = step, choices
	t.replies = append(t.replies, Reply{Text: text, Choices: choices})
}
