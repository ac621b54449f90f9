package scheduling_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func set(v string) scheduling.PatchField { return scheduling.PatchField{Set: true, Value: &v} }

var null = scheduling.PatchField{Set: true}

func TestUpdatePatientChangesOnlyTheFieldsGiven(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	id := c.Patient.ID

	p, err := b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Name: set("  Maria da Silva ")})
	require.NoError(t, err)
	require.Equal(t, "Maria da Silva", p.Name)
	require.Equal(t, c.Patient.Phone, p.Phone)
	require.Equal(t, schedtest.Now, p.CreatedAt)

	p, err = b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Phone: set("00351 934 000 111")})
	require.NoError(t, err)
	require.Equal(t, "+351934000111", p.Phone, "stored in E.164")

	p, err = b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Email: set("maria@example.org"), BirthDate: set("1980-02-29")})
	require.NoError(t, err)
	require.Equal(t, "maria@example.org", *p.Email)
	require.Equal(t, "1980-02-29", *p.BirthDate)
	require.Equal(t, "Maria da Silva", p.Name)

	got := schedtest.Must(b.Svc.GetPatient(ctx, id))(t)
	require.Equal(t, p, got, "what the update answers is what is stored")

	p, err = b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Email: null, BirthDate: set("")})
	require.NoError(t, err)
	require.Nil(t, p.Email, "null clears the email")
	require.Nil(t, p.BirthDate, `"" clears the birth date`)
	p, err = b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Email: set("maria@example.org")})
	require.NoError(t, err)
	p, err = b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Email: set(" ")})
	require.NoError(t, err)
	require.Nil(t, p.Email, `"" clears the email too`)
}

func TestUpdatePatientRefusals(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	other := schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Sousa", Phone: "+351934567890"}))(t)
	id := c.Patient.ID

	for _, tc := range []struct {
		name  string
		patch scheduling.PatientPatch
		kind  scheduling.Kind
		code  string
	}{
		{"nothing to change", scheduling.PatientPatch{}, scheduling.KindRule, "nothing_to_change"},
		{"name cleared", scheduling.PatientPatch{Name: set(" ")}, scheduling.KindRule, "missing_name"},
		{"name null", scheduling.PatientPatch{Name: null}, scheduling.KindRule, "missing_name"},
		{"name too long in characters", scheduling.PatientPatch{Name: set(strings.Repeat("ã", scheduling.MaxNameLength+1))}, scheduling.KindRule, "too_long"},
		{"name not UTF-8", scheduling.PatientPatch{Name: set("Ma\xffria")}, scheduling.KindInvalid, "invalid_text"},
		{"phone cleared", scheduling.PatientPatch{Phone: null}, scheduling.KindRule, "missing_phone"},
		{"phone not a number", scheduling.PatientPatch{Phone: set("+351 12")}, scheduling.KindRule, "invalid_phone"},
		{"email not an address", scheduling.PatientPatch{Email: set("maria at example")}, scheduling.KindRule, "invalid_email"},
		{"birth date not a date", scheduling.PatientPatch{BirthDate: set("29/02/1980")}, scheduling.KindInvalid, "invalid_date"},
		{"birth date in the future", scheduling.PatientPatch{BirthDate: set("2030-01-01")}, scheduling.KindRule, "invalid_birth_date"},
		{"another patient's phone", scheduling.PatientPatch{Name: set("Changed"), Phone: set("+351 934 567 890")}, scheduling.KindConflict, scheduling.CodeDuplicatePhone},
	} {
		_, err := b.Svc.UpdatePatient(ctx, id, tc.patch)
		de := requireCode(t, err, tc.kind, tc.code)
		if tc.code == scheduling.CodeDuplicatePhone {
			require.Equal(t, other.ID, de.Details["patient_id"], "the conflict names the patient who has the phone")
		}
	}
	got := schedtest.Must(b.Svc.GetPatient(ctx, id))(t)
	require.Equal(t, c.Patient, got, "a refused update changes nothing")

	_, err := b.Svc.UpdatePatient(ctx, 987654, scheduling.PatientPatch{Name: set("Nobody")})
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
	p, err := b.Svc.UpdatePatient(ctx, id, scheduling.PatientPatch{Phone: set(c.Patient.Phone)})
	require.NoError(t, err, "keeping one's own phone is no conflict")
	require.Equal(t, c.Patient.Phone, p.Phone)
}

func TestCreatePatientTakesTheServiceClock(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	ctx := context.Background()
	*b.Clock = schedtest.Now.Add(90*time.Minute + 123456789*time.Nanosecond)
	p := schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rita", Phone: "+351912000333"}))(t)
	want := schedtest.Now.Add(90 * time.Minute)
	require.Equal(t, want, p.CreatedAt)
	got := schedtest.Must(b.Svc.GetPatient(ctx, p.ID))(t)
	require.Equal(t, want, got.CreatedAt, "stored as the service's clock said, not the database's")

	_, err := b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: strings.Repeat("é", scheduling.MaxNameLength+1), Phone: "+351912000334"})
	requireCode(t, err, scheduling.KindRule, "too_long")
	_, err = b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: strings.Repeat("é", scheduling.MaxNameLength), Phone: "+351912000334"})
	require.NoError(t, err, "the limit counts characters, not bytes")
}

func TestPatientPatchReadsPresentNullAndAbsentFields(t *testing.T) {
	t.Parallel()
	var p scheduling.PatientPatch
	require.NoError(t, json.Unmarshal([]byte(`{"email": null, "birth_date": "", "other": 1}`), &p))
	require.False(t, p.Name.Set)
	require.False(t, p.Phone.Set)
	require.True(t, p.Email.Set)
	require.Nil(t, p.Email.Value)
	require.True(t, p.BirthDate.Set)
	require.Equal(t, "", *p.BirthDate.Value)

	err := json.Unmarshal([]byte(`{"name": 5}`), &p)
	de := requireCode(t, err, scheduling.KindInvalid, "invalid_field")
	require.Equal(t, `field "name" must be text or null`, de.Message)
	requireCode(t, json.Unmarshal([]byte(`[1]`), &p), scheduling.KindInvalid, "invalid_json")
}
