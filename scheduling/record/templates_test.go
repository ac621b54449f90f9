package record_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
)

func templateInput(t *testing.T, body string) record.TemplateInput {
	t.Helper()
	var in record.TemplateInput
	require.NoError(t, json.Unmarshal([]byte(body), &in))
	return in
}

func TestBuiltInTemplatesComeWithTheProduct(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	list, err := f.store.ListTemplates(context.Background())
	require.NoError(t, err)
	var names []string
	for _, tmpl := range list {
		require.True(t, tmpl.BuiltIn)
		require.Nil(t, tmpl.CreatedAt)
		require.NotEmpty(t, tmpl.Fields)
		names = append(names, tmpl.Name)
	}
	require.Equal(t, []string{"Dentistry", "Dermatology", "General practice", "Ophthalmology"}, names)

	// Every built-in field is one a manager could have made: the seed obeys the same rules.
	for _, tmpl := range list {
		raw, err := json.Marshal(tmpl.Fields)
		require.NoError(t, err)
		in := templateInput(t, fmt.Sprintf(`{"name": "Copy of %s", "specialty": %q, "fields": %s}`, tmpl.Name, tmpl.Specialty, raw))
		_, err = f.store.CreateTemplate(context.Background(), "manager", in)
		require.NoError(t, err, tmpl.Name)
	}
}

func TestCreateTemplate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	tmpl, err := f.store.CreateTemplate(ctx, "token:2 manager", templateInput(t, `{"name": " Cardiology ", "specialty": "Cardiology",
		"fields": [{"key": "ecg_rhythm", "label": "ECG rhythm", "type": "choice", "options": ["sinus", "atrial fibrillation"], "required": true},
			{"key": "qtc_ms", "label": "QTc", "type": "number", "unit": "ms", "min": 300, "max": 700},
			{"key": "chest_pain", "label": "Chest pain", "type": "yes_no"},
			{"key": "comment", "label": "Comment", "type": "text"}]}`))
	require.NoError(t, err)
	require.Equal(t, "Cardiology", tmpl.Name)
	require.False(t, tmpl.BuiltIn)
	require.Equal(t, scheduling.Actor("token:2 manager"), *tmpl.CreatedBy)
	require.True(t, tmpl.CreatedAt.Equal(schedtest.Now), "from the store's clock")

	got, err := f.store.GetTemplate(ctx, tmpl.ID)
	require.NoError(t, err)
	require.Equal(t, asJSON(t, tmpl), asJSON(t, got))
	require.JSONEq(t, `{"key": "qtc_ms", "label": "QTc", "type": "number", "unit": "ms", "min": 300, "max": 700, "required": false}`,
		asJSON(t, got.Fields[1]))

	_, err = f.store.CreateTemplate(ctx, "manager", templateInput(t, `{"name": "CARDIOLOGY", "specialty": "x",
		"fields": [{"key": "a", "label": "A", "type": "text"}]}`))
	requireError(t, err, scheduling.KindConflict, "duplicate_template", "")

	_, err = f.store.GetTemplate(ctx, 987654)
	requireError(t, err, scheduling.KindNotFound, scheduling.CodeNotFound, "")
}

// TestTemplateDefinitionsAreChecked: every broken definition is refused naming the field at fault.
func TestTemplateDefinitionsAreChecked(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	field := func(f string) string {
		return `{"name": "T", "specialty": "S", "fields": [` + f + `]}`
	}
	many := make([]string, record.MaxTemplateFields+1)
	for i := range many {
		many[i] = fmt.Sprintf(`{"key": "f%d", "label": "F", "type": "text"}`, i)
	}
	for _, tc := range []struct{ body, code, field string }{
		{`{"specialty": "S", "fields": [{"key": "a", "label": "A", "type": "text"}]}`, "missing_name", "name"},
		{`{"name": "T", "fields": [{"key": "a", "label": "A", "type": "text"}]}`, "missing_specialty", "specialty"},
		{`{"name": "T", "specialty": "S", "fields": []}`, "missing_fields", ""},
		{field(strings.Join(many, ",")), "too_many_fields", ""},
		{field(`{"key": "Pain Score", "label": "A", "type": "text"}`), "invalid_key", "fields[0].key"},
		{field(`{"key": "a", "label": " ", "type": "text"}`), "missing_value", "fields[0].label"},
		{field(`{"key": "a", "label": "A", "type": "date"}`), "invalid_type", "fields[0].type"},
		{field(`{"key": "a", "label": "A", "type": "text"}, {"key": "a", "label": "B", "type": "text"}`), "duplicate_key", "fields[1].key"},
		{field(`{"key": "a", "label": "A", "type": "number", "min": 10, "max": 1}`), "invalid_range", "fields[0].min"},
		{field(`{"key": "a", "label": "A", "type": "text", "unit": "mm"}`), "not_a_number_field", "fields[0]"},
		{field(`{"key": "a", "label": "A", "type": "yes_no", "max": 3}`), "not_a_number_field", "fields[0]"},
		{field(`{"key": "a", "label": "A", "type": "choice", "options": ["x", "y"], "min": 1}`), "not_a_number_field", "fields[0]"},
		{field(`{"key": "a", "label": "A", "type": "text", "options": ["x", "y"]}`), "not_a_choice_field", "fields[0].options"},
		{field(`{"key": "a", "label": "A", "type": "number", "options": ["x", "y"]}`), "not_a_choice_field", "fields[0].options"},
		{field(`{"key": "a", "label": "A", "type": "choice", "options": ["x"]}`), "invalid_options", "fields[0].options"},
		{field(`{"key": "a", "label": "A", "type": "choice", "options": ["x", "X"]}`), "duplicate_option", "fields[0].options[1]"},
		{field(`{"key": "a", "label": "A", "type": "choice", "options": ["x", ""]}`), "missing_value", "fields[0].options[1]"},
		{field(`{"key": "a", "label": "` + strings.Repeat("é", scheduling.MaxNameLength+1) + `", "type": "text"}`), "too_long", "fields[0].label"},
	} {
		_, err := f.store.CreateTemplate(context.Background(), "manager", templateInput(t, tc.body))
		requireError(t, err, scheduling.KindRule, tc.code, tc.field)
	}
	_, err := f.store.CreateTemplate(context.Background(), "manager", templateInput(t, field(`{"key": "a", "label": "A", "type": "number", "min": "1"}`)))
	requireError(t, err, scheduling.KindInvalid, "invalid_field", "fields[0].min")

	list, err := f.store.ListTemplates(context.Background())
	require.NoError(t, err)
	require.Len(t, list, 4, "nothing refused was stored")
}

// TestFieldsFollowTheTemplate: a record with a template carries only its fields, of their types,
// within their ranges, with every required one.
func TestFieldsFollowTheTemplate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, scheduling.Config{})
	ctx := context.Background()
	tmpl, err := f.store.CreateTemplate(ctx, "manager", templateInput(t, `{"name": "Skin check", "specialty": "Dermatology",
		"fields": [{"key": "site", "label": "Site", "type": "text", "required": true},
			{"key": "size_mm", "label": "Size", "type": "number", "unit": "mm", "min": 0.5, "max": 100},
			{"key": "kind", "label": "Kind", "type": "choice", "options": ["macule", "papule"]},
			{"key": "itching", "label": "Itching", "type": "yes_no"}]}`))
	require.NoError(t, err)
	id := f.session(t, scheduling.StatusOpen)
	put := func(template, fields string) (*record.Record, error) {
		return f.store.Put(ctx, f.doctor(), id, input(t, `{"template": `+template+`, "fields": `+fields+`}`))
	}
	tid := fmt.Sprintf(`"%d"`, tmpl.ID)
	for _, tc := range []struct{ fields, code, field string }{
		{`{"site": "arm", "colour": "red"}`, "unknown_field", "fields.colour"},
		{`{"size_mm": 3}`, "missing_field", "fields.site"},
		{`{"site": "  "}`, "missing_field", "fields.site"},
		{`{"site": "arm", "size_mm": "3"}`, "invalid_field_value", "fields.size_mm"},
		{`{"site": "arm", "size_mm": 0.4}`, "out_of_range", "fields.size_mm"},
		{`{"site": "arm", "size_mm": 100.01}`, "out_of_range", "fields.size_mm"},
		{`{"site": "arm", "kind": "nodule"}`, "invalid_choice", "fields.kind"},
		{`{"site": "arm", "kind": 1}`, "invalid_field_value", "fields.kind"},
		{`{"site": "arm", "itching": "yes"}`, "invalid_field_value", "fields.itching"},
		{`{"site": 7}`, "invalid_field_value", "fields.site"},
	} {
		_, err := put(tid, tc.fields)
		requireError(t, err, scheduling.KindRule, tc.code, tc.field)
	}
	_, err = put(`null`, `{"site": "arm"}`)
	requireError(t, err, scheduling.KindRule, "fields_without_template", "fields")
	_, err = put(`"987654"`, `{}`)
	requireError(t, err, scheduling.KindNotFound, scheduling.CodeNotFound, "")

	rec, err := put(tid, `{"site": " left forearm ", "size_mm": 4.50, "kind": "Papule", "itching": false}`)
	require.NoError(t, err)
	require.Equal(t, tmpl.ID, *rec.Template)
	require.Equal(t, "Skin check", *rec.TemplateName)
	require.JSONEq(t, `{"site": "left forearm", "size_mm": 4.5, "kind": "papule", "itching": false}`, asJSON(t, rec.Fields))
	got, err := f.store.Get(ctx, owner, id)
	require.NoError(t, err)
	require.Equal(t, asJSON(t, rec.Fields), asJSON(t, got.Fields), "numbers, texts and yes/no read back as written")
}
