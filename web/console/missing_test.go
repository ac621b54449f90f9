package console_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestMissingConsolePageIsAPage: an unknown console address answers a 404 page, with the menu for a
// signed-in visitor, while an unknown API address keeps the API's JSON error.
func TestMissingConsolePageIsAPage(t *testing.T) {
	t.Parallel()
	base, _, email, password := demoServerAs(t, access.Receptionist)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(body)
	}

	resp, body := get("/console/no-such-page")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	require.Contains(t, body, "Page not found")
	require.Contains(t, body, "Go to sign-in")
	require.NotContains(t, body, `class="nav"`)

	_, form := get("/console/signin")
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(form)
	require.NotNil(t, token)
	signin, err := client.PostForm(base+"/console/signin", url.Values{"csrf": {token[1]}, "email": {email}, "password": {password}})
	require.NoError(t, err)
	signin.Body.Close()
	require.Equal(t, http.StatusOK, signin.StatusCode, "signed in and sent on to Today")

	resp, body = get("/console/patients/1/no-such-tab")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Contains(t, body, "Page not found")
	require.Contains(t, body, `class="nav"`, "a signed-in visitor keeps the menu")
	require.Contains(t, body, "Back to Today")

	resp, body = get("/api/v1/no-such-endpoint")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	require.Contains(t, body, `"not_found"`)
}
