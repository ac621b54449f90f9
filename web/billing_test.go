package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// billingCounts counts the rows of the tables the billing endpoints write.
func (tb *testBundle) billingCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"patient_packages", "package_examinations", "insurance_policies", "policy_examinations",
		"loyalty_accounts", "policy_usage"} {
		var n int
		require.NoError(t, tb.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

// TestInvoicePreviewOverHTTP: the desk records a package and a policy, a manager a loyalty tier, and
// the preview prices a consultation and an ECG. Worked by hand (EUR, the clinic's branch has no tax):
//
//	consultation 60.00 − 10% tier = 54.00; 10.00 of deductible, 50% of 44.00 = 22.00 insured;
//	  the patient's 32.00 less 1.00 in points: 31.00 due.
//	ECG 60.00: covered by the package.
func TestInvoicePreviewOverHTTP(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	patient := fmt.Sprintf("/api/v1/patients/%d", c.Patient.ID)

	status, pkg := tb.call(t, access.Receptionist, http.MethodPost, patient+"/packages", map[string]any{
		"name": "ECG x1", "examination_ids": []string{c.ECG.ID.String()}, "uses": 1, "expires_on": "2027-06-30"})
	require.Equal(t, http.StatusCreated, status, pkg)
	require.EqualValues(t, 1, pkg["uses_left"])
	status, pol := tb.call(t, access.Receptionist, http.MethodPut, patient+"/insurance", map[string]any{
		"insurer": "Acme", "coverage_bp": 5000, "annual_deductible": 1000, "valid_from": "2027-01-01", "valid_to": "2027-12-31"})
	require.Equal(t, http.StatusOK, status, pol)
	require.Nil(t, pol["annual_limit"])
	status, acct := tb.call(t, access.Manager, http.MethodPut, patient+"/loyalty", map[string]any{"tier_discount_bp": 1000, "points": 100})
	require.Equal(t, http.StatusOK, status, acct)

	// The desk reads them back.
	status, list := tb.call(t, access.Receptionist, http.MethodGet, patient+"/packages", nil)
	require.Equal(t, http.StatusOK, status, list)
	require.Equal(t, []any{pkg}, list["items"])
	status, got := tb.call(t, access.Receptionist, http.MethodGet, patient+"/insurance", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, pol, got)
	status, got = tb.call(t, access.Receptionist, http.MethodGet, patient+"/loyalty", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, acct, got)

	before := tb.billingCounts(t)
	body := map[string]any{"patient_id": c.Patient.ID.String(), "branch_id": c.Branch.ID.String(),
		"examination_ids": []string{c.Consultation.ID.String(), c.ECG.ID.String()}, "redeem_points": 100}
	status, inv := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/invoices/preview", body)
	require.Equal(t, http.StatusOK, status, inv)
	require.Equal(t, "preview", inv["status"])
	require.Equal(t, "EUR", inv["currency"])
	totals := []string{"subtotal", "package_covered", "discount", "tax", "total", "insurance_covered", "patient_total", "points_redeemed", "amount_due"}
	want := []float64{12000, 6000, 600, 0, 5400, 2200, 3200, 100, 3100}
	for i, k := range totals {
		require.Equal(t, want[i], inv[k], k)
	}
	lines := inv["lines"].([]any)
	require.Len(t, lines, 2)
	ecg := lines[1].(map[string]any)
	require.Equal(t, pkg["id"], ecg["package_id"])
	remaining := inv["remaining"].(map[string]any)
	require.EqualValues(t, 0, remaining["deductible"])
	require.EqualValues(t, 0, remaining["points"])
	require.Equal(t, before, tb.billingCounts(t), "a preview writes nothing")

	// The same request a second time prices the same (nothing was consumed).
	_, again := tb.call(t, access.Owner, http.MethodPost, "/api/v1/invoices/preview", body)
	require.Equal(t, inv, again)

	// A doctor does not price invoices; a receptionist does not adjust loyalty.
	status, _ = tb.call(t, access.Doctor, http.MethodPost, "/api/v1/invoices/preview", body)
	require.Equal(t, http.StatusForbidden, status)
	status, _ = tb.call(t, access.Receptionist, http.MethodPut, patient+"/loyalty", map[string]any{"points": 1000000})
	require.Equal(t, http.StatusForbidden, status)

	// Once the policy has ended, the preview does not apply it and says why.
	*tb.Clock = tb.Clock.AddDate(1, 0, 0)
	status, inv = tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/invoices/preview", body)
	require.Equal(t, http.StatusOK, status, inv)
	require.EqualValues(t, 0, inv["insurance_covered"])
	require.Equal(t, []any{"insurance (Acme) not applied: the policy ended on 2027-12-31"}, inv["notes"])
	require.Contains(t, fmt.Sprint(inv["lines"]), `package "ECG x1" not applied: it expired on 2027-06-30`)
}

// TestPatientWithoutMoneyRecords: no packages is an empty list, no policy a 404 that says so, and no
// loyalty account one with nothing in it; an unknown patient is a 404 for each.
func TestPatientWithoutMoneyRecords(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	patient := fmt.Sprintf("/api/v1/patients/%d", tb.clinic.Patient.ID)
	status, list := tb.call(t, access.Manager, http.MethodGet, patient+"/packages", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []any{}, list["items"])
	status, body := tb.call(t, access.Manager, http.MethodGet, patient+"/insurance", nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, body["error"].(map[string]any)["message"], "has no insurance policy")
	status, body = tb.call(t, access.Manager, http.MethodGet, patient+"/loyalty", nil)
	require.Equal(t, http.StatusOK, status)
	require.EqualValues(t, 0, body["points"])
	require.Nil(t, body["updated_at"])
	for _, p := range []string{"packages", "insurance", "loyalty"} {
		status, body = tb.call(t, access.Owner, http.MethodGet, "/api/v1/patients/987654/"+p, nil)
		require.Equal(t, http.StatusNotFound, status, p)
		require.Equal(t, "not_found", errCode(body))
	}
}

// TestBillingRefusesBadInput throws negative amounts, out-of-range rates, unknown ids, expired
// policies and huge lists at the billing endpoints: each gets a clear 4xx, and nothing is written.
func TestBillingRefusesBadInput(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	id := func(v fmt.Stringer) string { return v.String() }
	patient := fmt.Sprintf("/api/v1/patients/%d", c.Patient.ID)
	preview := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"patient_id": id(c.Patient.ID), "branch_id": id(c.Branch.ID), "examination_ids": []string{id(c.Consultation.ID)}}
		change(b)
		return b
	}
	policy := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"insurer": "Acme", "coverage_bp": 8000, "annual_deductible": 0, "valid_from": "2027-01-01", "valid_to": "2027-12-31"}
		change(b)
		return b
	}
	pkg := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"name": "x", "examination_ids": []string{id(c.ECG.ID)}, "uses": 5}
		change(b)
		return b
	}
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(c.Consultation.ID)
		}
		return out
	}
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
		bad                bool // breaks the API description on purpose
	}{
		{"preview_negative_quantity", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) {
			b["consumables"] = []any{map[string]any{"item_id": "1", "quantity": -2}}
		}), 422, "invalid_quantity", true},
		{"preview_unknown_patient", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["patient_id"] = "987654" }), 404, "not_found", false},
		{"preview_unknown_branch", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["branch_id"] = "987654" }), 404, "not_found", false},
		{"preview_unknown_item", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) {
			b["consumables"] = []any{map[string]any{"item_id": "987654", "quantity": 1}}
		}), 404, "not_found", false},
		{"preview_negative_discount", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["manual_discount_bp"] = -1 }), 422, "out_of_range", true},
		{"preview_discount_over_100_percent", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["manual_discount_bp"] = 10001 }), 422, "out_of_range", true},
		{"preview_negative_points", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["redeem_points"] = -5 }), 422, "negative_amount", true},
		{"preview_huge_examination_list", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["examination_ids"] = ids(10000) }), 422, "too_many_examinations", true},
		{"preview_huge_consumable_list", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) {
			list := make([]any, 5000)
			for i := range list {
				list[i] = map[string]any{"item_id": "1", "quantity": 1}
			}
			b["consumables"] = list
		}), 422, "too_many_consumables", true},
		{"preview_body_over_the_limit", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["examination_ids"] = ids(300000) }), 413, "body_too_large", true},
		{"preview_amount_as_text", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["redeem_points"] = "lots" }), 400, "invalid_field", true},
		{"preview_bad_date", "POST", "/api/v1/invoices/preview", preview(func(b map[string]any) { b["date"] = "2027-02-30" }), 400, "invalid_date", true},
		{"insurance_coverage_10001", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["coverage_bp"] = 10001 }), 422, "invalid_coverage", true},
		{"insurance_negative_deductible", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["annual_deductible"] = -100 }), 422, "negative_amount", true},
		{"insurance_negative_limit", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["annual_limit"] = -1 }), 422, "negative_amount", true},
		{"insurance_expired", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["valid_from"], b["valid_to"] = "2025-01-01", "2026-12-31" }), 422, "policy_expired", false},
		{"insurance_ends_before_it_starts", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["valid_from"], b["valid_to"] = "2027-12-31", "2027-01-01" }), 422, "invalid_validity", false},
		{"insurance_missing_coverage", "PUT", patient + "/insurance", policy(func(b map[string]any) { delete(b, "coverage_bp") }), 422, "missing_coverage", true},
		{"insurance_unknown_currency", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["currency"] = "ABC" }), 422, "invalid_currency", false},
		{"insurance_unknown_examination", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["examination_ids"] = []string{"987654"} }), 404, "not_found", false},
		{"insurance_unknown_patient", "PUT", "/api/v1/patients/987654/insurance", policy(func(map[string]any) {}), 404, "not_found", false},
		{"insurance_coverage_as_percent_text", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["coverage_bp"] = "80%" }), 400, "invalid_field", true},
		{"insurance_huge_examination_list", "PUT", patient + "/insurance", policy(func(b map[string]any) { b["examination_ids"] = ids(501) }), 422, "too_many", true},
		{"package_negative_uses", "POST", patient + "/packages", pkg(func(b map[string]any) { b["uses"] = -3 }), 422, "invalid_uses", true},
		{"package_no_examinations", "POST", patient + "/packages", pkg(func(b map[string]any) { b["examination_ids"] = []string{} }), 422, "missing_examinations", true},
		{"package_unknown_examination", "POST", patient + "/packages", pkg(func(b map[string]any) { b["examination_ids"] = []string{"987654"} }), 404, "not_found", false},
		{"package_expired", "POST", patient + "/packages", pkg(func(b map[string]any) { b["expires_on"] = "2026-12-31" }), 422, "expires_in_past", false},
		{"package_unknown_patient", "POST", "/api/v1/patients/987654/packages", pkg(func(map[string]any) {}), 404, "not_found", false},
		{"package_patient_id_not_a_number", "POST", "/api/v1/patients/abc/packages", pkg(func(map[string]any) {}), 404, "not_found", true},
		{"package_name_too_long", "POST", patient + "/packages", pkg(func(b map[string]any) { b["name"] = strings.Repeat("x", 201) }), 422, "too_long", true},
		{"loyalty_negative_points", "PUT", patient + "/loyalty", map[string]any{"points": -1}, 422, "negative_amount", true},
		{"loyalty_tier_over_100_percent", "PUT", patient + "/loyalty", map[string]any{"tier_discount_bp": 10001}, 422, "out_of_range", true},
		{"loyalty_points_too_large", "PUT", patient + "/loyalty", `{"points": 99999999999999999999}`, 400, "invalid_field", true},
		{"loyalty_unknown_patient", "PUT", "/api/v1/patients/987654/loyalty", map[string]any{"points": 5}, 404, "not_found", false},
	}
	before := tb.billingCounts(t)
	for _, tc := range cases {
		var opts []callOption
		if tc.bad {
			opts = append(opts, malformed)
		}
		status, body := tb.call(t, access.Owner, tc.method, tc.path, tc.body, opts...)
		require.Equalf(t, tc.status, status, "%s: %v", tc.name, body)
		require.Equalf(t, tc.code, errCode(body), "%s: %v", tc.name, body)
		msg := body["error"].(map[string]any)["message"].(string)
		require.NotContainsf(t, msg, "billing.", "%s: the message names Go internals: %s", tc.name, msg)
	}
	require.Equal(t, before, tb.billingCounts(t), "a refused request writes nothing")
}
