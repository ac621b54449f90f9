package record

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCodeListShipsWithTheProduct: the embedded list parses, holds a few hundred codes in order, and
// has the codes a clinic uses every day.
func TestCodeListShipsWithTheProduct(t *testing.T) {
	t.Parallel()
	l := icd10()
	require.GreaterOrEqual(t, len(l.codes), 300)
	for code, title := range map[string]string{
		"J06.9": "Acute upper respiratory infection, unspecified",
		"I10":   "Essential (primary) hypertension",
		"E11.9": "Type 2 diabetes mellitus without complications",
		"K02.1": "Caries of dentine",
		"H52.1": "Myopia",
		"L70.0": "Acne vulgaris",
	} {
		c, ok := LookupICD10(code)
		require.True(t, ok, code)
		require.Equal(t, title, c.Title)
	}
}

func TestParseCodesRefusesAMalformedList(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"no title":     "A00.0\t\n",
		"no tab":       "A00.0 Cholera\n",
		"bad code":     "a00.0\tCholera\n",
		"long code":    "A00.01\tCholera\n",
		"out of order": "B00.1\tX\nA00.0\tY\n",
		"repeated":     "A00.0\tX\nA00.0\tY\n",
	} {
		_, err := parseCodes(text)
		require.Error(t, err, name)
	}
	l, err := parseCodes("A00.0\tCholera due to Vibrio cholerae 01, biovar cholerae\nA01\tTyphoid and paratyphoid fevers\n")
	require.NoError(t, err)
	require.Len(t, l.codes, 2)
}

func TestLookupNormalisesTheCode(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"J06.9", "j06.9", "J069", " j069 "} {
		c, ok := LookupICD10(in)
		require.True(t, ok, in)
		require.Equal(t, "J06.9", c.Code)
	}
	for _, in := range []string{"J06.7", "X99.9", "J06", "", "J06.9.1"} {
		_, ok := LookupICD10(in)
		require.False(t, ok, in)
	}
}

func codesOf(list []Code) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.Code)
	}
	return out
}

func TestSearchICD10(t *testing.T) {
	t.Parallel()
	// A code prefix, with or without the dot, in any case.
	require.Equal(t, []string{"J06.0", "J06.8", "J06.9"}, codesOf(SearchICD10("j06")))
	require.Equal(t, []string{"J06.9"}, codesOf(SearchICD10("J06.9")))
	require.Equal(t, []string{"J06.9"}, codesOf(SearchICD10("j069")))
	// The exact code first, then longer codes it begins, then titles.
	require.Equal(t, "I10", SearchICD10("I10")[0].Code)
	// Words of the title, each the start of a word, in any order.
	require.Equal(t, []string{"J06.8", "J06.9"}, codesOf(SearchICD10("upper resp infect")))
	require.Equal(t, []string{"J06.9"}, codesOf(SearchICD10("infection upper unspecified")))
	for _, c := range SearchICD10("diabetes type 2") {
		require.True(t, strings.HasPrefix(c.Code, "E11"), c.Code)
	}
	require.Len(t, SearchICD10("diabetes type 2"), 6)
	// At most MaxSearchResults; nothing for nothing.
	require.Len(t, SearchICD10("unspecified"), MaxSearchResults)
	require.Empty(t, SearchICD10("  "))
	require.Empty(t, SearchICD10("zzzz"))
}
