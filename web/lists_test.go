package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

func TestListSessionsAndBlocks(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	book := func(start string) string {
		status, body := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/sessions", map[string]any{
			"patient_id": fmt.Sprint(c.Patient.ID), "branch_id": fmt.Sprint(c.Branch.ID), "doctor_id": fmt.Sprint(c.Doctor.ID),
			"examination_ids": []string{fmt.Sprint(c.Consultation.ID)}, "start": start})
		require.Equal(t, http.StatusCreated, status, body)
		return body["id"].(string)
	}
	late, early, nextDay := book("2027-01-05T15:00:00Z"), book("2027-01-05T09:00:00Z"), book("2027-01-06T09:00:00Z")

	_, body := tb.call(t, access.Doctor, http.MethodGet, fmt.Sprintf("/api/v1/sessions?branch_id=%d&from=2027-01-05&to=2027-01-05", c.Branch.ID), nil)
	items := body["items"].([]any)
	require.Len(t, items, 2)
	require.Equal(t, early, items[0].(map[string]any)["id"], "in start order")
	require.Equal(t, late, items[1].(map[string]any)["id"])
	exam := items[0].(map[string]any)["examinations"].([]any)[0].(map[string]any)
	require.Equal(t, map[string]any{"examination_id": fmt.Sprint(c.Consultation.ID), "code": "GP", "name": "Consultation",
		"start": "2027-01-05T09:00:00Z", "end": "2027-01-05T09:30:00Z"}, exam, "lists carry whole examinations")
	_, body = tb.call(t, access.Doctor, http.MethodGet, fmt.Sprintf("/api/v1/sessions?patient_id=%d", c.Patient.ID), nil)
	require.Len(t, body["items"], 3)
	_, body = tb.call(t, access.Doctor, http.MethodGet, fmt.Sprintf("/api/v1/sessions?branch_id=%d&from=2027-01-06&to=2027-01-06&status=waiting", c.Branch.ID), nil)
	require.Equal(t, nextDay, body["items"].([]any)[0].(map[string]any)["id"])
	status, body := tb.call(t, access.Doctor, http.MethodGet, "/api/v1/sessions", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "missing_filter", errCode(body))

	// A block over the afternoon of the 5th lists the session it collides with, and can be removed.
	status, body = tb.call(t, access.Manager, http.MethodPost, "/api/v1/blocks", map[string]any{"branch_id": fmt.Sprint(c.Branch.ID),
		"doctor_id": fmt.Sprint(c.Doctor.ID), "start": "2027-01-05T14:00:00Z", "end": "2027-01-05T19:00:00Z", "reason": "sick"})
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, []any{late}, body["colliding_sessions"])
	block := body["id"].(string)
	_, body = tb.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/blocks?branch_id=%d&from=2027-01-05&to=2027-01-05", c.Branch.ID), nil)
	require.Len(t, body["items"], 1)
	status, _ = tb.call(t, access.Receptionist, http.MethodDelete, "/api/v1/blocks/"+block, nil)
	require.Equal(t, http.StatusForbidden, status)
	status, _ = tb.call(t, access.Manager, http.MethodDelete, "/api/v1/blocks/"+block, nil)
	require.Equal(t, http.StatusNoContent, status)
	status, _ = tb.call(t, access.Manager, http.MethodDelete, "/api/v1/blocks/"+block, nil)
	require.Equal(t, http.StatusNotFound, status)
	_, body = tb.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/blocks?branch_id=%d&from=2027-01-05&to=2027-01-05", c.Branch.ID), nil)
	require.Empty(t, body["items"])
}

func TestUpdateBranchHoursChangesAvailability(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	path := fmt.Sprintf("/api/v1/branches/%d", c.Branch.ID)
	avail := fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=%d&from=2027-01-05&to=2027-01-05", c.Branch.ID, c.Consultation.ID)
	_, body := tb.call(t, access.Receptionist, http.MethodGet, avail, nil)
	require.Len(t, body["slots"], 20)

	update := map[string]any{"name": "Lisbon Centre", "timezone": "Europe/Lisbon", "currency": "EUR", "tax_rate_bp": 2300,
		"slot_interval_minutes": 15, "hours": []map[string]any{{"weekday": 2, "start": "10:00", "end": "11:00"}}}
	status, body := tb.call(t, access.Manager, http.MethodPut, path, update)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "Lisbon Centre", body["name"])
	require.Len(t, body["hours"], 1)
	_, body = tb.call(t, access.Receptionist, http.MethodGet, avail, nil)
	require.Len(t, body["slots"], 3, "10:00, 10:15 and 10:30 for a 30-minute visit stepped by 15")

	update["timezone"] = "Mars/Olympus"
	status, body = tb.call(t, access.Manager, http.MethodPut, path, update)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "invalid_timezone", errCode(body))
	_, body = tb.call(t, access.Manager, http.MethodGet, path, nil)
	require.Equal(t, "Europe/Lisbon", body["timezone"], "a refused update changes nothing")
	update["timezone"] = "Europe/Lisbon"
	status, _ = tb.call(t, access.Manager, http.MethodPut, "/api/v1/branches/987654", update)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = tb.call(t, access.Receptionist, http.MethodPut, path, update)
	require.Equal(t, http.StatusForbidden, status)
}

func TestCancelReasons(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	_, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/settings/cancel-reasons", nil)
	require.Contains(t, body["items"], "Feels better", "a new clinic has a default list")

	status, _ := tb.call(t, access.Receptionist, http.MethodPut, "/api/v1/settings/cancel-reasons", map[string]any{"reasons": []string{"x"}})
	require.Equal(t, http.StatusForbidden, status)
	status, body = tb.call(t, access.Manager, http.MethodPut, "/api/v1/settings/cancel-reasons", map[string]any{"reasons": []string{"Fever", "fever"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "duplicate_reason", errCode(body))
	status, body = tb.call(t, access.Manager, http.MethodPut, "/api/v1/settings/cancel-reasons", map[string]any{"reasons": []string{" Weather ", "Fever"}})
	require.Equal(t, http.StatusOK, status, body)
	_, body = tb.call(t, access.Doctor, http.MethodGet, "/api/v1/settings/cancel-reasons", nil)
	require.Equal(t, []any{"Weather", "Fever"}, body["items"])
}
