package texts

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetectReadsArabicScript(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"مرحبا، أريد حجز موعد":         "ar",
		"hello":                        "en",
		"":                             "en",
		"123 456":                      "en",
		"Hi مرحبا بكم":                 "ar",
		"Book a visit please ok مرحبا": "en",
		"Olá, quero marcar":            "en",
	} {
		require.Equal(t, want, Detect(text), text)
	}
}

func TestTFormatsAndFallsBack(t *testing.T) {
	t.Parallel()
	require.Contains(t, T("en", "inbox.visit_cancelled", "2027-01-05", "09:00"), "2027-01-05 at 09:00")
	require.Contains(t, T("ar", "inbox.visit_cancelled", "2027-01-05", "09:00"), "الساعة 09:00")
	require.Equal(t, T("en", "inbox.handback"), T("fr", "inbox.handback"), "an unknown language reads English")
	require.Equal(t, T("ar", "inbox.handback"), T("ar-EG", "inbox.handback"))
	require.Equal(t, "no.such.key", T("en", "no.such.key"))
}

func TestEveryLanguageHasEveryKey(t *testing.T) {
	t.Parallel()
	require.Empty(t, Missing())
	require.NotEmpty(t, Keys("ar"))
}

func TestRegisterRefusesADuplicateKey(t *testing.T) {
	t.Parallel()
	require.Panics(t, func() { Register("en", map[string]string{"inbox.handback": "again"}) })
	require.Panics(t, func() { Register("fr", map[string]string{"x": "y"}) })
}

func TestLangAndDir(t *testing.T) {
	t.Parallel()
	require.Equal(t, "ar", Lang("AR_sa"))
	require.Equal(t, "en", Lang("ru"))
	require.True(t, Supported("en-GB"))
	require.False(t, Supported("ru"))
	require.Equal(t, "rtl", Dir("ar"))
	require.Equal(t, "ltr", Dir("en"))
}

// verbs are the fmt verbs of a format, in order, without argument indexes.
var verbs = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z]`)

func TestEveryLanguageTakesTheSameArguments(t *testing.T) {
	t.Parallel()
	for _, key := range Keys("en") {
		en := verbs.FindAllString(strings.ReplaceAll(T("en", key), "%%", ""), -1)
		ar := verbs.FindAllString(strings.ReplaceAll(T("ar", key), "%%", ""), -1)
		require.Len(t, ar, len(en), "%s: the Arabic text takes %v, the English %v", key, ar, en)
	}
}
