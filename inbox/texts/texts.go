// Package texts is the message catalog of everything the clinic says to patients in a chat or a
// message: one catalog per language (DESIGN 3.6), English and Arabic complete. Each file of the
// package registers the keys of the part of the product that says them.
package texts

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// Languages the catalogs exist in; the first is the fallback.
var Languages = []string{"en", "ar"}

var (
	mu       sync.RWMutex
	catalogs = map[string]map[string]string{"en": {}, "ar": {}}
)

// Register adds entries (key => fmt format) to the catalog of lang. Files of this package call it from
// init, once for each language: Register("en", dialogueEnglish). A key registered twice for one
// language, or a language without a catalog, is a programming error and panics at start-up.
func Register(lang string, entries map[string]string) {
	mu.Lock()
	defer mu.Unlock()
	cat, ok := catalogs[lang]
	if !ok {
		panic(fmt.Sprintf("texts: no catalog for language %q", lang))
	}
	for k, v := range entries {
		if _, dup := cat[k]; dup {
			panic(fmt.Sprintf("texts: key %q registered twice for %q", k, lang))
		}
		cat[k] = v
	}
}

// T returns the text of key in lang, formatted with args. An unknown language reads English; a key
// missing in a language reads its English text, and a key missing everywhere reads as the key
// itself, so a gap shows without breaking the conversation.
func T(lang, key string, args ...any) string {
	mu.RLock()
	format, ok := catalogs[Lang(lang)][key]
	if !ok {
		format, ok = catalogs[Languages[0]][key]
	}
	mu.RUnlock()
	if !ok {
		return key
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Has reports whether key is in the catalog of lang.
func Has(lang, key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := catalogs[lang][key]
	return ok
}

// Lang returns the catalog language for a language tag ("ar-EG" => "ar"), English when there is
// none for it.
func Lang(tag string) string {
	base := strings.ToLower(tag)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	for _, l := range Languages {
		if l == base {
			return l
		}
	}
	return Languages[0]
}

// Supported reports whether tag names a language with a catalog.
func Supported(tag string) bool {
	base := strings.ToLower(tag)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	for _, l := range Languages {
		if l == base {
			return true
		}
	}
	return false
}

// Dir is the writing direction of lang: "rtl" for Arabic, "ltr" otherwise.
func Dir(lang string) string {
	if Lang(lang) == "ar" {
		return "rtl"
	}
	return "ltr"
}

// Detect guesses the language of what a patient wrote: Arabic when its letters are mostly in Arabic
// script, English otherwise.
func Detect(text string) string {
	arabic, other := 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			arabic++
		case unicode.IsLetter(r):
			other++
		}
	}
	if arabic > 0 && arabic >= other {
		return "ar"
	}
	return "en"
}

// Missing lists, for each language, the keys another language has and it lacks, sorted; empty when
// the catalogs are complete.
func Missing() map[string][]string {
	mu.RLock()
	defer mu.RUnlock()
	all := map[string]bool{}
	for _, cat := range catalogs {
		for k := range cat {
			all[k] = true
		}
	}
	out := map[string][]string{}
	for lang, cat := range catalogs {
		for k := range all {
			if _, ok := cat[k]; !ok {
				out[lang] = append(out[lang], k)
			}
		}
		sort.Strings(out[lang])
	}
	for lang, keys := range out {
		if len(keys) == 0 {
			delete(out, lang)
		}
	}
	return out
}

// Keys lists the keys of lang's catalog, sorted.
func Keys(lang string) []string {
	mu.RLock()
	defer mu.RUnlock()
	keys := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
