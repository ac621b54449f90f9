package i18n

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestEveryCatalogIsComplete: each language has exactly the English keys, so nothing a patient reads
// falls back to another language.
func TestEveryCatalogIsComplete(t *testing.T) {
	want := slices.Sorted(maps.Keys(english))
	for _, l := range languages {
		require.Equal(t, want, slices.Sorted(maps.Keys(l.msgs)), "catalog %s", l.code)
		for _, key := range want {
			args := argsFor(t, key)
			got := T(l.code, key, args...)
			require.NotEqual(t, key, got, "%s %s", l.code, key)
			require.NotContains(t, got, "%!", "%s %s takes other arguments than English: %s", l.code, key, got)
		}
	}
}

// argsFor finds the arguments the English message of key takes: none, a count, or one or two texts.
func argsFor(t *testing.T, key string) []any {
	for _, args := range [][]any{nil, {3}, {"x"}, {"x", "y"}} {
		if !strings.Contains(T(English, key, args...), "%!") {
			return args
		}
	}
	t.Fatalf("the English %s takes arguments of no known kind", key)
	return nil
}

func TestPluralsFollowTheLanguage(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{English, 0, "You're next"},
		{English, 1, "1 person ahead of you"},
		{English, 2, "2 people ahead of you"},
		{English, 1200, "1,200 people ahead of you"},
		{Arabic, 0, "أنت التالي"},
		{Arabic, 1, "شخص واحد قبلك"},
		{Arabic, 2, "شخصان قبلك"},
		{Arabic, 3, "٣ أشخاص قبلك"},
		{Arabic, 10, "١٠ أشخاص قبلك"},
		{Arabic, 11, "١١ شخصًا قبلك"},
		{Arabic, 100, "١٠٠ شخص قبلك"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, T(c.lang, "tracker.ahead", c.n), "%s %d", c.lang, c.n)
	}
}

func TestNumbersAndClocks(t *testing.T) {
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	require.NoError(t, err)
	at := func(h, m int) time.Time { return time.Date(2027, 1, 4, h, m, 0, 0, lisbon) }
	require.Equal(t, "1,234", Number(English, 1234))
	require.Equal(t, "١٬٢٣٤", Number(Arabic, 1234))
	require.Equal(t, "٧", Number(Arabic, 7))
	for _, c := range []struct {
		lang string
		t    time.Time
		want string
	}{
		{English, at(9, 5), "9:05\u00a0AM"},
		{English, at(0, 0), "12:00\u00a0AM"},
		{English, at(12, 30), "12:30\u00a0PM"},
		{English, at(17, 45), "5:45\u00a0PM"},
		{Arabic, at(9, 5), "٩:٠٥\u00a0ص"},
		{Arabic, at(17, 45), "٥:٤٥\u00a0م"},
	} {
		require.Equal(t, c.want, Clock(c.lang, c.t))
	}
	// The zone is the time's own: the branch's, not the server's.
	require.Equal(t, "9:05\u00a0AM", Clock(English, at(9, 5).In(lisbon)))
}

func TestChoose(t *testing.T) {
	cases := []struct {
		name                         string
		query, cookie, accept, deflt string
		want                         string
	}{
		{"the query wins", "ar", "en", "en-GB", "en", "ar"},
		{"then the cookie", "", "ar", "en-GB", "en", "ar"},
		{"an unknown query is ignored", "xx", "", "ar-EG,ar;q=0.9", "en", "ar"},
		{"then Accept-Language", "", "", "fr-FR, ar;q=0.8, en;q=0.5", "en", "ar"},
		{"regional variants match", "", "", "en-US", "ar", "en"},
		{"then the clinic default", "", "", "fr-FR", "ar", "ar"},
		{"garbage header", "", "", ";;;q=x", "ar", "ar"},
		{"nothing at all", "", "", "", "", "en"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Choose(c.query, c.cookie, c.accept, c.deflt), c.name)
	}
}

func TestDirectionAndNames(t *testing.T) {
	require.Equal(t, "rtl", Dir(Arabic))
	require.Equal(t, "ltr", Dir(English))
	require.Equal(t, "ltr", Dir("xx"))
	require.Equal(t, "العربية", Name(Arabic))
	require.Equal(t, []string{"en", "ar"}, Supported())
	require.True(t, strings.HasPrefix(T("xx", "tracker.title"), "Your place"), "unknown languages read English")
}
