package inbox

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"clinic/scheduling"
)

// Limits of the form's settings, so the public form stays a form.
const (
	MaxCustomFields = 20
	MaxFieldOptions = 30
	MaxLabelLength  = 100
	// MaxFieldValue is the longest answer a patient may give in a custom text field.
	MaxFieldValue = 500
	// MaxMessageLength is the longest free-text message on the form.
	MaxMessageLength = 2000
)

var fieldKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// reservedKeys are names the form's own fields use; a custom field may not take one.
var reservedKeys = []string{"name", "phone", "email", "examination", "examination_id", "branch", "branch_id",
	"doctor", "doctor_id", "preferred_start", "preferred_time", "message", "lang", "website", "form_token"}

// fieldError is a refused setting: a 422 whose details name the setting ("fields[2].label.ar").
func fieldError(code, field, format string, args ...any) error {
	return scheduling.Rule(code, "%s: %s", field, fmt.Sprintf(format, args...)).WithDetails(map[string]any{"field": field})
}

// checkFormSettings returns in cleaned (labels trimmed, keys made from labels where none was given) or
// the first setting that is refused.
func checkFormSettings(in FormSettings) (FormSettings, error) {
	out := in
	for _, sf := range out.Standard() {
		switch *sf.Visibility {
		case Hidden, Optional, Required:
		case "":
			return out, fieldError("missing_"+sf.Name, sf.Name, "say whether it is hidden, optional or required")
		default:
			return out, fieldError("invalid_"+sf.Name, sf.Name, "%q is not hidden, optional or required", string(*sf.Visibility))
		}
	}
	if out.PreferredTime.Shown() && (!out.Examination.Shown() || !out.Branch.Shown()) {
		return out, fieldError("time_needs_examination", "preferred_time",
			"a time can be picked only when the examination and the branch show")
	}
	if len(in.Fields) > MaxCustomFields {
		return out, fieldError("too_many_fields", "fields", "at most %d custom fields", MaxCustomFields)
	}
	out.Fields = make([]CustomField, 0, len(in.Fields))
	for i, c := range in.Fields {
		at := fmt.Sprintf("fields[%d]", i)
		var err error
		if c.Label, err = checkLabel(c.Label, at+".label"); err != nil {
			return out, err
		}
		switch c.Kind {
		case FieldText, FieldDate, FieldYesNo:
			if len(c.Options) > 0 {
				return out, fieldError("options_not_allowed", at+".options", "only a choice field has options")
			}
			c.Options = []Option{}
		case FieldChoice:
			if c.Options, err = checkOptions(c.Options, at+".options"); err != nil {
				return out, err
			}
		case "":
			return out, fieldError("missing_kind", at+".kind", "choose text, choice, date or yes_no")
		default:
			return out, fieldError("invalid_kind", at+".kind", "%q is not text, choice, date or yes_no", string(c.Kind))
		}
		c.Key = strings.TrimSpace(c.Key)
		if c.Key == "" {
			c.Key = keyFrom(c.Label.EN, i, out.Fields)
		}
		switch {
		case !fieldKey.MatchString(c.Key):
			return out, fieldError("invalid_key", at+".key", "a key is a lower-case letter then letters, digits or _ (at most 40)")
		case slices.Contains(reservedKeys, c.Key):
			return out, fieldError("reserved_key", at+".key", "%q is a standard field's name", c.Key)
		case slices.ContainsFunc(out.Fields, func(o CustomField) bool { return o.Key == c.Key }):
			return out, fieldError("duplicate_key", at+".key", "%q is already another field's key", c.Key)
		}
		out.Fields = append(out.Fields, c)
	}
	return out, nil
}

func checkLabel(l Label, at string) (Label, error) {
	for _, part := range []struct {
		lang string
		text *string
	}{{"en", &l.EN}, {"ar", &l.AR}} {
		field := at + "." + part.lang
		*part.text = strings.TrimSpace(*part.text)
		switch n := utf8.RuneCountInString(*part.text); {
		case !utf8.ValidString(*part.text) || strings.ContainsRune(*part.text, 0):
			return l, fieldError("invalid_text", field, "not valid text")
		case n == 0:
			return l, fieldError("missing_label", field, "a label is required in English and in Arabic")
		case n > MaxLabelLength:
			return l, fieldError("too_long", field, "%d characters; at most %d", n, MaxLabelLength)
		}
	}
	return l, nil
}

func checkOptions(opts []Option, at string) ([]Option, error) {
	switch {
	case len(opts) == 0:
		return nil, fieldError("missing_options", at, "a choice field needs at least one option")
	case len(opts) > MaxFieldOptions:
		return nil, fieldError("too_many_options", at, "at most %d options", MaxFieldOptions)
	}
	out := make([]Option, 0, len(opts))
	for j, o := range opts {
		var err error
		if o.Label, err = checkLabel(o.Label, fmt.Sprintf("%s[%d]", at, j)); err != nil {
			return nil, err
		}
		if o.Value = strings.TrimSpace(o.Value); o.Value == "" {
			o.Value = keyFrom(o.Label.EN, j, nil)
		}
		if utf8.RuneCountInString(o.Value) > MaxLabelLength {
			return nil, fieldError("too_long", fmt.Sprintf("%s[%d].value", at, j), "at most %d characters", MaxLabelLength)
		}
		if slices.ContainsFunc(out, func(p Option) bool { return p.Value == o.Value }) {
			return nil, fieldError("duplicate_option", fmt.Sprintf("%s[%d]", at, j), "%q is already an option", o.Label.EN)
		}
		out = append(out, o)
	}
	return out, nil
}

// keyFrom makes a key from an English label ("Referral from" → "referral_from"), unique among taken.
func keyFrom(label string, i int, taken []CustomField) string {
	var b strings.Builder
	for _, r := range strings.ToLower(label) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	key := strings.Trim(b.String(), "_")
	if len(key) > 32 {
		key = strings.TrimRight(key[:32], "_")
	}
	if key == "" || key[0] < 'a' || key[0] > 'z' || slices.Contains(reservedKeys, key) {
		key = fmt.Sprintf("field_%d", i+1)
	}
	base := key
	for n := 2; slices.ContainsFunc(taken, func(c CustomField) bool { return c.Key == key }); n++ {
		key = fmt.Sprintf("%s_%d", base, n)
	}
	return key
}
