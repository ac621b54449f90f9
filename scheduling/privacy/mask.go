// Package privacy holds the clinic's rules for what a public view (the queue tracker, a bot's answer)
// may show of a patient and a doctor, and the pure functions that apply them (DESIGN 3.3, 7).
package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// How a patient's name is shown.
const (
	NameFull         = "full"          // "Maria Silva"
	NameFirstInitial = "first_initial" // "Maria S."
	NameInitials     = "initials"      // "M. S."
	NameHidden       = "hidden"        // nothing
)

// How the doctor's name is shown.
const (
	DoctorShown  = "shown"
	DoctorHidden = "hidden"
)

// How the patient's phone is shown.
const (
	PhoneHidden     = "hidden"
	PhoneLastDigits = "last_digits" // "•••• 4567"
)

// Settings are the clinic's masking rules, one per personal field, and the language public pages use
// when the visitor names none.
type Settings struct {
	PatientName     string `json:"patient_name"`
	DoctorName      string `json:"doctor_name"`
	Phone           string `json:"phone"`
	DefaultLanguage string `json:"default_language"`
}

// Defaults are the rules of a clinic that has set none: initials only, the doctor named, no phone.
var Defaults = Settings{PatientName: NameInitials, DoctorName: DoctorShown, Phone: PhoneHidden, DefaultLanguage: "en"}

// words splits a name into its words: Unicode-normalised (NFC, so "é" typed as e + accent is one
// letter), invisible direction marks and other format characters dropped, split on any kind of space.
func words(name string) []string {
	name = norm.NFC.String(name)
	name = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	return strings.Fields(name)
}

// initial is the first letter of a word with the marks that belong to it (an Arabic vowel sign, a
// combining accent left after normalisation), upper-cased where the script has case. Leading
// punctuation ("(Ana)", "'Ali") is skipped. An Arabic word's definite article ال is skipped too:
// the initial of الأحمد is أ, not ا, which would be the same letter for half the family names.
func initial(word string) string {
	if rest, ok := strings.CutPrefix(word, "ال"); ok && utf8.RuneCountInString(rest) >= 2 {
		word = rest
	}
	start := strings.IndexFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	if start < 0 {
		return ""
	}
	r, size := utf8.DecodeRuneInString(word[start:])
	var b strings.Builder
	b.WriteRune(unicode.ToUpper(r))
	for _, m := range word[start+size:] {
		if !unicode.Is(unicode.M, m) {
			break
		}
		b.WriteRune(m)
	}
	return b.String()
}

// PatientName shows name as mode says. A mode it does not know shows nothing: a mistake must hide
// data, never reveal it. The answer is "" when there is nothing to show.
func PatientName(name, mode string) string {
	w := words(name)
	if len(w) == 0 {
		return ""
	}
	switch mode {
	case NameFull:
		return strings.Join(w, " ")
	case NameFirstInitial:
		if len(w) == 1 {
			return w[0]
		}
		last := initial(w[len(w)-1])
		if last == "" {
			return w[0]
		}
		return w[0] + " " + last + "."
	case NameInitials:
		var parts []string
		for _, word := range w {
			if i := initial(word); i != "" {
				parts = append(parts, i+".")
			}
		}
		return strings.Join(parts, " ")
	default:
		return ""
	}
}

// DoctorName shows a doctor's name as mode says ("" when hidden or for an unknown mode).
func DoctorName(name, mode string) string {
	if mode != DoctorShown {
		return ""
	}
	return strings.Join(words(name), " ")
}

// Phone shows a phone number as mode says: its last four digits at most, and no more than a third of
// them (rounded up), so a short number is not given away; a number of under six digits shows none
// ("" when hidden, for an unknown mode, or when there is nothing to show).
func Phone(phone, mode string) string {
	if mode != PhoneLastDigits {
		return ""
	}
	var digits []rune
	for _, r := range phone {
		if unicode.IsDigit(r) {
			digits = append(digits, r)
		}
	}
	if len(digits) < 6 {
		return ""
	}
	n := min(4, (len(digits)+2)/3)
	return "•••• " + string(digits[len(digits)-n:])
}
