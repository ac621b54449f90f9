package public

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadHashesAssetsAndParsesPages(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	for _, name := range []string{"public.css", "tracker.js"} {
		u, err := s.url(name)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(u, AssetPrefix), u)
		require.NotContains(t, u, "/"+name, "the URL carries the content hash")
		a, ok := s.Asset(strings.TrimPrefix(u, AssetPrefix))
		require.True(t, ok)
		require.NotEmpty(t, a.Body)
	}
	_, ok := s.Asset("public.css")
	require.False(t, ok, "only hashed names are served")
	_, err = s.url("missing.css")
	require.Error(t, err)

	page, err := s.Render("notfound", Page{Lang: "ar", Dir: "rtl", Title: "x",
		Data: struct{ Title, Detail string }{"<b>t</b>", "d"}})
	require.NoError(t, err)
	require.Contains(t, string(page), `<html lang="ar" dir="rtl">`)
	require.Contains(t, string(page), "&lt;b&gt;t&lt;/b&gt;", "text is escaped")
	_, err = s.Render("nope", Page{})
	require.Error(t, err)
}
