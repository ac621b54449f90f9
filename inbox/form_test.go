package inbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
)

// referral is the clinic's "Referral from" field of the scenarios (SCENARIOS 6).
func referral(required bool) inbox.CustomField {
	return inbox.CustomField{Kind: inbox.FieldChoice, Required: required,
		Label: inbox.Label{EN: "Referral from", AR: "الإحالة من"},
		Options: []inbox.Option{
			{Label: inbox.Label{EN: "A friend", AR: "صديق"}},
			{Label: inbox.Label{EN: "Another doctor", AR: "طبيب آخر"}},
		}}
}

func withFields(fields ...inbox.CustomField) inbox.FormSettings {
	f := inbox.DefaultFormSettings()
	f.Fields = fields
	return f
}

func TestFormSettingsSaveWholeOrNothing(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()

	f, err := b.Store.FormSettings(ctx)
	require.NoError(t, err)
	require.Equal(t, inbox.Hidden, f.Email, "a new clinic hides the email")
	require.Equal(t, inbox.Optional, f.Doctor)
	require.Empty(t, f.Fields)

	in := withFields(referral(true), inbox.CustomField{Kind: inbox.FieldYesNo, Label: inbox.Label{EN: "First visit?", AR: "أول زيارة؟"}})
	in.Email = inbox.Required
	saved, err := b.Store.SetFormSettings(ctx, in, "manager@clinic")
	require.NoError(t, err)
	require.Equal(t, inbox.Required, saved.Email)
	require.Len(t, saved.Fields, 2)
	require.Equal(t, "referral_from", saved.Fields[0].Key, "a key made from the English label")
	require.Equal(t, "a_friend", saved.Fields[0].Options[0].Value)
	require.Equal(t, "first_visit", saved.Fields[1].Key)
	require.Equal(t, "manager@clinic", saved.UpdatedBy)

	// Reordered: the order is kept.
	saved.Fields[0], saved.Fields[1] = saved.Fields[1], saved.Fields[0]
	again, err := b.Store.SetFormSettings(ctx, *saved, "manager@clinic")
	require.NoError(t, err)
	require.Equal(t, []string{"first_visit", "referral_from"}, []string{again.Fields[0].Key, again.Fields[1].Key})

	for name, tc := range map[string]struct {
		change func(*inbox.FormSettings)
		code   string
		field  string
	}{
		"a label needs Arabic too": {func(f *inbox.FormSettings) { f.Fields[1].Label.AR = " " }, "missing_label", "fields[1].label.ar"},
		"a choice needs options":   {func(f *inbox.FormSettings) { f.Fields[1].Options = nil }, "missing_options", "fields[1].options"},
		"only choices have options": {func(f *inbox.FormSettings) {
			f.Fields[0].Options = []inbox.Option{{Label: inbox.Label{EN: "x", AR: "x"}}}
		}, "options_not_allowed", "fields[0].options"},
		"a kind it knows":             {func(f *inbox.FormSettings) { f.Fields[0].Kind = "file" }, "invalid_kind", "fields[0].kind"},
		"one key per field":           {func(f *inbox.FormSettings) { f.Fields[1].Key = "first_visit" }, "duplicate_key", "fields[1].key"},
		"a standard field's name":     {func(f *inbox.FormSettings) { f.Fields[1].Key = "phone" }, "reserved_key", "fields[1].key"},
		"a visibility it knows":       {func(f *inbox.FormSettings) { f.Doctor = "maybe" }, "invalid_doctor", "doctor"},
		"a time needs what and where": {func(f *inbox.FormSettings) { f.Branch = inbox.Hidden }, "time_needs_examination", "preferred_time"},
	} {
		t.Run(name, func(t *testing.T) {
			bad := *again
			bad.Fields = append([]inbox.CustomField(nil), again.Fields...)
			bad.Fields[1].Options = append([]inbox.Option(nil), again.Fields[1].Options...)
			tc.change(&bad)
			_, err := b.Store.SetFormSettings(ctx, bad, "manager@clinic")
			var de *scheduling.Error
			require.True(t, errors.As(err, &de), "%v", err)
			require.Equal(t, scheduling.KindRule, de.Kind)
			require.Equal(t, tc.code, de.Code)
			require.Equal(t, tc.field, de.Details["field"])
			now, err := b.Store.FormSettings(ctx)
			require.NoError(t, err)
			require.Equal(t, again, now, "nothing saved")
		})
	}
}

func formErrors(t *testing.T, err error) inbox.FormErrors {
	t.Helper()
	var de *scheduling.Error
	require.True(t, errors.As(err, &de), "%v", err)
	fe, ok := de.Details["fields"].(inbox.FormErrors)
	require.True(t, ok, "details: %v", de.Details)
	return fe
}

func TestSubmitFormChecksEveryField(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	f := withFields(referral(true), inbox.CustomField{Kind: inbox.FieldYesNo, Label: inbox.Label{EN: "First visit?", AR: "أول زيارة؟"}},
		inbox.CustomField{Kind: inbox.FieldDate, Label: inbox.Label{EN: "Date of birth", AR: "تاريخ الميلاد"}})
	f.Email = inbox.Required
	_, err := b.Store.SetFormSettings(ctx, f, "m")
	require.NoError(t, err)
	unknownExam := scheduling.ID(999999)

	_, _, err = b.Store.SubmitForm(ctx, inbox.FormInput{Name: " ", Phone: "12", Email: "not-an-address", Lang: "ar",
		ExaminationID: &unknownExam, Fields: map[string]string{"referral_from": "tv", "first_visit": "maybe",
			"date_of_birth": "31/12/1990", "shoe_size": "42"}}, nil)
	fe := formErrors(t, err)
	codes := map[string]string{}
	for k, p := range fe {
		codes[k] = p.Code
		require.NotEmpty(t, p.Message)
	}
	require.Equal(t, map[string]string{"name": "missing_name", "phone": "invalid_phone", "email": "invalid_email",
		"examination_id": "unknown_examination", "fields.referral_from": "unknown_choice",
		"fields.first_visit": "invalid_yes_no", "fields.date_of_birth": "invalid_date",
		"fields.shoe_size": "unknown_field"}, codes)
	require.Equal(t, "يرجى تعبئة هذا الحقل.", fe["name"].Message, "in the patient's language")

	_, _, err = b.Store.SubmitForm(ctx, inbox.FormInput{Name: "Rui Costa", Phone: "+351912000111", Email: "rui@example.com"}, nil)
	require.Equal(t, "missing_field", formErrors(t, err)["fields.referral_from"].Code, "a required custom field")

	var n int
	require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM requests`).Scan(&n))
	require.Zero(t, n, "nothing recorded for a refused form")

	c := b.Clinic
	good := inbox.FormInput{Name: " Rui Costa ", Phone: "00351 912 000 111", Email: "rui@example.com", Message: "Back pain",
		ExaminationID: &c.Consultation.ID, BranchID: &c.Branch.ID, Key: "form-token-1", Lang: "en",
		Fields: map[string]string{"referral_from": "a_friend", "first_visit": "true"}}
	req, dup, err := b.Store.SubmitForm(ctx, good, nil)
	require.NoError(t, err)
	require.False(t, dup)
	require.Equal(t, inbox.WebForm, req.Channel)
	require.Equal(t, "Rui Costa", req.Name)
	require.Equal(t, "+351912000111", req.Phone)
	require.Equal(t, map[string]string{"referral_from": "a_friend", "first_visit": "yes", "email": "rui@example.com"}, req.Requested.Fields)
	require.Equal(t, "Back pain", req.Requested.Text)

	again, dup, err := b.Store.SubmitForm(ctx, good, nil)
	require.NoError(t, err)
	require.True(t, dup, "a double submit")
	require.Equal(t, req.ID, again.ID)

	// The form hides the doctor: a doctor sent anyway is left out.
	f.Doctor = inbox.Hidden
	_, err = b.Store.SetFormSettings(ctx, f, "m")
	require.NoError(t, err)
	good.Key, good.DoctorID = "form-token-2", &c.Doctor.ID
	other, _, err := b.Store.SubmitForm(ctx, good, nil)
	require.NoError(t, err)
	require.Nil(t, other.Requested.DoctorID)
}

func TestSubmitFormPicksARealFreeSlot(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	c := b.Clinic
	at := func(h, m int) *time.Time { v := c.At(5, h, m); return &v }
	in := func(start *time.Time, key string) inbox.FormInput {
		return inbox.FormInput{Name: "Rui Costa", Phone: "+351912000111", ExaminationID: &c.Consultation.ID,
			BranchID: &c.Branch.ID, PreferredStart: start, Key: key}
	}
	day := scheduling.DateOf(c.At(5, 0, 0))
	slots, err := b.Store.FreeSlots(ctx, c.Branch.ID, c.Consultation.ID, nil, day, day, nil)
	require.NoError(t, err)
	require.NotEmpty(t, slots)
	require.True(t, slots[0].Start.Equal(*at(8, 0)), "the day's first slot: %v", slots[0].Start)

	req, _, err := b.Store.SubmitForm(ctx, in(at(10, 0), "a"), nil)
	require.NoError(t, err)
	require.True(t, req.Requested.Start.Equal(*at(10, 0)))
	require.Equal(t, c.Doctor.ID, *req.Requested.DoctorID, "the slot's doctor")

	// Booked in the meantime: refused with the nearest free times.
	_, err = b.Svc.Book(ctx, "test", c.Booking(*at(10, 0)))
	require.NoError(t, err)
	_, _, err = b.Store.SubmitForm(ctx, in(at(10, 0), "b"), nil)
	require.True(t, scheduling.IsCode(err, scheduling.CodeSlotTaken), "%v", err)
	var de *scheduling.Error
	require.True(t, errors.As(err, &de))
	require.Equal(t, scheduling.KindConflict, de.Kind)
	alts := de.Details["alternatives"].([]scheduling.Slot)
	require.Len(t, alts, inbox.MaxAlternatives)
	for i, want := range []*time.Time{at(8, 30), at(9, 0), at(9, 30), at(10, 30), at(11, 0)} {
		require.True(t, alts[i].Start.Equal(*want), "the nearest, in time order: %v", alts)
	}
	require.Equal(t, scheduling.CodeSlotTaken, formErrors(t, err)["preferred_start"].Code)

	// A slot the filter leaves out (held in a chat) is refused the same way.
	held := func(_ context.Context, s []scheduling.Slot) ([]scheduling.Slot, error) {
		var out []scheduling.Slot
		for _, sl := range s {
			if !sl.Start.Equal(*at(11, 0)) {
				out = append(out, sl)
			}
		}
		return out, nil
	}
	_, _, err = b.Store.SubmitForm(ctx, in(at(11, 0), "c"), held)
	require.True(t, scheduling.IsCode(err, scheduling.CodeSlotTaken), "%v", err)
	_, _, err = b.Store.SubmitForm(ctx, in(at(11, 0), "c"), nil)
	require.NoError(t, err)

	// Redis down, the holds unknown: the form still takes the time.
	down := func(context.Context, []scheduling.Slot) ([]scheduling.Slot, error) {
		return nil, errors.New("dial tcp 127.0.0.1:6379: connection refused")
	}
	_, _, err = b.Store.SubmitForm(ctx, in(at(11, 30), "e"), down)
	require.NoError(t, err)

	// Picking a time without saying where is refused next to the time.
	bad := in(at(12, 0), "d")
	bad.BranchID = nil
	_, _, err = b.Store.SubmitForm(ctx, bad, nil)
	require.Equal(t, "time_needs_examination", formErrors(t, err)["preferred_start"].Code)
}
