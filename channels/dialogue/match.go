package dialogue

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"clinic/inbox"
)

// Commands that work at any step.
const (
	cmdStatus   = "c:status"
	cmdBookings = "c:bookings"
	cmdHuman    = "c:human"
	cmdCancel   = "c:cancel"
	cmdRestart  = "c:restart"
	cmdLanguage = "c:language"
	cmdEnglish  = "l:en"
	cmdArabic   = "l:ar"
)

// commandWords are what a patient may write for each command, in English and Arabic, normalised
// (lower case, no surrounding punctuation).
var commandWords = map[string]string{
	"status": cmdStatus, "where am i": cmdStatus, "my turn": cmdStatus, "queue": cmdStatus,
	"الحالة": cmdStatus, "حالتي": cmdStatus, "دوري": cmdStatus, "وين دوري": cmdStatus, "أين دوري": cmdStatus,
	"اين دوري": cmdStatus, "أين أنا": cmdStatus, "اين انا": cmdStatus,
	"my bookings": cmdBookings, "bookings": cmdBookings, "my appointments": cmdBookings, "appointments": cmdBookings,
	"حجوزاتي": cmdBookings, "مواعيدي": cmdBookings,
	"human": cmdHuman, "agent": cmdHuman, "staff": cmdHuman, "person": cmdHuman, "talk to a person": cmdHuman,
	"موظف": cmdHuman, "إنسان": cmdHuman, "انسان": cmdHuman, "خدمة العملاء": cmdHuman,
	"cancel": cmdCancel, "stop": cmdCancel, "إلغاء": cmdCancel, "الغاء": cmdCancel, "توقف": cmdCancel,
	"start over": cmdRestart, "restart": cmdRestart, "/start": cmdRestart, "menu": cmdRestart,
	"من جديد": cmdRestart, "ابدأ من جديد": cmdRestart, "البداية": cmdRestart, "القائمة": cmdRestart,
	"language": cmdLanguage, "اللغة": cmdLanguage, "لغة": cmdLanguage,
	"english": cmdEnglish, "الإنجليزية": cmdEnglish, "انجليزي": cmdEnglish, "إنجليزي": cmdEnglish,
	"عربي": cmdArabic, "العربية": cmdArabic, "arabic": cmdArabic,
}

// answerWords are typed answers to a yes-or-no question.
var answerWords = map[string]string{
	"yes": "ok", "y": "ok", "ok": "ok", "sure": "ok", "نعم": "ok", "أجل": "ok", "اجل": "ok", "أكيد": "ok",
	"no": "no", "n": "no", "لا": "no", "كلا": "no",
}

// command returns the command the message is, or "".
func (t *turn) command() string {
	if c := t.in.Choice; c != "" {
		if isCommand(c) {
			return c
		}
		return ""
	}
	return commandWords[normalize(t.in.Text)]
}

func isCommand(id string) bool {
	switch id {
	case cmdStatus, cmdBookings, cmdHuman, cmdCancel, cmdRestart, cmdLanguage, cmdEnglish, cmdArabic:
		return true
	}
	return false
}

// resolve finds which of the offered choices the message picks: the choice's id, its number in the
// list (Western or Arabic-Indic digits), or its label (exactly, or a part of one label only).
func (t *turn) resolve() (string, bool) {
	offered := t.st.Offered
	if c := t.in.Choice; c != "" {
		for _, o := range offered {
			if o.ID == c {
				return c, true
			}
		}
		return "", false
	}
	text := normalize(t.in.Text)
	if text == "" {
		return "", false
	}
	if id, ok := answerWords[text]; ok && slices.ContainsFunc(offered, func(o inbox.Choice) bool { return o.ID == id }) {
		return id, true
	}
	if n, err := strconv.Atoi(westernDigits(text)); err == nil {
		if n >= 1 && n <= len(offered) {
			return offered[n-1].ID, true
		}
		return "", false
	}
	for _, o := range offered {
		if normalize(o.Label) == text {
			return o.ID, true
		}
	}
	if len([]rune(text)) < 3 {
		return "", false
	}
	found := ""
	for _, o := range offered {
		if strings.Contains(normalize(o.Label), text) {
			if found != "" {
				return "", false
			}
			found = o.ID
		}
	}
	return found, found != ""
}

// normalize is text as matching compares it: NFC, lower case, inner spaces collapsed, surrounding
// punctuation dropped, Arabic tatweel removed.
func normalize(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\u0640", "")
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsPunct(r) && r != '/' || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
	})
}

// westernDigits turns Arabic-Indic and Eastern Arabic-Indic digits into 0–9.
func westernDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		}
		return r
	}, s)
}

// firstName is the first word of a name, for a friendly greeting.
func firstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return name
}
