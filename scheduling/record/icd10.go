package record

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// icd10TSV is the clinic's ICD-10 code list (WHO ICD-10 codes in daily use, with their titles), one
// code a line: code, a tab, the title; in code order.
//
//go:embed icd10.tsv
var icd10TSV string

// MaxSearchResults is the most codes one ICD-10 search answers.
const MaxSearchResults = 20

// Code is one ICD-10 code and its title.
type Code struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// codePattern is an ICD-10 code as the list writes it: a category (J06) with an optional subdivision
// (J06.9).
var codePattern = regexp.MustCompile(`^[A-Z][0-9]{2}(\.[0-9])?$`)

type codeList struct {
	codes []Code
	index map[string]int // code → position
	words [][]string     // per code: its title's words, lower case
}

// icd10 is the list, parsed once; a malformed list is a build mistake and stops the program.
var icd10 = sync.OnceValue(func() *codeList {
	l, err := parseCodes(icd10TSV)
	if err != nil {
		panic(err)
	}
	return l
})

func parseCodes(text string) (*codeList, error) {
	l := &codeList{index: map[string]int{}}
	for n, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		code, title, ok := strings.Cut(line, "\t")
		title = strings.TrimSpace(title)
		switch {
		case !ok || title == "" || !codePattern.MatchString(code):
			return nil, fmt.Errorf("icd10.tsv line %d: want CODE<tab>title with a code like A00.0, got %q", n+1, line)
		case len(l.codes) > 0 && l.codes[len(l.codes)-1].Code >= code:
			return nil, fmt.Errorf("icd10.tsv line %d: %s is out of order or repeated", n+1, code)
		}
		l.index[code] = len(l.codes)
		l.codes = append(l.codes, Code{Code: code, Title: title})
		l.words = append(l.words, words(title))
	}
	return l, nil
}

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// NormalizeCode writes a code as the list does: upper case, with the dot (j069 → J06.9).
func NormalizeCode(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) == 4 && !strings.Contains(code, ".") {
		code = code[:3] + "." + code[3:]
	}
	return code
}

// LookupICD10 finds a code on the list (in any case, with or without its dot).
func LookupICD10(code string) (Code, bool) {
	l := icd10()
	i, ok := l.index[NormalizeCode(code)]
	if !ok {
		return Code{}, false
	}
	return l.codes[i], true
}

// SearchICD10 finds codes by code prefix or by words of the title: every term of q must be the start
// of the code (J06, j06.9, J069) or of a word of the title (resp infect). Exact codes come first, then
// code prefixes, then title matches, each in code order; at most MaxSearchResults.
func SearchICD10(q string) []Code {
	l := icd10()
	terms := words(strings.ReplaceAll(q, ".", ""))
	if len(terms) == 0 {
		return []Code{}
	}
	type hit struct {
		rank, at int
	}
	var hits []hit
	for i, c := range l.codes {
		if rank, ok := l.match(i, c, terms); ok {
			hits = append(hits, hit{rank, i})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.rank - b.rank })
	out := make([]Code, 0, min(len(hits), MaxSearchResults))
	for _, h := range hits[:min(len(hits), MaxSearchResults)] {
		out = append(out, l.codes[h.at])
	}
	return out
}

// match reports whether every term matches code i, and how well: 0 the exact code, 1 a code prefix,
// 2 words of the title.
func (l *codeList) match(i int, c Code, terms []string) (int, bool) {
	bare := strings.ToLower(strings.ReplaceAll(c.Code, ".", ""))
	rank := 0
	for _, term := range terms {
		switch {
		case term == bare:
		case strings.HasPrefix(bare, term):
			rank = max(rank, 1)
		case slices.ContainsFunc(l.words[i], func(w string) bool { return strings.HasPrefix(w, term) }):
			rank = 2
		default:
			return 0, false
		}
	}
	return rank, true
}
