package record_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
)

func TestWriteAndReadARecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)

	rec, err := f.store.Put(ctx, f.doctor(), id, input(t, `{
		"vitals": {"systolic": 128, "diastolic": 84, "pulse": 72, "temperature_c": 36.6, "spo2": 98,
			"weight_kg": 72.50, "height_cm": 180},
		"complaint": "  Sore throat for three days ",
		"findings": "Red pharynx, no exudate",
		"diagnoses": [{"icd10": "j069", "text": "viral"}, {"text": "dehydration suspected"}],
		"notes": "Fluids, rest"}`))
	require.NoError(t, err)

	require.Equal(t, id, rec.SessionID)
	require.Equal(t, f.clinic.Patient.ID, rec.PatientID)
	require.Equal(t, f.clinic.Doctor.ID, rec.DoctorID)
	require.JSONEq(t, `{"systolic": 128, "diastolic": 84, "pulse": 72, "temperature_c": 36.6, "spo2": 98,
		"weight_kg": 72.5, "height_cm": 180}`, asJSON(t, rec.Vitals))
	require.Contains(t, asJSON(t, rec.Vitals), `"temperature_c":36.6,`, "exact digits, no float noise")
	require.Equal(t, "22.4", rec.BMI.String(), "72.5 / 1.8²")
	require.Equal(t, "Sore throat for three days", rec.Complaint, "trimmed")
	require.Equal(t, []record.Diagnosis{
		{ICD10: "J06.9", Title: "Acute upper respiratory infection, unspecified", Text: "viral"},
		{Text: "dehydration suspected"},
	}, rec.Diagnoses)
	require.Equal(t, scheduling.Actor("token:3 doctor"), *rec.WrittenBy)
	require.True(t, rec.WrittenAt.Equal(schedtest.Now), "stamped by the store's clock: %s", rec.WrittenAt)
	require.Equal(t, "Europe/Lisbon", rec.WrittenAt.Location().String(), "in the branch's zone")
	require.False(t, rec.Locked)
	require.Empty(t, rec.Amendments)

	got, err := f.store.Get(ctx, owner, id)
	require.NoError(t, err)
	require.Equal(t, asJSON(t, rec), asJSON(t, got), "read back as written")

	// A PUT replaces the record: what it leaves out is empty afterwards.
	rec, err = f.store.Put(ctx, owner, id, input(t, `{"vitals": {"pulse": 80}}`))
	require.NoError(t, err)
	require.JSONEq(t, `{"pulse": 80}`, asJSON(t, rec.Vitals))
	require.True(t, rec.BMI.IsZero())
	require.Empty(t, rec.Diagnoses)
	require.Empty(t, rec.Complaint)
	require.Equal(t, scheduling.Actor("token:1 owner"), *rec.WrittenBy, "the owner writes too")
}

func TestANewSessionHasAnEmptyRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	id := f.session(t, scheduling.StatusWaiting)
	rec, err := f.store.Get(context.Background(), f.doctor(), id)
	require.NoError(t, err)
	require.Nil(t, rec.WrittenBy)
	require.Nil(t, rec.WrittenAt)
	require.Nil(t, rec.Template)
	require.JSONEq(t, `{}`, asJSON(t, rec.Vitals))
	require.Empty(t, rec.Diagnoses)
	require.Empty(t, rec.Fields)

	_, err = f.store.Get(context.Background(), owner, 987654)
	requireError(t, err, scheduling.KindNotFound, scheduling.CodeNotFound, "")
}

// TestVitalsHavePlausibleRanges: each bound is accepted, one step past it is refused with a 422 that
// names the field; a value that is no number is a 400.
func TestVitalsHavePlausibleRanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)
	put := func(vitals string) error {
		_, err := f.store.Put(ctx, f.doctor(), id, input(t, `{"vitals": `+vitals+`}`))
		return err
	}
	for _, tc := range []struct{ field, low, tooLow, high, tooHigh string }{
		{"systolic", "50", "49", "260", "261"},
		{"diastolic", "30", "29", "160", "161"},
		{"pulse", "20", "19", "250", "251"},
		{"temperature_c", "30.0", "29.99", "45.0", "45.01"},
		{"spo2", "50", "49", "100", "101"},
		{"weight_kg", "0.3", "0.299", "400", "400.001"},
		{"height_cm", "20", "19.9", "260", "260.1"},
	} {
		other := ""
		switch tc.field { // the diastolic pressure must stay below the systolic
		case "systolic":
			other = `, "diastolic": 30`
		case "diastolic":
			other = `, "systolic": 260`
		}
		for _, ok := range []string{tc.low, tc.high} {
			require.NoError(t, put(`{"`+tc.field+`": `+ok+other+`}`), "%s %s", tc.field, ok)
		}
		for _, bad := range []string{tc.tooLow, tc.tooHigh} {
			de := requireError(t, put(`{"`+tc.field+`": `+bad+`}`), scheduling.KindRule, "out_of_range", "vitals."+tc.field)
			require.Contains(t, de.Message, bad+" was given")
		}
		requireError(t, put(`{"`+tc.field+`": "abc"}`), scheduling.KindInvalid, "invalid_field", "vitals."+tc.field)
	}
	requireError(t, put(`{"systolic": 120, "diastolic": 120}`), scheduling.KindRule, "out_of_range", "vitals.diastolic")
	requireError(t, put(`{"pulse": 72.5}`), scheduling.KindRule, "not_whole", "vitals.pulse")
	requireError(t, put(`{"temperature_c": 36.655}`), scheduling.KindRule, "too_precise", "vitals.temperature_c")
	requireError(t, put(`{"height_cm": 180.25}`), scheduling.KindRule, "too_precise", "vitals.height_cm")
	require.NoError(t, put(`{"pulse": null, "weight_kg": 3.455}`), "null is no value; grams are fine")

	// Nothing refused was written: the last good write stands.
	rec, err := f.store.Get(ctx, owner, id)
	require.NoError(t, err)
	require.JSONEq(t, `{"weight_kg": 3.455}`, asJSON(t, rec.Vitals))
}

func TestDiagnosesUseTheCodeList(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	id := f.session(t, scheduling.StatusOpen)
	put := func(diagnoses string) error {
		_, err := f.store.Put(ctx, f.doctor(), id, input(t, `{"diagnoses": `+diagnoses+`}`))
		return err
	}
	de := requireError(t, put(`[{"icd10": "I10"}, {"icd10": "X99.9"}]`), scheduling.KindRule, "unknown_icd10", "diagnoses[1].icd10")
	require.Contains(t, de.Message, `"X99.9"`)
	requireError(t, put(`[{"icd10": " ", "text": ""}]`), scheduling.KindRule, "empty_diagnosis", "diagnoses[0]")
	many := "["
	for i := range record.MaxDiagnoses + 1 {
		if i > 0 {
			many += ","
		}
		many += `{"icd10": "I10"}`
	}
	requireError(t, put(many+"]"), scheduling.KindRule, "too_many_diagnoses", "diagnoses")

	require.NoError(t, put(`[{"icd10": "e11.9"}]`))
	rec, err := f.store.Get(ctx, owner, id)
	require.NoError(t, err)
	require.Equal(t, []record.Diagnosis{{ICD10: "E11.9", Title: "Type 2 diabetes mellitus without complications"}}, rec.Diagnoses)
}
