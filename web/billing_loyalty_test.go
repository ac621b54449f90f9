package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestLoyaltyRulesOverHTTP: a manager sets the points rate and two tiers; a patient with 150 points
// reaches Silver, which the patient's account names and the preview discounts (consultation 60.00,
// 5% = 3.00); a tier set by staff wins until it is handed back to the rules.
func TestLoyaltyRulesOverHTTP(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	const rules = "/api/v1/settings/loyalty"

	status, got := tb.call(t, access.Receptionist, http.MethodGet, rules, nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, map[string]any{"points_rate_bp": float64(100), "tier_basis": "points", "tiers": []any{}}, got)

	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		status, got = tb.call(t, role, http.MethodPut, rules, map[string]any{"points_rate_bp": 300})
		require.Equal(t, http.StatusForbidden, status, got)
	}
	status, got = tb.call(t, access.Doctor, http.MethodGet, rules, nil)
	require.Equal(t, http.StatusForbidden, status, got)

	status, saved := tb.call(t, access.Manager, http.MethodPut, rules, map[string]any{"points_rate_bp": 200, "tiers": []any{
		map[string]any{"name": "Gold", "threshold": 1000, "discount_bp": 1000},
		map[string]any{"name": "Silver", "threshold": 100, "discount_bp": 500}}})
	require.Equal(t, http.StatusOK, status, saved)
	require.EqualValues(t, 200, saved["points_rate_bp"])
	require.Equal(t, "points", saved["tier_basis"], "a field not given is kept")
	tiers := saved["tiers"].([]any)
	require.Len(t, tiers, 2)
	require.Equal(t, "Silver", tiers[0].(map[string]any)["name"], "lowest threshold first")
	status, got = tb.call(t, access.Receptionist, http.MethodGet, rules, nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, saved, got)

	account := fmt.Sprintf("/api/v1/patients/%d/loyalty", c.Patient.ID)
	status, acct := tb.call(t, access.Manager, http.MethodPut, account, map[string]any{"points": 150})
	require.Equal(t, http.StatusOK, status, acct)
	require.Equal(t, "rules", acct["tier_source"])
	require.Equal(t, "Silver", acct["tier_name"])
	require.EqualValues(t, 500, acct["tier_discount_bp"])

	preview := map[string]any{"patient_id": c.Patient.ID.String(), "branch_id": c.Branch.ID.String(),
		"examination_ids": []string{c.Consultation.ID.String()}}
	status, inv := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/invoices/preview", preview)
	require.Equal(t, http.StatusOK, status, inv)
	require.EqualValues(t, 300, inv["discount"], "Silver's 5%% of 60.00")

	status, acct = tb.call(t, access.Manager, http.MethodPut, account, map[string]any{"tier_discount_bp": 2000})
	require.Equal(t, http.StatusOK, status, acct)
	require.Equal(t, "staff", acct["tier_source"])
	require.EqualValues(t, 2000, acct["tier_discount_bp"])
	status, inv = tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/invoices/preview", preview)
	require.Equal(t, http.StatusOK, status, inv)
	require.EqualValues(t, 1200, inv["discount"], "the staff's 20%% wins over Silver")

	status, acct = tb.call(t, access.Manager, http.MethodPut, account, map[string]any{"tier_from_rules": true})
	require.Equal(t, http.StatusOK, status, acct)
	require.Equal(t, "rules", acct["tier_source"])
	require.EqualValues(t, 500, acct["tier_discount_bp"])

	status, got = tb.call(t, access.Manager, http.MethodPut, account, map[string]any{"tier_from_rules": true, "tier_discount_bp": 100})
	require.Equal(t, http.StatusUnprocessableEntity, status, got)
	require.Equal(t, "conflicting_tier", errCode(got))
}

// TestLoyaltyRulesBadInput: each refused change of the rules answers a 4xx with its code and leaves
// the rules as they were, tiers and rate alike.
func TestLoyaltyRulesBadInput(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	const rules = "/api/v1/settings/loyalty"
	status, before := tb.call(t, access.Manager, http.MethodPut, rules, map[string]any{"tiers": []any{
		map[string]any{"name": "Silver", "threshold": 100, "discount_bp": 500}}})
	require.Equal(t, http.StatusOK, status, before)
	tier := func(name string, threshold, bp any) map[string]any {
		return map[string]any{"name": name, "threshold": threshold, "discount_bp": bp}
	}
	many := make([]any, 21)
	for i := range many {
		many[i] = tier(fmt.Sprintf("T%d", i), i, 100)
	}
	cases := []struct {
		name   string
		body   any
		status int
		code   string
		bad    bool
	}{
		{"rate_over_100_percent", map[string]any{"points_rate_bp": 10001, "tiers": []any{}}, 422, "out_of_range", true},
		{"negative_rate", map[string]any{"points_rate_bp": -1}, 422, "out_of_range", true},
		{"unknown_basis", map[string]any{"tier_basis": "visits"}, 422, "invalid_tier_basis", true},
		{"same_threshold_twice", map[string]any{"points_rate_bp": 50, "tiers": []any{tier("A", 10, 100), tier("B", 10, 200)}}, 422, "duplicate_threshold", false},
		{"same_name_twice", map[string]any{"tiers": []any{tier("Gold", 10, 100), tier(" gold ", 20, 200)}}, 422, "duplicate_tier", false},
		{"blank_name", map[string]any{"tiers": []any{tier("   ", 10, 100)}}, 422, "missing_name", false},
		{"discount_over_100_percent", map[string]any{"tiers": []any{tier("A", 10, 10001)}}, 422, "out_of_range", true},
		{"negative_threshold", map[string]any{"tiers": []any{tier("A", -5, 100)}}, 422, "out_of_range", true},
		{"too_many_tiers", map[string]any{"tiers": many}, 422, "too_many_tiers", true},
		{"threshold_as_text", map[string]any{"tiers": []any{tier("A", "ten", 100)}}, 400, "invalid_field", true},
		{"not_json", `{"tiers": [`, 400, "invalid_json", true},
	}
	for _, tc := range cases {
		var opts []callOption
		if tc.bad {
			opts = append(opts, malformed)
		}
		status, body := tb.call(t, access.Owner, http.MethodPut, rules, tc.body, opts...)
		require.Equalf(t, tc.status, status, "%s: %v", tc.name, body)
		require.Equalf(t, tc.code, errCode(body), "%s: %v", tc.name, body)
		msg := body["error"].(map[string]any)["message"].(string)
		require.NotContainsf(t, msg, "billing.", "%s: the message names Go internals: %s", tc.name, msg)
		status, after := tb.call(t, access.Manager, http.MethodGet, rules, nil)
		require.Equal(t, http.StatusOK, status)
		require.Equalf(t, before, after, "%s: nothing half-saved", tc.name)
	}
}
