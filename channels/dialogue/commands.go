package dialogue

import (
	"fmt"
	"strings"

	"clinic/inbox"
	"clinic/scheduling/privacy"
	"clinic/scheduling/queue"
)

// do runs a command the patient gave at any step.
func (t *turn) do(cmd string) error {
	switch cmd {
	case cmdStatus:
		return t.needPhone(pendingStatus, t.status)
	case cmdBookings:
		return t.needPhone(pendingBookings, t.bookings)
	case cmdHuman:
		return t.human()
	case cmdCancel:
		t.release()
		t.reset()
		t.say("dialogue.cancelled")
		return nil
	case cmdRestart:
		t.release()
		t.reset()
		return t.greet()
	case cmdLanguage:
		if t.st.Step != stepLanguage {
			t.st.Resume = t.st.Step
		}
		return t.askLanguage()
	case cmdEnglish, cmdArabic:
		return t.pickLanguage(cmd)
	}
	return t.answer()
}

// needPhone runs fn when the patient's phone is known; otherwise it asks for it first and runs the
// command once it is given, then goes back to where the patient was.
func (t *turn) needPhone(pending string, fn func() error) error {
	if t.st.Phone != "" {
		return fn()
	}
	t.st.Pending, t.st.Resume = pending, t.st.Step
	return t.askPhone()
}

// resume asks the question the patient was at before a command, if any. A booking that waited for
// the phone number goes on with the number the command asked for.
func (t *turn) resume() error {
	switch t.st.Step {
	case stepIdle:
		return nil
	case stepPhone:
		return t.next()
	}
	return t.ask()
}

// status answers "where am I in line?" for today's visits of the patient with this phone: places
// and expected times, masked as the clinic's privacy settings say (DESIGN 3.3).
func (t *turn) status() error {
	views, err := privacy.NewStore(t.tx, t.e.now).WhereAmI(t.ctx, queue.New(t.tx, t.e.sched), t.st.Phone)
	if err != nil {
		return fmt.Errorf("queue place for the chat: %w", err)
	}
	if len(views) == 0 {
		t.say("dialogue.status_none")
		return t.resume()
	}
	for _, v := range views {
		clock := v.Start.Format("15:04")
		switch {
		case v.WithDoctor:
			t.say("dialogue.status_open", v.Branch, clock)
		case v.Status != "waiting":
			t.say("dialogue.status_other", v.Branch, clock)
		case v.ETA != nil:
			t.say("dialogue.status_waiting", v.Branch, clock, v.Ahead, v.ETA.From.Format("15:04"), v.ETA.To.Format("15:04"))
		default:
			t.say("dialogue.status_waiting_no_eta", v.Branch, clock, v.Ahead)
		}
	}
	return t.resume()
}

// human hands the conversation to staff: the bot stays quiet until they hand it back.
func (t *turn) human() error {
	t.release()
	t.reset()
	t.conv.Handover = true
	if err := t.e.inbox.UpdateConversation(t.ctx, t.tx, t.conv); err != nil {
		return fmt.Errorf("hand the conversation to staff: %w", err)
	}
	t.say("dialogue.human")
	return nil
}

// askLanguage offers the languages there are texts for, each named in itself.
func (t *turn) askLanguage() error {
	t.question(stepLanguage, say(t.st.Lang, "dialogue.ask_language"), []inbox.Choice{
		{ID: cmdEnglish, Label: "English"}, {ID: cmdArabic, Label: "العربية"}})
	return nil
}

// pickLanguage switches the conversation's language and asks the pending question again in it.
func (t *turn) pickLanguage(id string) error {
	lang := strings.TrimPrefix(id, "l:")
	if knownLang(lang) == "" {
		return t.wrong()
	}
	if t.st.Step == stepLanguage {
		t.st.Step = t.st.Resume
	}
	t.st.Resume = ""
	t.st.Lang = lang
	if err := t.keepLang(); err != nil {
		return err
	}
	t.say("dialogue.language_set")
	if t.st.Step == stepIdle {
		return t.greet()
	}
	return t.ask()
}
