package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// staffRoles are every role a token can have.
var staffRoles = []access.Role{access.Owner, access.Manager, access.Doctor, access.Receptionist}

// TestRolesMatchTheSpec walks every /api/v1 route the router serves and calls it with each role's
// token: exactly the roles the operation's x-roles names get past authorisation, the others get 403
// `forbidden`. A public operation (`security: []`) names no roles and answers without a token. Every
// id in a path names nothing, so no call changes anything.
func TestRolesMatchTheSpec(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	paths := loadOpenAPI(t)["paths"].(map[string]any)
	checked := 0
	for _, r := range (&Server{}).routes().Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		name := r.Method + " " + r.Path
		item, _ := paths[ginParam.ReplaceAllString(r.Path, "{$1}")].(map[string]any)
		op, ok := item[strings.ToLower(r.Method)].(map[string]any)
		require.True(t, ok, "%s is not in openapi.json", name)
		path := ginParam.ReplaceAllString(r.Path, "987654")

		if security, ok := op["security"].([]any); ok && len(security) == 0 {
			require.NotContains(t, op, "x-roles", "%s is public, so it names no roles", name)
			status, code := tb.tryRole(t, "", r.Method, path)
			require.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden}, status, "%s is public but answers %d %s", name, status, code)
			continue
		}
		roles := operationRoles(t, name, op)
		for _, role := range staffRoles {
			status, code := tb.tryRole(t, role, r.Method, path)
			if slices.Contains(roles, role) {
				require.False(t, status == http.StatusForbidden && code == "forbidden",
					"%s: openapi.json allows %s, but the router refuses it", name, role)
				require.NotEqual(t, http.StatusUnauthorized, status, "%s: %s's token is refused", name, role)
			} else {
				require.Equal(t, http.StatusForbidden, status, "%s: openapi.json does not allow %s, but the router lets it through (%d %s)", name, role, status, code)
				require.Equal(t, "forbidden", code, name)
			}
			checked++
		}
	}
	require.Positive(t, checked)
}

// operationRoles reads an operation's x-roles: a non-empty list of known roles.
func operationRoles(t *testing.T, name string, op map[string]any) []access.Role {
	t.Helper()
	list, ok := op["x-roles"].([]any)
	require.True(t, ok, "%s needs an x-roles list (or `security: []` if it is public)", name)
	require.NotEmpty(t, list, "%s: x-roles is empty", name)
	var roles []access.Role
	for _, v := range list {
		s, _ := v.(string)
		role, err := access.ParseRole(s)
		require.NoError(t, err, "%s: x-roles names %v, which is no role", name, v)
		roles = append(roles, role)
	}
	return roles
}

// tryRole sends a request with no body as role (no token for "") and answers its status and error
// code. The request is sent incomplete on purpose; its answer is still checked against openapi.json.
func (tb *testBundle) tryRole(t *testing.T, role access.Role, method, path string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	chk := &specCheck{malformed: true}
	req, err := http.NewRequestWithContext(withSpecCheck(ctx, chk), method, tb.url+path, nil)
	require.NoError(t, err)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+tb.tokens[role])
	}
	resp, err := tb.client.Do(req)
	require.NoError(t, err, "%s %s", method, path)
	defer resp.Body.Close()
	if len(chk.problems) > 0 {
		require.Failf(t, "does not match openapi.json", "%s %s as %q → %d:\n%s", method, path, role, resp.StatusCode, strings.Join(chk.problems, "\n"))
	}
	var answer struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.NewDecoder(resp.Body).Decode(&answer)
	}
	return resp.StatusCode, answer.Error.Code
}
