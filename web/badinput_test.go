package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// rowCounts counts the rows of every table a request could write.
func (tb *testBundle) rowCounts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"branches", "branch_hours", "rooms", "doctors", "doctor_hours", "doctor_exceptions",
		"examinations", "examination_branches", "examination_doctors", "examination_windows", "blocks", "patients",
		"sessions", "session_examinations", "session_events"} {
		var n int
		require.NoError(t, tb.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

// TestBadInputIsRefusedAndWritesNothing sends malformed and rule-breaking requests to every setup and
// booking endpoint: each gets the error shape with the right status, and no table changes.
func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	id := func(v any) string { return fmt.Sprint(v) }
	hours := []map[string]any{{"weekday": 1, "start": "09:00", "end": "17:00"}}
	branch := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"name": "Porto", "timezone": "Europe/Lisbon", "currency": "EUR", "tax_rate_bp": 2300, "hours": hours}
		change(b)
		return b
	}
	exam := func(change func(map[string]any)) map[string]any {
		e := map[string]any{"code": "X1", "name": "X", "price": 100, "duration_minutes": 15, "taxable": true,
			"branch_ids": []string{id(c.Branch.ID)}, "doctor_ids": []string{id(c.Doctor.ID)}}
		change(e)
		return e
	}
	booking := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"patient_id": id(c.Patient.ID), "branch_id": id(c.Branch.ID), "doctor_id": id(c.Doctor.ID),
			"examination_ids": []string{id(c.Consultation.ID)}, "start": "2027-01-05T09:00:00Z"}
		change(b)
		return b
	}
	avail := fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=%d", c.Branch.ID, c.Consultation.ID)
	attendance := fmt.Sprintf("/api/v1/doctors/%d/attendance", c.Doctor.ID)

	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"malformed JSON", "POST", "/api/v1/branches", `{"name": "Porto",`, 400, "invalid_json"},
		{"empty body", "POST", "/api/v1/branches", "", 400, "invalid_json"},
		{"trailing garbage", "POST", "/api/v1/doctors", `{"name": "A"} {}`, 400, "invalid_json"},
		{"wrong type", "POST", "/api/v1/branches", branch(func(b map[string]any) { b["tax_rate_bp"] = "lots" }), 400, "invalid_field"},
		{"body too large", "POST", "/api/v1/doctors", `{"name": "` + strings.Repeat("a", 2<<20) + `"}`, 413, "body_too_large"},
		{"time zone that does not exist", "POST", "/api/v1/branches", branch(func(b map[string]any) { b["timezone"] = "Europe/Atlantis" }), 422, "invalid_timezone"},
		{"server-local time zone", "POST", "/api/v1/branches", branch(func(b map[string]any) { b["timezone"] = "Local" }), 422, "invalid_timezone"},
		{"unknown currency", "POST", "/api/v1/branches", branch(func(b map[string]any) { b["currency"] = "XYZ" }), 422, "invalid_currency"},
		{"negative tax", "POST", "/api/v1/branches", branch(func(b map[string]any) { b["tax_rate_bp"] = -1 }), 422, "out_of_range"},
		{"hours end before start", "POST", "/api/v1/branches", branch(func(b map[string]any) {
			b["hours"] = []map[string]any{{"weekday": 1, "start": "17:00", "end": "09:00"}}
		}), 422, "end_before_start"},
		{"overlapping opening hours", "POST", "/api/v1/branches", branch(func(b map[string]any) {
			b["hours"] = []map[string]any{{"weekday": 2, "start": "08:00", "end": "13:00"}, {"weekday": 2, "start": "12:00", "end": "18:00"}}
		}), 422, "overlapping_hours"},
		{"not a time of day", "POST", "/api/v1/branches", branch(func(b map[string]any) {
			b["hours"] = []map[string]any{{"weekday": 1, "start": "25:00", "end": "26:00"}}
		}), 400, "invalid_time"},
		{"weekday 8", "POST", "/api/v1/branches", branch(func(b map[string]any) {
			b["hours"] = []map[string]any{{"weekday": 8, "start": "09:00", "end": "10:00"}}
		}), 400, "invalid_weekday"},
		{"room of unknown branch", "POST", "/api/v1/rooms", map[string]any{"branch_id": "987654", "name": "R"}, 404, "not_found"},
		{"duplicate room", "POST", "/api/v1/rooms", map[string]any{"branch_id": id(c.Branch.ID), "name": "Room 1"}, 409, "duplicate_room"},
		{"doctor without name", "POST", "/api/v1/doctors", map[string]any{"name": " "}, 422, "missing_name"},
		{"attendance of unknown doctor", "PUT", "/api/v1/doctors/987654/attendance", map[string]any{"branch_id": id(c.Branch.ID), "weekly": hours}, 404, "not_found"},
		{"attendance at unknown branch", "PUT", attendance, map[string]any{"branch_id": "987654", "weekly": hours}, 404, "not_found"},
		{"attendance overlapping itself", "PUT", attendance, map[string]any{"branch_id": id(c.Branch.ID), "weekly": []map[string]any{
			{"weekday": 1, "start": "08:00", "end": "12:00"}, {"weekday": 1, "start": "11:00", "end": "15:00"}}}, 422, "overlapping_hours"},
		{"exception off with hours", "PUT", attendance, map[string]any{"branch_id": id(c.Branch.ID), "weekly": hours,
			"exceptions": []map[string]any{{"date": "2027-01-05", "off": true, "start": "09:00", "end": "10:00"}}}, 422, "invalid_exception"},
		{"exception with a bad date", "PUT", attendance, map[string]any{"branch_id": id(c.Branch.ID), "weekly": hours,
			"exceptions": []map[string]any{{"date": "2027-02-30", "off": true}}}, 400, "invalid_date"},
		{"negative price", "POST", "/api/v1/examinations", exam(func(e map[string]any) { e["price"] = -100 }), 422, "negative_price"},
		{"negative duration", "POST", "/api/v1/examinations", exam(func(e map[string]any) { e["duration_minutes"] = -15 }), 422, "invalid_duration"},
		{"fractional price", "POST", "/api/v1/examinations", exam(func(e map[string]any) { e["price"] = 1.5 }), 400, "invalid_field"},
		{"examination of unknown doctor", "POST", "/api/v1/examinations", exam(func(e map[string]any) { e["doctor_ids"] = []string{"987654"} }), 404, "not_found"},
		{"examination id that is no id", "POST", "/api/v1/examinations", exam(func(e map[string]any) { e["branch_ids"] = []string{"abc"} }), 400, "invalid_id"},
		{"duplicate examination code", "POST", "/api/v1/examinations", exam(func(e map[string]any) { e["code"] = "GP" }), 409, "duplicate_code"},
		{"window end before start", "POST", "/api/v1/examinations", exam(func(e map[string]any) {
			e["windows"] = []map[string]any{{"weekday": 1, "start": "10:00", "end": "07:00"}}
		}), 422, "end_before_start"},
		{"block end before start", "POST", "/api/v1/blocks", map[string]any{"branch_id": id(c.Branch.ID),
			"start": "2027-01-05T10:00:00Z", "end": "2027-01-05T09:00:00Z", "reason": "x"}, 422, "end_before_start"},
		{"block with a time without offset", "POST", "/api/v1/blocks", map[string]any{"branch_id": id(c.Branch.ID),
			"start": "2027-01-05T10:00:00", "end": "2027-01-05T11:00:00Z"}, 400, "invalid_json"},
		{"block for a room of another branch", "POST", "/api/v1/blocks", map[string]any{"branch_id": id(c.Branch.ID), "room_id": "987654",
			"start": "2027-01-05T10:00:00Z", "end": "2027-01-05T11:00:00Z"}, 422, "room_not_in_branch"},
		{"availability over 93 days", "GET", avail + "&from=2027-01-01&to=2027-04-30", nil, 422, "range_too_long"},
		{"availability to before from", "GET", avail + "&from=2027-01-10&to=2027-01-01", nil, 422, "end_before_start"},
		{"availability bad date", "GET", avail + "&from=tomorrow&to=2027-01-01", nil, 400, "invalid_date"},
		{"availability unknown examination", "GET", fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=987654&from=2027-01-05&to=2027-01-05", c.Branch.ID), nil, 404, "not_found"},
		{"availability unknown branch", "GET", fmt.Sprintf("/api/v1/availability?branch_id=987654&examination_id=%d&from=2027-01-05&to=2027-01-05", c.Consultation.ID), nil, 404, "not_found"},
		{"availability for a doctor who does not perform it", "GET", avail + "&from=2027-01-05&to=2027-01-05&doctor_id=" + id(tb.otherDoctor(t)), nil, 422, "doctor_not_qualified"},
		{"availability of an examination the branch does not offer", "GET", fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=%d&from=2027-01-05&to=2027-01-05", tb.otherBranch(t), c.Consultation.ID), nil, 422, "examination_not_offered"},
		{"availability bad channel", "GET", avail + "&from=2027-01-05&to=2027-01-05&channel=fax", nil, 422, "invalid_channel"},
		{"patient with a bad phone", "POST", "/api/v1/patients", map[string]any{"name": "A", "phone": "12"}, 422, "invalid_phone"},
		{"patient with a taken phone", "POST", "/api/v1/patients", map[string]any{"name": "B", "phone": "+351 912 345 671"}, 409, "duplicate_phone"},
		{"patient with a bad birth date", "POST", "/api/v1/patients", map[string]any{"name": "B", "phone": "+351912000111", "birth_date": "01/02/1990"}, 400, "invalid_date"},
		{"session of unknown patient", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["patient_id"] = "987654" }), 404, "not_found"},
		{"session of unknown doctor", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["doctor_id"] = "987654" }), 404, "not_found"},
		{"session with unknown examination", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["examination_ids"] = []string{"987654"} }), 404, "not_found"},
		{"session without examinations", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["examination_ids"] = []string{} }), 422, "missing_examinations"},
		{"session with a malformed start", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["start"] = "next tuesday" }), 400, "invalid_json"},
		{"session outside hours", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["start"] = "2027-01-05T13:15:00Z" }), 422, "not_available"},
		{"session in a room of another branch", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["room_id"] = "987654" }), 422, "room_not_in_branch"},
		{"session id that is no id", "GET", "/api/v1/sessions/abc", nil, 404, "not_found"},
		{"unknown session", "POST", "/api/v1/sessions/987654/check-in", nil, 404, "not_found"},
		{"cancel without reason", "POST", "/api/v1/sessions/987654/cancel", `{}`, 422, "missing_reason"},
		{"NUL in a name", "POST", "/api/v1/doctors", `{"name": "A\u0000B"}`, 400, "invalid_json"},
		{"session in year 1", "POST", "/api/v1/sessions", booking(func(b map[string]any) { b["start"] = "0001-01-01T09:00:00Z" }), 422, "out_of_range"},
		{"exception in year 0", "PUT", attendance, map[string]any{"branch_id": id(c.Branch.ID), "weekly": hours,
			"exceptions": []map[string]any{{"date": "0000-01-01", "off": true}}}, 422, "out_of_range"},
		{"availability in year 9999", "GET", avail + "&from=9999-12-30&to=9999-12-31", nil, 422, "out_of_range"},
		{"block over a year long", "POST", "/api/v1/blocks", map[string]any{"branch_id": id(c.Branch.ID),
			"start": "2027-01-05T10:00:00Z", "end": "2029-01-05T11:00:00Z"}, 422, "block_too_long"},
		{"no such endpoint", "GET", "/api/v1/nothing-here", nil, 404, "not_found"},
		{"method not allowed", "PATCH", "/api/v1/branches", nil, 405, "method_not_allowed"},
	}
	status, body := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/patients", map[string]any{"name": "Maria S.", "phone": "00351 912 345 671"})
	require.Equal(t, http.StatusConflict, status)
	details := body["error"].(map[string]any)["details"].(map[string]any)
	require.Equal(t, id(c.Patient.ID), details["patient_id"], "the existing patient is named")
	require.Equal(t, "Maria Silva", details["patient"].(map[string]any)["name"])

	before := tb.rowCounts(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tb.call(t, access.Owner, tc.method, tc.path, tc.body, malformed)
			require.Equal(t, tc.status, status, "%v", body)
			require.Equal(t, tc.code, errCode(body), "%v", body)
			msg, _ := body["error"].(map[string]any)["message"].(string)
			require.NotEmpty(t, msg, "every error says what is wrong")
		})
	}
	require.Equal(t, before, tb.rowCounts(t), "refused requests write nothing")
}

// otherDoctor adds a doctor who performs nothing.
func (tb *testBundle) otherDoctor(t *testing.T) scheduling.ID {
	return schedtest.Must(tb.Svc.CreateDoctor(context.Background(), "Bruno", ""))(t).ID
}

// otherBranch adds a branch that offers nothing.
func (tb *testBundle) otherBranch(t *testing.T) scheduling.ID {
	zero := 0
	return schedtest.Must(tb.Svc.CreateBranch(context.Background(), scheduling.BranchInput{Name: "Porto",
		Timezone: "Europe/Lisbon", Currency: "EUR", TaxRateBP: &zero}))(t).ID
}
