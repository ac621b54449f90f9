// Package i18n is the one message catalog for every text a patient reads: public pages, and later the
// booking form, the chat and the bots (DESIGN 3.6). English and Arabic are complete; Arabic is written
// right to left. Texts come from T(lang, key, args...); numbers and clock times are formatted the way
// the language writes them (Arabic with Arabic-Indic digits).
//
// It is built on golang.org/x/text's message catalog: CLDR plural rules (Arabic has six forms) and
// locale digits come with it, and the module is already in the build.
package i18n

import (
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The languages there are catalogs for.
const (
	English = "en"
	Arabic  = "ar"
)

// Default is the language used when nothing else names one.
const Default = English

// languages lists the catalogs in the order a language picker shows them.
var languages = []struct {
	code string
	tag  language.Tag
	name string // in the language itself
	rtl  bool
	msgs entries
}{
	{English, language.English, "English", false, english},
	{Arabic, language.Arabic, "العربية", true, arabic},
}

var (
	cat      = build()
	printers = map[string]*message.Printer{}
	matcher  language.Matcher
)

func init() {
	tags := make([]language.Tag, len(languages))
	for i, l := range languages {
		tags[i] = l.tag
		printers[l.code] = message.NewPrinter(l.tag, message.Catalog(cat))
	}
	matcher = language.NewMatcher(tags)
}

// entries is one language's catalog: a key and its message, a plain catalog.String or a plural
// selection.
type entries map[string]catalog.Message

func build() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, l := range languages {
		for key, msg := range l.msgs {
			if err := b.Set(l.tag, key, msg); err != nil {
				panic(fmt.Sprintf("i18n: %s %q: %v", l.code, key, err))
			}
		}
	}
	return b
}

// Supported lists the language codes with a catalog, in picker order.
func Supported() []string {
	codes := make([]string, len(languages))
	for i, l := range languages {
		codes[i] = l.code
	}
	return codes
}

// IsSupported reports whether lang is one of Supported.
func IsSupported(lang string) bool { return slices.Contains(Supported(), lang) }

// Name is the language's name written in that language, for a language picker.
func Name(lang string) string {
	for _, l := range languages {
		if l.code == lang {
			return l.name
		}
	}
	return lang
}

// Dir is the page direction for lang: "rtl" or "ltr".
func Dir(lang string) string {
	for _, l := range languages {
		if l.code == lang && l.rtl {
			return "rtl"
		}
	}
	return "ltr"
}

func printer(lang string) *message.Printer {
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers[Default]
}

// T is the text of key in lang (Default for an unsupported one), with args put in as the message
// says (%d for counts, which also chooses the plural form; %s for text already formatted).
func T(lang, key string, args ...any) string {
	return printer(lang).Sprintf(key, args...)
}

// Number writes n with the language's digits and grouping.
func Number(lang string, n int) string { return printer(lang).Sprintf("%d", n) }

// Clock writes the time of day of t (in t's own zone) as the language reads it: English on a 12-hour
// clock ("2:05 PM"), Arabic on a 12-hour clock with its own digits and ص/م, as clinics in Arabic-
// speaking countries announce times.
func Clock(lang string, t time.Time) string {
	h := t.Hour() % 12
	if h == 0 {
		h = 12
	}
	p := printer(lang)
	morning := t.Hour() < 12
	switch lang {
	case Arabic:
		suffix := "م"
		if morning {
			suffix = "ص"
		}
		return p.Sprintf("%d:%02d", h, t.Minute()) + "\u00a0" + suffix
	default:
		suffix := "PM"
		if morning {
			suffix = "AM"
		}
		return p.Sprintf("%d:%02d", h, t.Minute()) + "\u00a0" + suffix
	}
}

// Match picks the supported language an Accept-Language header prefers most, or "" when it names
// none of them.
func Match(acceptLanguage string) string {
	if acceptLanguage == "" {
		return ""
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return ""
	}
	_, index, confidence := matcher.Match(prefs...)
	if confidence == language.No {
		return ""
	}
	return languages[index].code
}

// Choose is the language to answer in: an explicit choice (a ?lang= parameter, then a remembered
// cookie) wins, then the browser's Accept-Language, then the clinic's default.
func Choose(query, cookie, acceptLanguage, clinicDefault string) string {
	for _, lang := range []string{query, cookie} {
		if IsSupported(lang) {
			return lang
		}
	}
	if lang := Match(acceptLanguage); lang != "" {
		return lang
	}
	if IsSupported(clinicDefault) {
		return clinicDefault
	}
	return Default
}
