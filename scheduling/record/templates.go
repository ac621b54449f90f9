package record

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"clinic/scheduling"
)

// The kinds of structured field a template may add to a record.
const (
	TypeNumber = "number"
	TypeChoice = "choice"
	TypeText   = "text"
	TypeYesNo  = "yes_no"
)

// Limits of a template's definition.
const (
	MaxTemplateFields = 50
	MaxFieldOptions   = 50
	maxKeyLength      = 40
	maxUnitLength     = 20
)

// fieldKey is a field's key as records carry it: lower case letters, digits and underscores.
var fieldKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Template is a specialty's set of structured fields (DESIGN: the clinical record). Built-in
// templates come with the product; managers add their own. A template never changes once made, so
// every record written with it stays valid.
type Template struct {
	ID        scheduling.ID     `json:"id"`
	Name      string            `json:"name"`
	Specialty string            `json:"specialty"`
	Fields    []Field           `json:"fields"`
	BuiltIn   bool              `json:"built_in"`
	CreatedBy *scheduling.Actor `json:"created_by"`
	CreatedAt *time.Time        `json:"created_at"`
}

// Field is one structured field of a template.
type Field struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Type  string `json:"type"`
	// Unit, Min and Max are for numbers only; Min and Max bound the value, inclusive.
	Unit string  `json:"unit,omitempty"`
	Min  Decimal `json:"min,omitzero"`
	Max  Decimal `json:"max,omitzero"`
	// Options are the values a choice may take.
	Options  []string `json:"options,omitempty"`
	Required bool     `json:"required"`
}

// TemplateInput is a new template as a manager sends it.
type TemplateInput struct {
	Name      string       `json:"name"`
	Specialty string       `json:"specialty"`
	Fields    []FieldInput `json:"fields"`
}

// FieldInput is one field of a new template; min and max are JSON numbers.
type FieldInput struct {
	Key      string          `json:"key"`
	Label    string          `json:"label"`
	Type     string          `json:"type"`
	Unit     string          `json:"unit"`
	Min      json.RawMessage `json:"min"`
	Max      json.RawMessage `json:"max"`
	Options  []string        `json:"options"`
	Required bool            `json:"required"`
}

// clean checks a new template and returns its fields.
func (in *TemplateInput) clean() ([]Field, error) {
	var err error
	if in.Name, err = requiredText("name", in.Name, scheduling.MaxNameLength); err != nil {
		return nil, err
	}
	if in.Specialty, err = requiredText("specialty", in.Specialty, scheduling.MaxNameLength); err != nil {
		return nil, err
	}
	switch {
	case len(in.Fields) == 0:
		return nil, scheduling.Rule("missing_fields", "a template needs at least one field")
	case len(in.Fields) > MaxTemplateFields:
		return nil, scheduling.Rule("too_many_fields", "a template may have at most %d fields; %d were given", MaxTemplateFields, len(in.Fields))
	}
	fields := make([]Field, 0, len(in.Fields))
	seen := map[string]bool{}
	for i, f := range in.Fields {
		field, err := f.clean(fmt.Sprintf("fields[%d]", i))
		if err != nil {
			return nil, err
		}
		if seen[field.Key] {
			return nil, fieldRule("duplicate_key", fmt.Sprintf("fields[%d].key", i), "fields[%d].key: the key %q is used twice", i, field.Key)
		}
		seen[field.Key] = true
		fields = append(fields, field)
	}
	return fields, nil
}

func (f FieldInput) clean(at string) (Field, error) {
	out := Field{Key: strings.TrimSpace(f.Key), Type: f.Type, Required: f.Required}
	if !fieldKey.MatchString(out.Key) || len(out.Key) > maxKeyLength {
		return Field{}, fieldRule("invalid_key", at+".key", "%s.key must be 1 to %d lower-case letters, digits or underscores, starting with a letter (like pain_score)", at, maxKeyLength)
	}
	var err error
	if out.Label, err = requiredText(at+".label", f.Label, scheduling.MaxNameLength); err != nil {
		return Field{}, err
	}
	if out.Unit, err = cleanText(at+".unit", f.Unit, maxUnitLength); err != nil {
		return Field{}, err
	}
	switch f.Type {
	case TypeNumber:
		return out, f.cleanRange(at, &out)
	case TypeChoice:
		return out, f.cleanOptions(at, &out)
	case TypeText, TypeYesNo:
	default:
		return Field{}, fieldRule("invalid_type", at+".type", "%s.type must be number, choice, text or yes_no", at)
	}
	if err := f.noRange(at, out); err != nil {
		return Field{}, err
	}
	if len(f.Options) > 0 {
		return Field{}, fieldRule("not_a_choice_field", at+".options", "%s.options: options are for choice fields only", at)
	}
	return out, nil
}

func (f FieldInput) cleanRange(at string, out *Field) error {
	if len(f.Options) > 0 {
		return fieldRule("not_a_choice_field", at+".options", "%s.options: options are for choice fields only", at)
	}
	for _, b := range []struct {
		name string
		raw  json.RawMessage
		dst  *Decimal
	}{{"min", f.Min, &out.Min}, {"max", f.Max, &out.Max}} {
		if len(b.raw) == 0 || string(b.raw) == "null" {
			continue
		}
		d, ok := ParseDecimal(string(b.raw))
		if !ok {
			return fieldInvalid(at+"."+b.name, "%s.%s must be a number with at most %d decimal places", at, b.name, maxScale)
		}
		*b.dst = d
	}
	if !out.Min.IsZero() && !out.Max.IsZero() && out.Min.Cmp(out.Max) > 0 {
		return fieldRule("invalid_range", at+".min", "%s.min (%s) is above %s.max (%s)", at, out.Min, at, out.Max)
	}
	return nil
}

func (f FieldInput) cleanOptions(at string, out *Field) error {
	if err := f.noRange(at, *out); err != nil {
		return err
	}
	if len(f.Options) < 2 || len(f.Options) > MaxFieldOptions {
		return fieldRule("invalid_options", at+".options", "%s.options: a choice needs 2 to %d options", at, MaxFieldOptions)
	}
	seen := map[string]bool{}
	for i, o := range f.Options {
		name := fmt.Sprintf("%s.options[%d]", at, i)
		o, err := requiredText(name, o, scheduling.MaxNameLength)
		if err != nil {
			return err
		}
		if seen[strings.ToLower(o)] {
			return fieldRule("duplicate_option", name, "%s: the option %q is given twice", name, o)
		}
		seen[strings.ToLower(o)] = true
		out.Options = append(out.Options, o)
	}
	return nil
}

// noRange refuses a unit, min or max on a field that is not a number.
func (f FieldInput) noRange(at string, out Field) error {
	given := func(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }
	if out.Unit != "" || given(f.Min) || given(f.Max) {
		return fieldRule("not_a_number_field", at, "%s: unit, min and max are for number fields only", at)
	}
	return nil
}

// cleanText trims s and checks it is UTF-8 text of at most max characters.
func cleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", fieldInvalid(field, "%s is not valid UTF-8 text", field)
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		return "", fieldRule("too_long", field, "%s has %d characters; at most %d are allowed", field, n, max)
	}
	return s, nil
}

// requiredText is cleanText for a value that may not be empty.
func requiredText(field, s string, max int) (string, error) {
	s, err := cleanText(field, s, max)
	if err == nil && s == "" {
		code := "missing_value"
		if fieldKey.MatchString(field) {
			code = "missing_" + field // missing_name, missing_specialty
		}
		err = fieldRule(code, field, "%s is required", field)
	}
	return s, err
}
