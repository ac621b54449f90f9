package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"clinic/scheduling"
)

// cleanFields checks a record's structured fields against its template: every key is one of the
// template's, every value has its field's type and range, and every required field has a value. It
// answers the values as records keep them: Decimal, string (text, choice) or bool (yes_no); a null or
// empty value is no value.
func cleanFields(t *Template, in map[string]json.RawMessage) (map[string]any, error) {
	out := map[string]any{}
	if t == nil {
		if len(in) > 0 {
			return nil, fieldRule("fields_without_template", "fields", "structured fields need a template: name one in template")
		}
		return out, nil
	}
	for _, key := range slices.Sorted(maps.Keys(in)) {
		if !slices.ContainsFunc(t.Fields, func(f Field) bool { return f.Key == key }) {
			return nil, fieldRule("unknown_field", "fields."+key, "fields.%s: the template %q has no field %q", key, t.Name, key)
		}
	}
	for _, f := range t.Fields {
		v, err := f.value(in[f.Key])
		if err != nil {
			return nil, err
		}
		switch {
		case v != nil:
			out[f.Key] = v
		case f.Required:
			return nil, fieldRule("missing_field", "fields."+f.Key, "fields.%s (%s) is required by the template %q", f.Key, f.Label, t.Name)
		}
	}
	return out, nil
}

// value reads one field's value; nil is no value.
func (f Field) value(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	name := "fields." + f.Key
	wrong := func(what string) error {
		return fieldRule("invalid_field_value", name, "%s (%s) must be %s", name, f.Label, what)
	}
	switch f.Type {
	case TypeNumber:
		d, ok := ParseDecimal(string(raw))
		if !ok {
			return nil, wrong(fmt.Sprintf("a number with at most %d decimal places", maxScale))
		}
		return d, f.inRange(name, d)
	case TypeYesNo:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return nil, wrong("true or false")
		}
		return b, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return nil, wrong("a string")
	}
	s, err := cleanText(name, s, scheduling.MaxNoteLength)
	if err != nil || s == "" {
		return nil, err
	}
	if f.Type == TypeChoice {
		i := slices.IndexFunc(f.Options, func(o string) bool { return strings.EqualFold(o, s) })
		if i < 0 {
			return nil, fieldRule("invalid_choice", name, "%s (%s) must be one of: %s", name, f.Label, strings.Join(f.Options, ", "))
		}
		return f.Options[i], nil
	}
	return s, nil
}

// inRange checks a number against the field's bounds.
func (f Field) inRange(name string, d Decimal) error {
	low := !f.Min.IsZero() && d.Cmp(f.Min) < 0
	high := !f.Max.IsZero() && d.Cmp(f.Max) > 0
	if !low && !high {
		return nil
	}
	unit := ""
	if f.Unit != "" {
		unit = " " + f.Unit
	}
	var bound string
	switch {
	case f.Min.IsZero():
		bound = fmt.Sprintf("at most %s%s", f.Max, unit)
	case f.Max.IsZero():
		bound = fmt.Sprintf("at least %s%s", f.Min, unit)
	default:
		bound = fmt.Sprintf("between %s and %s%s", f.Min, f.Max, unit)
	}
	return fieldRule("out_of_range", name, "%s (%s) must be %s; %s was given", name, f.Label, bound, d)
}

// decodeFields reads stored field values back into the types cleanFields answers.
func decodeFields(raw []byte) (map[string]any, error) {
	var stored map[string]json.RawMessage
	if err := json.Unmarshal(raw, &stored); err != nil {
		return nil, fmt.Errorf("record fields: %w", err)
	}
	out := make(map[string]any, len(stored))
	for k, v := range stored {
		var s string
		var b bool
		switch {
		case json.Unmarshal(v, &s) == nil:
			out[k] = s
		case json.Unmarshal(v, &b) == nil:
			out[k] = b
		default:
			d, ok := ParseDecimal(string(v))
			if !ok {
				return nil, fmt.Errorf("record field %s: %s is not a value of a record", k, v)
			}
			out[k] = d
		}
	}
	return out, nil
}
