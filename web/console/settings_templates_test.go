package console

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling/record"
	"clinic/web/access"
)

// templateRowValues fills row i of the new-template form.
func templateRowValues(f url.Values, i int, label, typ string, more map[string]string) {
	p := "f" + string(rune('0'+i)) + "_"
	f.Set(p+"label", label)
	f.Set(p+"type", typ)
	for k, v := range more {
		f.Set(p+k, v)
	}
}

func TestTemplateSettingsListViewAndCreate(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Manager)
	p := br.get("/console/settings/templates")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "General practice")
	require.Contains(t, p.body, "built in")

	p = br.get("/console/settings/templates/new")
	require.Equal(t, http.StatusOK, p.status)
	f := url.Values{"csrf": {csrf(t, p)}, "rows": {"4"}, "action": {"create"}, "name": {"Cardiology"}, "specialty": {"Cardiology"}}
	templateRowValues(f, 0, "QTc interval", record.TypeNumber, map[string]string{"unit": "ms", "min": "300", "max": "700", "required": "on"})
	templateRowValues(f, 1, "Rhythm", record.TypeChoice, map[string]string{"options": "Sinus\r\nAtrial fibrillation\r\n\r\nFlutter"})
	templateRowValues(f, 2, "Chest pain", record.TypeYesNo, nil)
	templateRowValues(f, 3, "Notes for the GP", record.TypeText, map[string]string{"key": "gp_notes"})
	p = br.post("/console/settings/templates", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Regexp(t, regexp.MustCompile(`^/console/settings/templates/\d+$`), p.location())

	store, err := tb.consoleRecords()
	require.NoError(t, err)
	list, err := store.ListTemplates(context.Background())
	require.NoError(t, err)
	got := list[len(list)-1]
	require.Equal(t, "Cardiology", got.Name)
	require.False(t, got.BuiltIn)
	require.Len(t, got.Fields, 4)
	require.Equal(t, "qtc_interval", got.Fields[0].Key)
	require.Equal(t, "ms", got.Fields[0].Unit)
	require.Equal(t, "300", got.Fields[0].Min.String())
	require.True(t, got.Fields[0].Required)
	require.Equal(t, []string{"Sinus", "Atrial fibrillation", "Flutter"}, got.Fields[1].Options)
	require.Equal(t, record.TypeYesNo, got.Fields[2].Type)
	require.Equal(t, "gp_notes", got.Fields[3].Key)

	p = br.get(p.location())
	require.Equal(t, http.StatusOK, p.status)
	for _, want := range []string{"The template Cardiology is added.", "<h1>Cardiology</h1>", "QTc interval", "in ms, from 300 to 700",
		"Sinus · Atrial fibrillation · Flutter", "Yes / no", "by user:"} {
		require.Contains(t, p.body, want)
	}
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/templates/99999").status)
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/templates/x").status)

	// More rows keep what was typed.
	f = url.Values{"csrf": {f.Get("csrf")}, "rows": {"4"}, "action": {"more"}, "name": {"Draft"}}
	templateRowValues(f, 0, "Pain", record.TypeNumber, nil)
	p = br.post("/console/settings/templates", f)
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, 7, strings.Count(p.body, `<li class="tmpl-row`))
	require.Contains(t, p.body, `value="Pain"`)
	require.Contains(t, p.body, `value="Draft"`)
}

func TestTemplateSettingsRefusals(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Manager)
	token := csrf(t, br.get("/console/settings/templates/new"))
	store, err := tb.consoleRecords()
	require.NoError(t, err)
	count := func() int {
		list, err := store.ListTemplates(context.Background())
		require.NoError(t, err)
		return len(list)
	}
	before := count()
	form := func(change func(url.Values)) url.Values {
		f := url.Values{"csrf": {token}, "rows": {"3"}, "action": {"create"}, "name": {"Typed name"}, "specialty": {"Cardiology"}}
		templateRowValues(f, 0, "Heart rate", record.TypeNumber, map[string]string{"unit": "bpm"})
		change(f)
		return f
	}
	for name, tc := range map[string]struct {
		change func(url.Values)
		want   string
		bad    string // the input marked invalid
	}{
		"no name":             {func(f url.Values) { f.Set("name", "") }, `id="name-error">Enter the template&#39;s name.`, ""},
		"a name in use":       {func(f url.Values) { f.Set("name", "General practice") }, "Another template already has this name.", ""},
		"no fields":           {func(f url.Values) { f.Set("f0_label", ""); f.Set("f0_unit", "") }, "at least one field", ""},
		"a range upside down": {func(f url.Values) { f.Set("f0_min", "200"); f.Set("f0_max", "30") }, "The lowest value is above the highest.", "f0_min"},
		"a bound in words":    {func(f url.Values) { f.Set("f0_max", "lots") }, "as a number", "f0_max"},
		"a choice of one": {func(f url.Values) {
			templateRowValues(f, 1, "Side", record.TypeChoice, map[string]string{"options": "Left"})
		}, "A choice needs 2 to", "f1_options"},
		"an option twice": {func(f url.Values) {
			templateRowValues(f, 1, "Side", record.TypeChoice, map[string]string{"options": "Left\nleft"})
		}, "An option is listed twice.", "f1_options"},
		"two fields with one key": {func(f url.Values) {
			templateRowValues(f, 2, "Heart-rate", record.TypeText, nil)
		}, "same key", "f2_key"},
		"a bad key": {func(f url.Values) { f.Set("f0_key", "Heart Rate") }, "lower-case letters", "f0_key"},
		"a unit on a text": {func(f url.Values) {
			templateRowValues(f, 1, "Remarks", record.TypeText, map[string]string{"unit": "cm"})
		}, "", ""},
	} {
		if name == "a unit on a text" {
			// A unit typed on a text field is ignored rather than refused: the form hides it there.
			p := br.post("/console/settings/templates", form(tc.change))
			require.Equal(t, http.StatusSeeOther, p.status, name)
			before++
			continue
		}
		p := br.post("/console/settings/templates", form(tc.change))
		require.GreaterOrEqual(t, p.status, 400, name)
		require.Less(t, p.status, 500, name)
		require.Contains(t, p.body, tc.want, name)
		if tc.bad != "" {
			require.Regexp(t, `class="field[^"]* field-invalid">\s*<label for="`+tc.bad+`"`, p.body, name)
		}
		require.Contains(t, p.body, `value="Cardiology"`, "%s: what was typed stays", name)
		require.Equal(t, before, count(), "%s: nothing saved", name)
	}

	f := form(func(url.Values) {})
	f.Del("csrf")
	require.Equal(t, http.StatusForbidden, br.post("/console/settings/templates", f).status)
	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		other := tb.signedIn(t, role)
		require.Equal(t, http.StatusForbidden, other.get("/console/settings/templates").status)
		require.Equal(t, http.StatusForbidden, other.get("/console/settings/templates/1").status)
		f.Set("csrf", csrf(t, other.get("/console/")))
		require.Equal(t, http.StatusForbidden, other.post("/console/settings/templates", f).status)
	}
	require.Equal(t, before, count())
}

// consoleRecords is the record store the console's pages use.
func (tb *testBundle) consoleRecords() (*record.Store, error) {
	con, err := New(tb.deps)
	if err != nil {
		return nil, err
	}
	return con.records()
}
