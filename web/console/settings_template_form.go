package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/record"
)

// Rows of the new-template form: how many it starts with, how many "More fields" adds.
const (
	templateStartRows = 4
	templateMoreRows  = 3
)

// templateForm is the form of a manager's own template, as typed.
type templateForm struct {
	Name, Specialty string
	Rows            []templateRow
	Types           []templateType
	Errors          map[string]string
	CSRF            string
}

// templateRow is one field of the new template; a row left empty is not part of it.
type templateRow struct {
	Index                                  int
	Label, Key, Type, Unit, Min, Max, Opts string
	Required                               bool
	// Error is what is wrong with the row; Bad names the input it is about (label, key, type, unit,
	// min, max or options).
	Error, Bad string
}

type templateType struct{ Value, Name string }

var templateTypes = []templateType{{record.TypeNumber, "Number"}, {record.TypeChoice, "Choice"}, {record.TypeText, "Text"},
	{record.TypeYesNo, "Yes / no"}}

func newTemplateForm(rows int, csrf string) *templateForm {
	f := &templateForm{Types: templateTypes, Errors: map[string]string{}, CSRF: csrf}
	for i := range rows {
		f.Rows = append(f.Rows, templateRow{Index: i, Type: record.TypeNumber})
	}
	return f
}

// templateNew shows an empty form.
func (con *Console) templateNew(c *gin.Context) {
	con.render(c, http.StatusOK, "settings_template_new", "New record template", newTemplateForm(templateStartRows, signedIn(c).CSRF))
}

// templateCreate adds the manager's template through the record store, or shows the form again as
// typed with the message at the field it is about.
func (con *Console) templateCreate(c *gin.Context) {
	n, _ := strconv.Atoi(c.PostForm("rows"))
	n = min(max(n, 1), record.MaxTemplateFields)
	more := c.PostForm("action") == "more"
	f := newTemplateForm(n, signedIn(c).CSRF)
	f.Name, f.Specialty = strings.TrimSpace(c.PostForm("name")), strings.TrimSpace(c.PostForm("specialty"))
	in := record.TemplateInput{Name: f.Name, Specialty: f.Specialty}
	var sent []int // the row of each field sent, to place the store's messages
	for i := range f.Rows {
		r := &f.Rows[i]
		get := func(part string) string { return strings.TrimSpace(c.PostForm(fmt.Sprintf("f%d_%s", i, part))) }
		r.Label, r.Key, r.Type, r.Unit = get("label"), get("key"), get("type"), get("unit")
		r.Min, r.Max, r.Opts, r.Required = get("min"), get("max"), get("options"), get("required") == "on"
		if r.Label == "" && r.Key == "" && r.Unit == "" && r.Min == "" && r.Max == "" && r.Opts == "" {
			continue
		}
		fi := record.FieldInput{Label: r.Label, Key: r.Key, Type: r.Type, Required: r.Required}
		if fi.Key == "" {
			fi.Key = templateKeyOf(r.Label)
		}
		if r.Type == record.TypeNumber {
			fi.Unit = r.Unit
			for _, b := range []struct {
				part, text string
				dst        *json.RawMessage
			}{{"min", r.Min, &fi.Min}, {"max", r.Max, &fi.Max}} {
				if b.text == "" {
					continue
				}
				d, ok := record.ParseDecimal(strings.Replace(b.text, ",", ".", 1))
				if !ok {
					r.Error, r.Bad = "Write the "+map[string]string{"min": "lowest", "max": "highest"}[b.part]+" value as a number, such as 36.5.", b.part
					break
				}
				*b.dst = json.RawMessage(d.String())
			}
		}
		if r.Type == record.TypeChoice {
			for _, o := range strings.Split(r.Opts, "\n") {
				if o = strings.TrimSpace(o); o != "" {
					fi.Options = append(fi.Options, o)
				}
			}
		}
		if r.Error != "" {
			f.Errors["rows"] = "x"
		}
		in.Fields = append(in.Fields, fi)
		sent = append(sent, i)
	}
	if more {
		for range templateMoreRows {
			if len(f.Rows) < record.MaxTemplateFields {
				f.Rows = append(f.Rows, templateRow{Index: len(f.Rows), Type: record.TypeNumber})
			}
		}
		clear(f.Errors)
		for i := range f.Rows {
			f.Rows[i].Error, f.Rows[i].Bad = "", ""
		}
		con.render(c, http.StatusOK, "settings_template_new", "New record template", f)
		return
	}
	if len(f.Errors) > 0 {
		con.render(c, http.StatusUnprocessableEntity, "settings_template_new", "New record template", f)
		return
	}
	store, err := con.records()
	if err != nil {
		con.fail(c, err)
		return
	}
	t, err := store.CreateTemplate(c.Request.Context(), signedIn(c).actor(), in)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, "The template "+t.Name+" is added.")
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/settings/templates/%d", Prefix, t.ID))
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden || de.Kind == scheduling.KindNotFound:
		con.fail(c, err)
		return
	}
	f.place(de, sent)
	con.render(c, kindStatus[de.Kind], "settings_template_new", "New record template", f)
}

// place puts the store's message at the field it names (details.field: "name", "fields[2].key"…).
func (f *templateForm) place(de *scheduling.Error, sent []int) {
	field, _ := de.Details["field"].(string)
	switch {
	case field == "name" || field == "specialty":
		msg := "Enter the template's " + field + "."
		switch de.Code {
		case "duplicate_template":
			msg = "Another template already has this name."
		case "too_long":
			msg = fmt.Sprintf("This is too long: at most %d characters.", scheduling.MaxNameLength)
		}
		f.Errors[field] = msg
		return
	case de.Code == "missing_fields":
		f.Errors["form"] = "Give the template at least one field: a label in one of the rows."
		return
	case de.Code == "too_many_fields":
		f.Errors["form"] = sentence(de.Message)
		return
	}
	var at int
	if _, err := fmt.Sscanf(field, "fields[%d]", &at); err != nil || at < 0 || at >= len(sent) {
		f.Errors["form"] = sentence(de.Message)
		return
	}
	r := &f.Rows[sent[at]]
	_, part, _ := strings.Cut(field, "].")
	part, _, _ = strings.Cut(part, "[") // options[1] → options
	r.Bad, r.Error = part, templateMessage(de, part)
	f.Errors["rows"] = "x"
}

// templateMessage says in a manager's words what is wrong with a field of the template.
func templateMessage(de *scheduling.Error, part string) string {
	switch de.Code {
	case "invalid_key":
		return "The key (how the field is stored) must be lower-case letters, digits or underscores, starting with a letter, like pain_score."
	case "duplicate_key":
		return "Two fields have the same key: give this one another label or key."
	case "missing_value", "missing_label":
		if part == "options" {
			return "An option is empty."
		}
		return "Give the field a label."
	case "invalid_type":
		return "Choose the field's type."
	case "invalid_range":
		return "The lowest value is above the highest."
	case "invalid_options":
		return fmt.Sprintf("A choice needs 2 to %d options, one per line.", record.MaxFieldOptions)
	case "duplicate_option":
		return "An option is listed twice."
	case "not_a_number_field":
		return "Unit, lowest and highest value are for number fields only."
	case "not_a_choice_field":
		return "Options are for choice fields only."
	case "too_long":
		return "This is too long."
	}
	return sentence(de.Message)
}

// templateKeyOf makes a field's key from its label: "Pain score (0-10)" → "pain_score_0_10".
func templateKeyOf(label string) string {
	var b strings.Builder
	underscore := false
	for _, r := range strings.ToLower(label) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if underscore && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			underscore = false
		default:
			underscore = true
		}
	}
	key := b.String()
	if key == "" || key[0] >= '0' && key[0] <= '9' {
		key = "field_" + key
	}
	return strings.TrimSuffix(key[:min(len(key), 40)], "_")
}
