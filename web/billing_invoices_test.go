package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// setupBilling is setup with invoices kept, as every process serving the product runs.
func setupBilling(t *testing.T) *testBundle {
	t.Helper()
	var b *schedtest.Bundle
	b = schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{
		billing.SessionListener}})
	rdb, _ := dbtest.NewRedis(t)
	return serveBundle(t, b, rdb)
}

func (tb *testBundle) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// TestInvoiceLifeOverHTTP: a booking answers its draft invoice, which is the preview of the same
// visit; the desk takes a partial payment, issues it, the owner cannot delete the visit, and a
// manager reverses it with a credit note. Doctors see no money.
func TestInvoiceLifeOverHTTP(t *testing.T) {
	t.Parallel()
	tb := setupBilling(t)
	c := tb.clinic
	_, err := tb.Pool.Exec(context.Background(), `UPDATE branches SET tax_rate_bp = 2300 WHERE id = $1`, c.Branch.ID)
	require.NoError(t, err)
	_, err = tb.Pool.Exec(context.Background(), `UPDATE examinations SET taxable = true`)
	require.NoError(t, err)
	ids := []string{c.Consultation.ID.String(), c.ECG.ID.String()}
	status, sess := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/sessions", map[string]any{
		"patient_id": c.Patient.ID.String(), "branch_id": c.Branch.ID.String(), "doctor_id": c.Doctor.ID.String(),
		"examination_ids": ids, "start": c.At(5, 9, 0)})
	require.Equal(t, http.StatusCreated, status, sess)
	inv, ok := sess["invoice"].(map[string]any)
	require.True(t, ok, "the booking answers its invoice: %v", sess)
	require.Equal(t, "draft", inv["status"])
	require.Nil(t, inv["number"])
	path := "/api/v1/sessions/" + sess["id"].(string)

	status, got := tb.call(t, access.Receptionist, http.MethodGet, path+"/invoice", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, inv, got)
	status, preview := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/invoices/preview", map[string]any{
		"patient_id": c.Patient.ID.String(), "branch_id": c.Branch.ID.String(), "examination_ids": ids, "date": "2027-01-05"})
	require.Equal(t, http.StatusOK, status, preview)
	for _, k := range []string{"lines", "subtotal", "discount", "package_covered", "insurance_covered", "tax", "patient_total", "amount_due", "currency"} {
		require.Equal(t, preview[k], got[k], k)
	}
	require.EqualValues(t, 14760, got["patient_total"]) // 2 × 60.00 + 23%

	status, doc := tb.call(t, access.Doctor, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status, doc)
	require.Nil(t, doc["invoice"])
	status, _ = tb.call(t, access.Doctor, http.MethodGet, path+"/invoice", nil)
	require.Equal(t, http.StatusForbidden, status)

	invPath := "/api/v1/invoices/" + got["id"].(string)
	status, pay := tb.call(t, access.Receptionist, http.MethodPost, invPath+"/payments", map[string]any{"amount": 4760, "method": "card"})
	require.Equal(t, http.StatusCreated, status, pay)
	status, body := tb.call(t, access.Receptionist, http.MethodPost, invPath+"/payments", map[string]any{"amount": 10001, "method": "cash"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "more_than_due", errCode(body))

	status, issued := tb.call(t, access.Receptionist, http.MethodPost, invPath+"/issue", nil)
	require.Equal(t, http.StatusOK, status, issued)
	require.Equal(t, "issued", issued["status"])
	require.Equal(t, fmt.Sprintf("INV-%d-000001", c.Branch.ID), issued["number"])
	require.EqualValues(t, 4760, issued["paid"])
	require.EqualValues(t, 10000, issued["due"])
	status, body = tb.call(t, access.Receptionist, http.MethodPost, invPath+"/issue", nil)
	require.Equal(t, http.StatusConflict, status, body)
	require.Equal(t, "invoice_not_draft", errCode(body))

	status, body = tb.call(t, access.Owner, http.MethodDelete, path, nil)
	require.Equal(t, http.StatusConflict, status, body)
	require.Equal(t, "financial_history", errCode(body))

	status, body = tb.call(t, access.Receptionist, http.MethodPost, invPath+"/credit-note", map[string]any{"reason": "wrong"})
	require.Equal(t, http.StatusForbidden, status, body)
	status, note := tb.call(t, access.Manager, http.MethodPost, invPath+"/credit-note", map[string]any{"reason": "billed the wrong examination"})
	require.Equal(t, http.StatusCreated, status, note)
	require.Equal(t, fmt.Sprintf("CN-%d-000001", c.Branch.ID), note["number"])
	status, got = tb.call(t, access.Manager, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, "credited", got["invoice"].(map[string]any)["status"])
}

// TestInvoiceEndpointsRefuseBadInput: whatever is sent, a 4xx with the error shape and nothing written.
func TestInvoiceEndpointsRefuseBadInput(t *testing.T) {
	t.Parallel()
	tb := setupBilling(t)
	sess := tb.book(t, tb.clinic.At(5, 9, 0))
	status, inv := tb.call(t, access.Receptionist, http.MethodGet, sessionPath(sess.ID, "/invoice"), nil)
	require.Equal(t, http.StatusOK, status, inv)
	invPath := "/api/v1/invoices/" + inv["id"].(string)
	cases := []struct {
		path   string
		body   any
		status int
		code   string
		bad    bool
	}{
		{invPath + "/payments", map[string]any{"amount": -100, "method": "cash"}, 422, "invalid_amount", true},
		{invPath + "/payments", map[string]any{"amount": 0, "method": "cash"}, 422, "invalid_amount", true},
		{invPath + "/payments", map[string]any{"amount": int64(9_000_000_000_000_000_000), "method": "cash"}, 422, "invalid_amount", false},
		{invPath + "/payments", `{"amount": 1e40, "method": "cash"}`, 400, "", true},
		{invPath + "/payments", map[string]any{"amount": 1, "method": "cash", "currency": "USD"}, 422, "wrong_currency", false},
		{invPath + "/payments", map[string]any{"amount": 1, "method": "bitcoin"}, 422, "invalid_method", true},
		{invPath + "/payments", map[string]any{"method": "cash"}, 422, "missing_amount", true},
		{invPath + "/payments", map[string]any{"amount": "12", "method": "cash"}, 400, "", true},
		{invPath + "/payments", `{"amount": 1,`, 400, "invalid_json", true},
		{invPath + "/payments", map[string]any{"amount": 6001, "method": "cash"}, 422, "more_than_due", false},
		{"/api/v1/invoices/999999/payments", map[string]any{"amount": 1, "method": "cash"}, 404, "not_found", false},
		{"/api/v1/invoices/abc/payments", map[string]any{"amount": 1, "method": "cash"}, 404, "not_found", true},
		{"/api/v1/invoices/999999/issue", nil, 404, "not_found", false},
		{invPath + "/credit-note", map[string]any{"reason": "x"}, 409, "invoice_not_issued", false},
		{invPath + "/credit-note", map[string]any{"reason": "  "}, 422, "missing_reason", false},
		{invPath + "/credit-note", map[string]any{"reason": 5}, 400, "", true},
	}
	for _, tc := range cases {
		var opts []callOption
		if tc.bad {
			opts = append(opts, malformed)
		}
		status, body := tb.call(t, access.Owner, http.MethodPost, tc.path, tc.body, opts...)
		require.Equal(t, tc.status, status, "%s %v: %v", tc.path, tc.body, body)
		if tc.code != "" {
			require.Equal(t, tc.code, errCode(body), "%s %v", tc.path, tc.body)
		}
	}
	status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/sessions/999999/invoice", nil)
	require.Equal(t, http.StatusNotFound, status, body)
	require.Zero(t, tb.count(t, "payments"))
	require.Zero(t, tb.count(t, "credit_notes"))
	require.Zero(t, tb.count(t, "invoice_series"))
	status, got := tb.call(t, access.Receptionist, http.MethodGet, sessionPath(sess.ID, "/invoice"), nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, inv, got)
}
