package inbox

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// FormInput is one submission of the public booking form (or its JSON twin), as the patient typed it.
type FormInput struct {
	Name, Phone, Email, Message       string
	ExaminationID, BranchID, DoctorID *ID
	PreferredStart                    *time.Time
	// Fields are the answers to the clinic's custom fields, by key.
	Fields map[string]string
	// Lang is the language the patient reads, for the messages of refused fields.
	Lang string
	// Key makes a double submission return the request the first one made.
	Key string
	// WhatsApp is the patient agreeing to get the request's confirmation and reminders on WhatsApp at
	// Phone; Via says how they did (ConsentViaForm, ConsentViaAPI). The caller offers it only when the
	// clinic's WhatsApp is linked.
	WhatsApp bool
	Via      string
}

// Problem is what is wrong with one field, for a program (Code) and for the patient (Message, in
// their language).
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FormErrors maps a field ("phone", "preferred_start", "fields.referral_from") to its problem.
type FormErrors map[string]Problem

// SlotFilter leaves out of slots those patients may not be offered, such as slots another patient
// holds in a chat; nil leaves every slot in.
type SlotFilter func(ctx context.Context, slots []scheduling.Slot) ([]scheduling.Slot, error)

// CodeInvalidForm is the code of a submission with refused fields; its details carry "fields".
const CodeInvalidForm = "invalid_form"

// SubmitForm checks a submission against the form's settings and records it as a web-form booking
// request. A refused submission is a *scheduling.Error whose details carry "fields" (FormErrors): a
// rule error (422) or, when the picked time is no longer free, a slot_taken conflict (409) that also
// carries "alternatives". The same Key twice records one request (dup is true the second time).
// With in.WhatsApp, the patient's consent to WhatsApp messages is recorded in the request's
// transaction; a repeated submission keeps what the first recorded.
func (s *Store) SubmitForm(ctx context.Context, in FormInput, free SlotFilter) (req *Request, dup bool, err error) {
	f, err := s.FormSettings(ctx)
	if err != nil {
		return nil, false, err
	}
	nr, err := s.CheckForm(ctx, f, in, free)
	if err != nil {
		return nil, false, err
	}
	if !in.WhatsApp {
		return s.Submit(ctx, nil, nr)
	}
	err = s.inTx(ctx, nil, func(tx pgx.Tx) error {
		if req, dup, err = s.Submit(ctx, tx, nr); err != nil || dup {
			return err
		}
		return s.recordWhatsAppConsent(ctx, tx, req, in.Via)
	})
	if err != nil {
		return nil, false, err
	}
	return req, dup, nil
}

// CheckForm checks a submission against f and returns the request it makes; see SubmitForm.
// Values given for fields the form hides are left out.
func (s *Store) CheckForm(ctx context.Context, f *FormSettings, in FormInput, free SlotFilter) (NewRequest, error) {
	c := formCheck{s: s, lang: in.Lang, errs: FormErrors{}}
	nr := NewRequest{Channel: WebForm, Key: strings.TrimSpace(in.Key), Lang: in.Lang}
	nr.Name = c.text("name", in.Name, Required, scheduling.MaxNameLength)
	nr.Phone = c.phone(in.Phone)
	email := c.email(in.Email, f.Email)
	nr.Text = c.text("message", in.Message, f.Message, MaxMessageLength)
	nr.Fields = c.custom(f, in.Fields)
	if email != "" {
		nr.Fields["email"] = email
	}
	if len(nr.Fields) == 0 {
		nr.Fields = nil
	}
	exam, branch, err := c.catalog(ctx, f, in, &nr.Requested)
	if err != nil {
		return nr, err
	}
	switch {
	case !f.PreferredTime.Shown() || (in.PreferredStart == nil && f.PreferredTime == Optional):
	case in.PreferredStart == nil:
		c.fail("preferred_start", "missing_preferred_start", "form.err.pick_time")
	case exam == nil || branch == nil:
		c.fail("preferred_start", "time_needs_examination", "form.err.time_needs_examination")
	case len(c.errs) == 0:
		// The slot is looked up only for an otherwise good submission: a refused one is shown again anyway.
		start := scheduling.Instant(*in.PreferredStart)
		nr.Start = &start
		if err := c.slot(ctx, branch, exam, &nr.Requested, free); err != nil {
			return nr, err
		}
	}
	if len(c.errs) > 0 {
		return nr, scheduling.Rule(CodeInvalidForm, "%s", c.summary()).WithDetails(map[string]any{"fields": c.errs})
	}
	return nr, nil
}

// formCheck gathers the problems of one submission.
type formCheck struct {
	s    *Store
	lang string
	errs FormErrors
}

func (c *formCheck) fail(field, code, key string, args ...any) {
	if _, ok := c.errs[field]; !ok {
		c.errs[field] = Problem{Code: code, Message: formText(c.lang, key, args...)}
	}
}

// summary is the refusal's message: the first problem, and how many others there are.
func (c *formCheck) summary() string {
	keys := make([]string, 0, len(c.errs))
	for k := range c.errs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	msg := fmt.Sprintf("%s: %s", keys[0], c.errs[keys[0]].Message)
	if len(keys) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(keys)-1)
	}
	return msg
}

// text checks a free-text answer: valid text, present when required, not too long.
func (c *formCheck) text(field, raw string, v Visibility, max int) string {
	if !v.Shown() {
		return ""
	}
	t := strings.TrimSpace(raw)
	switch n := utf8.RuneCountInString(t); {
	case !utf8.ValidString(t) || strings.ContainsRune(t, 0):
		c.fail(field, "invalid_text", "form.err.invalid_text")
	case n == 0 && v == Required:
		c.fail(field, "missing_"+field, "form.err.required")
	case n > max:
		c.fail(field, "too_long", "form.err.too_long", max)
	}
	return t
}

func (c *formCheck) phone(raw string) string {
	if strings.TrimSpace(raw) == "" {
		c.fail("phone", "missing_phone", "form.err.required")
		return ""
	}
	e164, err := scheduling.NormalizePhone(raw, c.s.phoneRegion())
	if err != nil {
		c.fail("phone", "invalid_phone", "form.err.phone")
	}
	return e164
}

func (c *formCheck) email(raw string, v Visibility) string {
	e := c.text("email", raw, v, 254)
	if e == "" {
		return ""
	}
	if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e {
		c.fail("email", "invalid_email", "form.err.email")
	}
	return e
}

// custom checks the answers to the clinic's fields; an answer to a field the form does not have is
// refused, so a patient never believes the clinic read it.
func (c *formCheck) custom(f *FormSettings, answers map[string]string) map[string]string {
	out := map[string]string{}
	for key := range answers {
		if _, ok := f.Field(key); !ok {
			c.fail("fields."+key, "unknown_field", "form.err.unknown_field")
		}
	}
	for _, fd := range f.Fields {
		field := "fields." + fd.Key
		v := strings.TrimSpace(answers[fd.Key])
		if v == "" {
			switch {
			case !fd.Required:
			case fd.Kind == FieldChoice || fd.Kind == FieldYesNo:
				c.fail(field, "missing_field", "form.err.choose")
			default:
				c.fail(field, "missing_field", "form.err.required")
			}
			continue
		}
		switch fd.Kind {
		case FieldText:
			v = c.text(field, v, Optional, MaxFieldValue)
		case FieldChoice:
			if _, ok := fd.Option(v); !ok {
				c.fail(field, "unknown_choice", "form.err.choice")
			}
		case FieldDate:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				c.fail(field, "invalid_date", "form.err.date")
			}
		case FieldYesNo:
			switch strings.ToLower(v) {
			case "yes", "true":
				v = "yes"
			case "no", "false":
				v = "no"
			default:
				c.fail(field, "invalid_yes_no", "form.err.yes_no")
			}
		}
		out[fd.Key] = v
	}
	return out
}

// catalog checks the examination, branch and doctor asked for, and that they go together.
func (c *formCheck) catalog(ctx context.Context, f *FormSettings, in FormInput, r *Requested) (*scheduling.Examination, *scheduling.Branch, error) {
	var exam *scheduling.Examination
	var branch *scheduling.Branch
	pick := func(field string, v Visibility, id *ID) bool {
		switch {
		case !v.Shown():
			return false
		case id == nil && v == Required:
			c.fail(field, "missing_"+field, "form.err.choose")
			return false
		}
		return id != nil
	}
	found := func(err error, field string) (bool, error) {
		if scheduling.IsCode(err, scheduling.CodeNotFound) {
			c.fail(field, "unknown_"+strings.TrimSuffix(field, "_id"), "form.err.unknown_choice")
			return false, nil
		}
		return err == nil, err
	}
	if pick("examination_id", f.Examination, in.ExaminationID) {
		e, err := c.s.sched.GetExamination(ctx, *in.ExaminationID)
		if ok, err := found(err, "examination_id"); err != nil {
			return nil, nil, err
		} else if ok {
			exam, r.ExaminationID = e, &e.ID
		}
	}
	if pick("branch_id", f.Branch, in.BranchID) {
		b, err := c.s.sched.GetBranch(ctx, *in.BranchID)
		if ok, err := found(err, "branch_id"); err != nil {
			return nil, nil, err
		} else if ok {
			branch, r.BranchID = b, &b.ID
		}
	}
	if exam != nil && branch != nil && !slices.Contains(exam.BranchIDs, branch.ID) {
		c.fail("examination_id", "not_at_branch", "form.err.not_at_branch")
		exam = nil
	}
	if pick("doctor_id", f.Doctor, in.DoctorID) {
		d, err := c.s.sched.GetDoctor(ctx, *in.DoctorID)
		if ok, err := found(err, "doctor_id"); err != nil {
			return nil, nil, err
		} else if ok {
			r.DoctorID = &d.ID
			if exam != nil && !slices.Contains(exam.DoctorIDs, d.ID) {
				c.fail("doctor_id", "doctor_not_for_examination", "form.err.doctor_not_for_examination")
			}
		}
	}
	return exam, branch, nil
}
