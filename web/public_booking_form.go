package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"clinic/inbox"
	"clinic/scheduling"
)

// bookView is what the booking form page shows: the fields before the time picker, the picker, the
// fields after it, and what went wrong.
type bookView struct {
	T       func(key string) string
	Lang    string
	Token   string
	Summary string
	Before  []formField
	Time    *timePicker
	After   []formField
	// WhatsApp is the opt-in to the confirmation and reminders on WhatsApp, nil when not offered.
	WhatsApp *optIn
}

// optIn is a checkbox the patient ticks to agree to something; unticked unless they ticked it.
type optIn struct {
	Name, Label string
	Checked     bool
}

// formField is one field of the form as the template draws it.
type formField struct {
	Name, ID, Label, Kind, Value, Error, Hint string
	Placeholder, Optional, Autocomplete, Dir  string
	Required                                  bool
	Max                                       int
	Options                                   []formOption
}

// formOption is one option of a select, a yes/no pair or the slot list. Data carries what the page's
// script filters by (an examination's branches and doctors).
type formOption struct {
	Value, Label, Data string
	Selected           bool
}

// timePicker is the day and free-slot picker.
type timePicker struct {
	Label, DayLabel, Show, Optional, NoTime, NoTimes, PickFirst, TimesFor string
	Required, Listed, Picked                                              bool
	Date, Min, Max, Heading, Error                                        string
	Slots                                                                 []formOption
}

// bookState is a submission being shown again: what was typed, what is wrong, and the slots listed.
type bookState struct {
	in     inbox.FormInput
	raw    map[string]string // the typed values by form name
	errs   inbox.FormErrors
	slots  []scheduling.Slot
	listed bool
	alts   bool
	loc    *time.Location
}

// newToken is a fresh form token: a double submission of one page carries the same one.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// view builds the form page for the clinic's settings in lang.
func (b *bookingForm) view(ctx context.Context, f *inbox.FormSettings, lang, token string, st bookState) (*bookView, error) {
	t := func(key string) string { return inbox.FormText(lang, key) }
	v := &bookView{T: t, Lang: lang, Token: token}
	optional := t("form.optional")
	errOf := func(name string) string { return st.errs[name].Message }
	field := func(name, label, kind string, vis inbox.Visibility) formField {
		return formField{Name: name, ID: name, Label: label, Kind: kind, Value: st.raw[name], Error: errOf(name),
			Required: vis == inbox.Required, Optional: optional, Placeholder: t("form.choose")}
	}
	name := field("name", t("form.name"), "text", inbox.Required)
	name.Autocomplete, name.Max = "name", scheduling.MaxNameLength
	phone := field("phone", t("form.phone"), "tel", inbox.Required)
	phone.Autocomplete, phone.Dir, phone.Hint, phone.Max = "tel", "ltr", t("form.phone_hint"), 40
	v.Before = append(v.Before, name, phone)
	if f.Email.Shown() {
		email := field("email", t("form.email"), "email", f.Email)
		email.Autocomplete, email.Dir, email.Max = "email", "ltr", 254
		v.Before = append(v.Before, email)
	}
	if err := b.catalogFields(ctx, f, v, field, st); err != nil {
		return nil, err
	}
	if f.PreferredTime.Shown() {
		v.Time = b.picker(f, lang, t, st)
	}
	if f.Message.Shown() {
		msg := field("message", t("form.message"), "textarea", f.Message)
		msg.Max = inbox.MaxMessageLength
		v.After = append(v.After, msg)
	}
	for _, cf := range f.Fields {
		fd := field("field_"+cf.Key, cf.Label.In(lang), "text", inbox.Optional)
		fd.Required, fd.Error = cf.Required, errOf("fields."+cf.Key)
		switch cf.Kind {
		case inbox.FieldText:
			fd.Max = inbox.MaxFieldValue
		case inbox.FieldDate:
			fd.Kind, fd.Dir = "date", "ltr"
		case inbox.FieldChoice:
			fd.Kind = "select"
			for _, o := range cf.Options {
				fd.Options = append(fd.Options, formOption{Value: o.Value, Label: o.Label.In(lang), Selected: fd.Value == o.Value})
			}
		case inbox.FieldYesNo:
			fd.Kind = "yes_no"
			fd.Options = []formOption{{Value: "yes", Label: t("form.yes"), Selected: fd.Value == "yes"},
				{Value: "no", Label: t("form.no"), Selected: fd.Value == "no"}}
		}
		v.After = append(v.After, fd)
	}
	if b.s.whatsappOffered(ctx) {
		v.WhatsApp = &optIn{Name: "whatsapp", Label: t("form.whatsapp_consent"), Checked: st.raw["whatsapp"] != ""}
	}
	if p, ok := st.errs["form"]; ok {
		v.Summary = p.Message
	} else if len(st.errs) > 0 {
		v.Summary = t("form.fix")
	}
	return v, nil
}

// catalogFields adds the examination, branch and doctor selects. Each examination option lists its
// branches and doctors, so the page's script offers only what goes with it.
func (b *bookingForm) catalogFields(ctx context.Context, f *inbox.FormSettings, v *bookView,
	field func(name, label, kind string, vis inbox.Visibility) formField, st bookState) error {
	if !f.Examination.Shown() && !f.Branch.Shown() && !f.Doctor.Shown() {
		return nil
	}
	exams, err := b.s.sched.ListExaminations(ctx, 0)
	if err != nil {
		return err
	}
	if f.Examination.Shown() {
		fd := field("examination_id", v.T("form.examination"), "select", f.Examination)
		for _, e := range exams {
			var data []string
			for _, id := range e.BranchIDs {
				data = append(data, "b"+id.String())
			}
			for _, id := range e.DoctorIDs {
				data = append(data, "d"+id.String())
			}
			fd.Options = append(fd.Options, formOption{Value: e.ID.String(), Label: e.Name, Data: strings.Join(data, " "),
				Selected: fd.Value == e.ID.String()})
		}
		v.Before = append(v.Before, fd)
	}
	if f.Branch.Shown() {
		branches, err := b.s.sched.ListBranches(ctx)
		if err != nil {
			return err
		}
		fd := field("branch_id", v.T("form.branch"), "select", f.Branch)
		for _, br := range branches {
			fd.Options = append(fd.Options, formOption{Value: br.ID.String(), Label: br.Name,
				Selected: fd.Value == br.ID.String() || (len(branches) == 1 && fd.Value == "")})
		}
		v.Before = append(v.Before, fd)
	}
	if f.Doctor.Shown() {
		doctors, err := b.s.sched.ListDoctors(ctx)
		if err != nil {
			return err
		}
		fd := field("doctor_id", v.T("form.doctor"), "select", f.Doctor)
		if f.Doctor == inbox.Optional {
			fd.Placeholder = v.T("form.any_doctor")
		}
		for _, d := range doctors {
			// Only doctors who do something that can be booked.
			if !slices.ContainsFunc(exams, func(e scheduling.Examination) bool { return slices.Contains(e.DoctorIDs, d.ID) }) {
				continue
			}
			fd.Options = append(fd.Options, formOption{Value: d.ID.String(), Label: d.Name, Selected: fd.Value == d.ID.String()})
		}
		v.Before = append(v.Before, fd)
	}
	return nil
}

// picker is the time picker with the slots listed for the chosen day, or the alternatives to a
// time that was taken.
func (b *bookingForm) picker(f *inbox.FormSettings, lang string, t func(string) string, st bookState) *timePicker {
	today := b.s.sched.Now()
	p := &timePicker{Label: t("form.time"), DayLabel: t("form.day"), Show: t("form.show_times"), Optional: t("form.optional"),
		NoTime: t("form.no_time"), NoTimes: t("form.no_times"), PickFirst: t("form.pick_first"),
		TimesFor: inbox.FormText(lang, "form.times_for", "%s"), Required: f.PreferredTime == inbox.Required,
		Listed: st.listed, Date: st.raw["date"], Min: today.Format(time.DateOnly), Error: st.errs["preferred_start"].Message}
	picked := st.raw["preferred_start"]
	p.Picked = picked != "" && !st.alts
	if st.listed && p.Date != "" {
		if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
			p.Heading = inbox.FormText(lang, "form.times_for", dayName(lang, d))
		}
	}
	if st.alts {
		p.Heading = t("form.alternatives")
	}
	for _, sl := range st.slots {
		start := sl.Start.In(st.loc)
		label := clockLabel(lang, start)
		if st.alts {
			label = dayName(lang, start) + " · " + label
		}
		p.Slots = append(p.Slots, formOption{Value: sl.Start.Format(time.RFC3339), Label: label,
			Selected: p.Picked && picked == sl.Start.Format(time.RFC3339)})
	}
	return p
}

// uniqueStarts keeps one slot per start time: the patient picks a time, the request names the doctor.
func uniqueStarts(slots []scheduling.Slot) []scheduling.Slot {
	out := make([]scheduling.Slot, 0, len(slots))
	for _, sl := range slots {
		if len(out) == 0 || !out[len(out)-1].Start.Equal(sl.Start) {
			out = append(out, sl)
		}
	}
	return out
}

// parseID reads an id typed into a form; anything that is no id reads as one that does not exist.
func parseID(raw string) *scheduling.ID {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		n = -1
	}
	id := scheduling.ID(n)
	return &id
}
