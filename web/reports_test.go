package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/web/access"
)

// getRaw sends a GET with the role's token through the spec-checking client and answers the raw body.
func (tb *testBundle) getRaw(t *testing.T, role access.Role, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, tb.url+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tb.tokens[role])
	resp, err := tb.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(raw)
}

// reportDay issues two visits on 4 January 2027 at a branch whose name starts like a formula, with a
// 23% tax on every examination, and credits the second.
func reportDay(t *testing.T) *testBundle {
	t.Helper()
	tb := setupBilling(t)
	c := tb.clinic
	ctx := context.Background()
	for _, sql := range []string{`UPDATE branches SET tax_rate_bp = 2300, name = '=HYPERLINK("http://x")'`,
		`UPDATE examinations SET taxable = true`,
		`INSERT INTO commission_rules (examination_id, beneficiary, fixed) SELECT id, 'doctor', 250 FROM examinations`,
		`UPDATE doctors SET name = '@Dr House'`} {
		_, err := tb.Pool.Exec(ctx, sql)
		require.NoError(t, err)
	}
	*tb.Clock = c.At(4, 18, 0)
	var sessions []*scheduling.Session
	for _, hour := range []int{8, 9} {
		sess, err := tb.Svc.Book(ctx, "desk", c.Booking(c.At(4, hour, 0), c.ECG.ID))
		require.NoError(t, err)
		sessions = append(sessions, sess)
	}
	var invoice string
	require.NoError(t, tb.Pool.QueryRow(ctx, `SELECT id::text FROM invoices WHERE session_id = $1`, sessions[1].ID).Scan(&invoice))
	status, body := tb.call(t, access.Manager, http.MethodPost, "/api/v1/invoices/"+invoice+"/credit-note", map[string]any{"reason": "twice"})
	require.Equal(t, http.StatusCreated, status, body)
	return tb
}

// TestRevenueReportOverHTTP: the day's revenue as JSON and as a CSV download with decimal amounts
// and formula-like names neutralised; the desk and doctors are refused.
func TestRevenueReportOverHTTP(t *testing.T) {
	t.Parallel()
	tb := reportDay(t)
	path := "/api/v1/reports/revenue?from=2027-01-01&to=2027-01-31"
	status, body := tb.call(t, access.Owner, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status, body)
	days := body["days"].([]any)
	require.Len(t, days, 1)
	day := days[0].(map[string]any)
	require.Equal(t, "2027-01-04", day["date"])
	require.EqualValues(t, 2, day["invoices"])
	require.EqualValues(t, 1, day["credit_notes"])
	total := int64(day["total"].(float64))
	require.Positive(t, total)
	require.EqualValues(t, total, day["patient_share"].(float64)+day["insurer_share"].(float64))

	resp, raw := tb.getRaw(t, access.Manager, path+"&format=csv&branch_id="+tb.clinic.Branch.ID.String())
	require.Equal(t, http.StatusOK, resp.StatusCode, raw)
	require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="revenue-2027-01-01-2027-01-31-branch-`+tb.clinic.Branch.ID.String()+`.csv"`,
		resp.Header.Get("Content-Disposition"))
	require.True(t, strings.HasSuffix(raw, "\r\n"), "RFC 4180 line ends")
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"date", "branch_id", "branch", "currency", "invoices", "credit_notes", "patient_share",
		"insurer_share", "tax", "total"}, rows[0])
	require.Len(t, rows, 2)
	require.Equal(t, `'=HYPERLINK("http://x")`, rows[1][2])
	require.Contains(t, raw, `"'=HYPERLINK(""http://x"")"`, "quotes doubled inside a quoted cell")
	require.Equal(t, "EUR", rows[1][3])
	require.Equal(t, formatCents(total), rows[1][9])

	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		status, body = tb.call(t, role, http.MethodGet, path, nil)
		require.Equal(t, http.StatusForbidden, status, body)
	}
}

func formatCents(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }

// TestCommissionAndStockReportsOverHTTP: commission per doctor with the credited visit taken back, the
// stock below its reorder level, and both as CSV.
func TestCommissionAndStockReportsOverHTTP(t *testing.T) {
	t.Parallel()
	tb := reportDay(t)
	status, body := tb.call(t, access.Manager, http.MethodGet, "/api/v1/reports/commission?from=2027-01-04&to=2027-01-04", nil)
	require.Equal(t, http.StatusOK, status, body)
	items := body["items"].([]any)
	require.Len(t, items, 1)
	line := items[0].(map[string]any)
	require.Equal(t, "doctor", line["beneficiary"])
	require.Equal(t, tb.clinic.Doctor.ID.String(), line["doctor_id"])
	require.EqualValues(t, 250, line["amount"])
	require.EqualValues(t, 3, line["entries"])
	resp, raw := tb.getRaw(t, access.Owner, "/api/v1/reports/commission?from=2027-01-04&to=2027-01-04&format=csv")
	require.Equal(t, http.StatusOK, resp.StatusCode, raw)
	rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"branch_id", "branch", "beneficiary", "doctor_id", "doctor", "currency", "amount", "entries"}, rows[0])
	require.Equal(t, []string{tb.clinic.Branch.ID.String(), `'=HYPERLINK("http://x")`, "doctor", tb.clinic.Doctor.ID.String(),
		"'@Dr House", "EUR", "2.50", "3"}, rows[1])

	ctx := context.Background()
	_, err = tb.Pool.Exec(ctx, `INSERT INTO inventory_items (code, name, unit_price, created_at) VALUES ('-SW', '+Swab', 10, now())`)
	require.NoError(t, err)
	_, err = tb.Pool.Exec(ctx, `INSERT INTO inventory_stock (item_id, branch_id, quantity, reorder_level, updated_at)
		SELECT id, $1, 3, 5, now() FROM inventory_items`, tb.clinic.Branch.ID)
	require.NoError(t, err)
	status, body = tb.call(t, access.Owner, http.MethodGet, "/api/v1/reports/stock?branch_id="+tb.clinic.Branch.ID.String(), nil)
	require.Equal(t, http.StatusOK, status, body)
	require.EqualValues(t, 1, body["below_reorder_level"])
	resp, raw = tb.getRaw(t, access.Manager, "/api/v1/reports/stock?format=csv")
	require.Equal(t, http.StatusOK, resp.StatusCode, raw)
	require.Equal(t, `attachment; filename="stock.csv"`, resp.Header.Get("Content-Disposition"))
	rows, err = csv.NewReader(strings.NewReader(raw)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, []string{"'-SW", "'+Swab", "unit", "3", "5", "yes"}, rows[1][3:])
}

// TestReportBadInput: reversed, over-long, missing or unreadable ranges, unknown or malformed
// branches and unknown formats are refused with a 4xx in the error shape.
func TestReportBadInput(t *testing.T) {
	t.Parallel()
	tb := setupBilling(t)
	for path, want := range map[string]string{
		"/api/v1/reports/revenue?from=2027-02-01&to=2027-01-31":                 "invalid_range",
		"/api/v1/reports/commission?from=2027-01-01&to=2028-01-02":              "range_too_long",
		"/api/v1/reports/revenue?from=2027-02-30&to=2027-03-01":                 "invalid_date",
		"/api/v1/reports/revenue?to=2027-03-01":                                 "missing_range",
		"/api/v1/reports/revenue?from=2027-01-01&to=2027-01-31&branch_id=99999": "not_found",
		"/api/v1/reports/revenue?from=2027-01-01&to=2027-01-31&branch_id=x":     "invalid_id",
		"/api/v1/reports/stock?branch_id=99999":                                 "not_found",
		"/api/v1/reports/stock?format=xlsx":                                     "invalid_format",
		"/api/v1/reports/commission?from=2027-01-01&to=2027-01-31&format=pdf":   "invalid_format",
	} {
		status, body := tb.call(t, access.Owner, http.MethodGet, path, nil, malformed)
		require.True(t, status >= 400 && status < 500, "%s → %d", path, status)
		require.Equal(t, want, errCode(body), path)
	}
	status, body := tb.call(t, access.Owner, http.MethodGet, "/api/v1/reports/revenue?from=2027-01-01&to=2028-01-01", nil)
	require.Equal(t, http.StatusOK, status, body)
}
