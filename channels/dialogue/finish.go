package dialogue

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"clinic/inbox"
	"clinic/scheduling"
)

// maxNameRunes bounds a typed name.
const maxNameRunes = 100

// next asks for what is still missing after the slot (the name, the phone) or finishes.
func (t *turn) next() error {
	switch {
	case t.st.Name == "":
		return t.askName()
	case t.st.Phone == "":
		return t.askPhone()
	}
	return t.finish()
}

// askName asks for the patient's name, offering the name the channel knows as a choice.
func (t *turn) askName() error {
	var choices []inbox.Choice
	if name := strings.TrimSpace(t.conv.Name); name != "" && utf8.RuneCountInString(name) <= 60 {
		choices = []inbox.Choice{{ID: "n", Label: name}}
	}
	t.question(stepName, say(t.st.Lang, "dialogue.ask_name"), choices)
	return nil
}

func (t *turn) answerName() error {
	name := strings.Join(strings.Fields(t.in.Text), " ")
	if t.in.Choice == "n" {
		name = strings.TrimSpace(t.conv.Name)
	}
	if !plausibleName(name) {
		t.say("dialogue.help_name")
		return t.askName()
	}
	t.st.Name = name
	if t.conv.Name == "" {
		t.conv.Name = name
		if err := t.e.inbox.UpdateConversation(t.ctx, t.tx, t.conv); err != nil {
			return fmt.Errorf("save the patient's name on the conversation: %w", err)
		}
	}
	return t.next()
}

// plausibleName is a name of 2 to 100 characters with a letter in it.
func plausibleName(name string) bool {
	n := utf8.RuneCountInString(name)
	return n >= 2 && n <= maxNameRunes && strings.IndexFunc(name, unicode.IsLetter) >= 0
}

// askPhone asks for a phone number; channels that can share one show their button for it.
func (t *turn) askPhone() error {
	t.st.Step, t.st.Offered = stepPhone, nil
	t.replies = append(t.replies, Reply{Text: say(t.st.Lang, "dialogue.ask_phone"), AskPhone: true})
	return nil
}

func (t *turn) answerPhone() error {
	if t.in.Phone == "" {
		phone, err := scheduling.NormalizePhone(westernDigits(t.in.Text), t.e.cfg.PhoneRegion)
		if err != nil {
			t.say("dialogue.help_phone")
			return t.askPhone()
		}
		t.st.Phone, t.st.Verified = phone, false
	}
	if t.conv.Phone == "" {
		t.conv.Phone = t.st.Phone
		if err := t.e.inbox.UpdateConversation(t.ctx, t.tx, t.conv); err != nil {
			return fmt.Errorf("save the patient's phone on the conversation: %w", err)
		}
	}
	if pending := t.st.Pending; pending != "" {
		t.st.Pending = ""
		t.st.Step = t.st.Resume
		if pending == pendingStatus {
			return t.status()
		}
		return t.bookings()
	}
	return t.next()
}

// finish records the request for the held slot (or books it, where the clinic lets the bots book)
// and tells the patient what happens next. The request's key makes a re-run record it once.
func (t *turn) finish() error {
	slot := t.st.Slot
	if slot == nil || t.st.ExamID == 0 {
		return t.greet()
	}
	exam, branch, doctor := t.st.ExamID, t.st.BranchID, slot.DoctorID
	start := slot.Start
	req := inbox.NewRequest{Channel: t.conv.Channel, Address: t.conv.Address,
		Key:  "chat:" + t.conv.ID.String() + ":" + t.turnKey(),
		Name: t.st.Name, Phone: t.st.Phone, Lang: t.st.Lang,
		Requested: inbox.Requested{ExaminationID: &exam, BranchID: &branch, DoctorID: &doctor, Start: &start}}
	booked, err := t.record(req, t.e.current().DirectBooking)
	if err != nil {
		return err
	}
	x, err := t.sched().GetExamination(t.ctx, exam)
	if err != nil {
		return fmt.Errorf("read the booked examination: %w", err)
	}
	d, err := t.sched().GetDoctor(t.ctx, doctor)
	if err != nil {
		return fmt.Errorf("read the booked doctor: %w", err)
	}
	b, err := t.sched().GetBranch(t.ctx, branch)
	if err != nil {
		return fmt.Errorf("read the booked branch: %w", err)
	}
	loc, _ := scheduling.LoadLocation(b.Timezone)
	local := start.In(loc)
	key := "dialogue.recorded"
	if booked {
		key = "dialogue.booked"
	}
	name := firstName(t.st.Name)
	t.reset()
	t.say(key, name, x.Name, dayLabel(t.st.Lang, local), local.Format("15:04"), d.Name, b.Name)
	return nil
}

// turnKey names the message this turn answers, for idempotency keys.
func (t *turn) turnKey() string {
	if t.in.ExternalID != "" {
		return t.in.ExternalID
	}
	return t.now.Format(time.RFC3339Nano)
}

// record submits the booking request. Where the clinic lets the bots book, the turn also notes the
// request to convert into a visit once the turn has committed (Engine.AfterCommit): the inbox's
// conversion runs in a transaction of its own, which must see the request.
func (t *turn) record(req inbox.NewRequest, direct bool) (bool, error) {
	r, _, err := t.e.inbox.Submit(t.ctx, t.tx, req)
	if err != nil {
		return false, fmt.Errorf("record the chat's booking request: %w", err)
	}
	if direct {
		t.convert = r.ID
	}
	return direct, nil
}
