package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

func TestEveryAPIRouteNeedsAToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	paths := loadOpenAPI(t)["paths"].(map[string]any)
	for _, r := range (&Server{}).routes().Routes() {
		op, _ := paths[ginParam.ReplaceAllString(r.Path, "{$1}")].(map[string]any)[strings.ToLower(r.Method)].(map[string]any)
		if security, ok := op["security"].([]any); ok && len(security) == 0 {
			continue // public: the patient's pages and the API's description
		}
		status, body := tb.call(t, "", r.Method, r.Path, nil, malformed)
		require.Equal(t, http.StatusUnauthorized, status, "%s %s", r.Method, r.Path)
		require.Equal(t, "unauthenticated", errCode(body))
	}
	tb.tokens["bogus"] = "clk_not-a-real-token"
	status, _ := tb.call(t, "bogus", http.MethodGet, "/api/v1/branches", nil)
	require.Equal(t, http.StatusUnauthorized, status)
}

func TestRolesAreChecked(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	branch := map[string]any{"name": "Porto", "timezone": "Europe/Lisbon", "currency": "EUR", "tax_rate_bp": 2300,
		"hours": []map[string]any{{"weekday": 1, "start": "09:00", "end": "17:00"}}}
	for role, want := range map[access.Role]int{access.Receptionist: 403, access.Doctor: 403, access.Manager: 201, access.Owner: 201} {
		status, body := tb.call(t, role, http.MethodPost, "/api/v1/branches", branch)
		require.Equal(t, want, status, "%s creating a branch: %v", role, body)
		if want == 403 {
			require.Equal(t, "forbidden", errCode(body))
		}
	}
	booking := func(hour int) map[string]any {
		return map[string]any{"patient_id": fmt.Sprint(c.Patient.ID), "branch_id": fmt.Sprint(c.Branch.ID),
			"doctor_id": fmt.Sprint(c.Doctor.ID), "examination_ids": []string{fmt.Sprint(c.Consultation.ID)},
			"start": c.At(5, hour, 0)}
	}
	status, _ := tb.call(t, access.Doctor, http.MethodPost, "/api/v1/sessions", booking(9))
	require.Equal(t, http.StatusForbidden, status, "doctors do not book")
	status, body := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/sessions", booking(9))
	require.Equal(t, http.StatusCreated, status, body)
	path := "/api/v1/sessions/" + body["id"].(string)
	for _, role := range []access.Role{access.Receptionist, access.Doctor, access.Manager} {
		status, body := tb.call(t, role, http.MethodDelete, path, nil)
		require.Equal(t, http.StatusForbidden, status, "%s may not delete", role)
		require.Equal(t, "forbidden", errCode(body))
	}
	status, _ = tb.call(t, access.Owner, http.MethodDelete, path, nil)
	require.Equal(t, http.StatusNoContent, status)
	status, _ = tb.call(t, access.Owner, http.MethodGet, path, nil)
	require.Equal(t, http.StatusNotFound, status)
}
