package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestEmptyListsAreArrays: a list with nothing in it answers [], never null, as openapi.json and the
// API's conventions say; a branch or doctor with nothing set up answers empty lists inside it too.
func TestEmptyListsAreArrays(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	bare := tb.otherBranch(t) // no hours, rooms or examinations
	doctor := tb.otherDoctor(t)
	sunday := "from=2027-01-10&to=2027-01-10" // the clinic is closed on Sundays
	lists := []struct{ path, field string }{
		{fmt.Sprintf("/api/v1/rooms?branch_id=%d", bare), "items"},
		{fmt.Sprintf("/api/v1/examinations?branch_id=%d", bare), "items"},
		{fmt.Sprintf("/api/v1/blocks?branch_id=%d&%s", c.Branch.ID, sunday), "items"},
		{fmt.Sprintf("/api/v1/sessions?branch_id=%d&%s", c.Branch.ID, sunday), "items"},
		{fmt.Sprintf("/api/v1/patients/%d/sessions", c.Patient.ID), "items"},
		{"/api/v1/patients?q=zzzz", "items"},
		{"/api/v1/patients?phone=%2B351919999999", "items"},
		{fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=%d&%s", c.Branch.ID, c.Consultation.ID, sunday), "slots"},
		{fmt.Sprintf("/api/v1/branches/%d", bare), "hours"},
		{fmt.Sprintf("/api/v1/doctors/%d/attendance?branch_id=%d", doctor, c.Branch.ID), "weekly"},
		{fmt.Sprintf("/api/v1/doctors/%d/attendance?branch_id=%d", doctor, c.Branch.ID), "exceptions"},
		{fmt.Sprintf("/api/v1/examinations/%d", c.Consultation.ID), "windows"},
	}
	for _, l := range lists {
		status, body := tb.call(t, access.Receptionist, http.MethodGet, l.path, nil)
		require.Equal(t, http.StatusOK, status, "%s: %v", l.path, body)
		require.Equal(t, []any{}, body[l.field], "%s: %s", l.path, l.field)
	}

	status, body := tb.call(t, access.Owner, http.MethodPut, "/api/v1/settings/cancel-reasons", map[string]any{"reasons": []string{}})
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, []any{}, body["items"], "no cancellation reasons")

	// A block that overlaps nothing says so with an empty list.
	status, body = tb.call(t, access.Manager, http.MethodPost, "/api/v1/blocks", map[string]any{"branch_id": fmt.Sprint(bare),
		"start": "2027-01-05T10:00:00Z", "end": "2027-01-05T11:00:00Z", "reason": "Painting"})
	require.Equal(t, http.StatusCreated, status, "%v", body)
	require.Equal(t, []any{}, body["colliding_sessions"])
}
