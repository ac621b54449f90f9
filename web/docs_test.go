package web

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/docs"
)

// TestDocsAreServed: the API guide is public Markdown at GET /api/v1/docs, and it names every
// operation openapi.json describes, so the guide and the spec cannot drift apart unnoticed.
func TestDocsAreServed(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	resp, err := tb.client.Get(tb.url + "/api/v1/docs")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "public: no token needed")
	require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/markdown"), resp.Header.Get("Content-Type"))
	require.Equal(t, "public, max-age=300", resp.Header.Get("Cache-Control"))
	require.Equal(t, string(docs.API), string(body))

	for p, v := range loadOpenAPI(t)["paths"].(map[string]any) {
		for method := range v.(map[string]any) {
			if slices.Contains(httpMethods, method) {
				op := "`" + strings.ToUpper(method) + " " + p + "`"
				require.Contains(t, string(body), op, "docs/api.md does not describe %s", op)
			}
		}
	}
}
