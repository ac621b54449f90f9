package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestPutBranchReplacesTheWholeBranch: PUT takes the whole branch, and an optional setting left out
// takes its default exactly as on create, whatever it was before.
func TestPutBranchReplacesTheWholeBranch(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	status, created := tb.call(t, access.Manager, http.MethodPost, "/api/v1/branches", map[string]any{"name": "Porto",
		"timezone": "Europe/Lisbon", "currency": "EUR", "tax_rate_bp": 2300})
	require.Equal(t, http.StatusCreated, status, created)
	path := fmt.Sprintf("/api/v1/branches/%s", created["id"])

	full := map[string]any{"name": "Porto Norte", "timezone": "Atlantic/Madeira", "currency": "EUR", "tax_rate_bp": 600,
		"slot_interval_minutes": 20, "min_notice_minutes": 240, "horizon_days": 30,
		"hours": []map[string]any{{"weekday": 2, "start": "10:00", "end": "12:00"}}}
	status, body := tb.call(t, access.Manager, http.MethodPut, path, full)
	require.Equal(t, http.StatusOK, status, body)
	for _, field := range []string{"name", "timezone", "currency"} {
		require.Equal(t, full[field], body[field], field)
	}
	for _, field := range []string{"tax_rate_bp", "slot_interval_minutes", "min_notice_minutes", "horizon_days"} {
		require.EqualValues(t, full[field], body[field], field)
	}
	require.Equal(t, []any{map[string]any{"weekday": 2.0, "start": "10:00", "end": "12:00"}}, body["hours"])

	partial := map[string]any{"name": "Porto", "timezone": "Europe/Lisbon", "currency": "EUR", "tax_rate_bp": 2300}
	status, body = tb.call(t, access.Manager, http.MethodPut, path, partial)
	require.Equal(t, http.StatusOK, status, body)
	delete(body, "id")
	delete(created, "id")
	require.Equal(t, created, body, "the same branch as a create with that body")
	require.Nil(t, body["slot_interval_minutes"])
	require.EqualValues(t, 60, body["min_notice_minutes"])
	require.EqualValues(t, 90, body["horizon_days"])
	require.Equal(t, []any{}, body["hours"])
}

// TestIDFiltersAboveThirtyTwoBits: ids are 64-bit, so the largest one is a valid filter that matches
// nothing, never a 500.
func TestIDFiltersAboveThirtyTwoBits(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, path := range []string{"/api/v1/rooms", "/api/v1/examinations"} {
		status, body := tb.call(t, access.Receptionist, http.MethodGet, path+"?branch_id=9223372036854775807", nil)
		require.Equal(t, http.StatusOK, status, body)
		require.Equal(t, []any{}, body["items"], path)
		status, body = tb.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("%s?branch_id=%d", path, tb.clinic.Branch.ID), nil)
		require.Equal(t, http.StatusOK, status, body)
		require.Len(t, body["items"], 2, path)
	}
}

// TestExaminationPricesOverTheAPI: a price per branch goes in with the examination and comes back on
// every read.
func TestExaminationPricesOverTheAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	status, ny := tb.call(t, access.Manager, http.MethodPost, "/api/v1/branches", map[string]any{"name": "New York",
		"timezone": "America/New_York", "currency": "USD", "tax_rate_bp": 888})
	require.Equal(t, http.StatusCreated, status, ny)
	exam := map[string]any{"code": "GP9", "name": "General consultation", "price": 6000, "duration_minutes": 30,
		"taxable": false, "branch_ids": []any{fmt.Sprint(c.Branch.ID), ny["id"]},
		"prices": []map[string]any{{"branch_id": ny["id"], "price": 15000}}}
	status, body := tb.call(t, access.Manager, http.MethodPost, "/api/v1/examinations", exam)
	require.Equal(t, http.StatusCreated, status, body)
	want := []any{map[string]any{"branch_id": ny["id"], "price": 15000.0}}
	require.Equal(t, want, body["prices"])
	_, body = tb.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/examinations/%s", body["id"]), nil)
	require.Equal(t, want, body["prices"])

	exam["code"], exam["branch_ids"] = "GP10", []any{fmt.Sprint(c.Branch.ID)}
	status, body = tb.call(t, access.Manager, http.MethodPost, "/api/v1/examinations", exam)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "price_branch_not_offered", errCode(body))
}
