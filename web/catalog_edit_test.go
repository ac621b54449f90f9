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

// ecgBody is the standard clinic's ECG as a PUT body, with the changes given.
func ecgBody(tb *testBundle, change map[string]any) map[string]any {
	c := tb.clinic
	body := map[string]any{"code": "ECG", "name": "Resting ECG", "price": 8000, "duration_minutes": 25,
		"taxable": true, "needs_room": true, "branch_ids": []string{c.Branch.ID.String()},
		"doctor_ids": []string{c.Doctor.ID.String()}, "room_ids": []string{c.Rooms[0].String()},
		"prices":  []map[string]any{{"branch_id": c.Branch.ID.String(), "price": 9500}},
		"windows": []map[string]any{{"weekday": 1, "start": "08:00", "end": "12:00"}}}
	for k, v := range change {
		if v == nil {
			delete(body, k)
		} else {
			body[k] = v
		}
	}
	return body
}

func TestPutExaminationReplacesItWhole(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	path := "/api/v1/examinations/" + tb.clinic.ECG.ID.String()

	status, body := tb.call(t, access.Manager, http.MethodPut, path, ecgBody(tb, map[string]any{"currency": "EUR"}))
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "Resting ECG", body["name"])
	require.EqualValues(t, 8000, body["price"])
	require.EqualValues(t, 25, body["duration_minutes"])
	require.Equal(t, []any{map[string]any{"branch_id": tb.clinic.Branch.ID.String(), "price": 9500.0}}, body["prices"])
	require.Equal(t, []any{tb.clinic.Rooms[0].String()}, body["room_ids"])
	_, got := tb.call(t, access.Receptionist, http.MethodGet, path, nil)
	require.Equal(t, body, got, "GET answers what PUT stored")

	// Lists left out are emptied, not kept.
	status, body = tb.call(t, access.Owner, http.MethodPut, path, ecgBody(tb, map[string]any{"prices": nil,
		"windows": nil, "room_ids": nil, "doctor_ids": nil}))
	require.Equal(t, http.StatusOK, status, body)
	for _, list := range []string{"prices", "windows", "room_ids", "doctor_ids"} {
		require.Empty(t, body[list], list)
	}

	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		status, body = tb.call(t, role, http.MethodPut, path, ecgBody(tb, nil))
		require.Equal(t, http.StatusForbidden, status, body)
		require.Equal(t, "forbidden", errCode(body))
	}
	status, _ = tb.call(t, "", http.MethodPut, path, ecgBody(tb, nil))
	require.Equal(t, http.StatusUnauthorized, status)
}

// TestPutExaminationRefusesBadInput: every kind of bad input answers a 4xx naming the problem, and
// the examination stays exactly as it was.
func TestPutExaminationRefusesBadInput(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	path := "/api/v1/examinations/" + c.ECG.ID.String()
	before := schedtest.Must(tb.Svc.GetExamination(ctx, c.ECG.ID))(t)
	many := make([]string, scheduling.MaxListLength+1)
	for i := range many {
		many[i] = c.Doctor.ID.String()
	}
	manyWindows := make([]map[string]any, scheduling.MaxScheduleEntries+1)
	for i := range manyWindows {
		manyWindows[i] = map[string]any{"weekday": 1 + i%7, "start": fmt.Sprintf("%02d:%02d", i/28, i%28*2), "end": "23:59"}
	}

	for name, tc := range map[string]struct {
		path      string
		body      any
		status    int
		code      string
		malformed bool
	}{
		"an unknown examination":           {"/api/v1/examinations/9999", ecgBody(tb, nil), 404, "not_found", false},
		"an id that is no id":              {"/api/v1/examinations/abc", ecgBody(tb, nil), 404, "not_found", true},
		"an unknown branch":                {"", ecgBody(tb, map[string]any{"branch_ids": []string{"9999"}, "prices": nil, "room_ids": nil}), 404, "not_found", false},
		"an unknown doctor":                {"", ecgBody(tb, map[string]any{"doctor_ids": []string{"9999"}}), 404, "not_found", false},
		"an unknown room":                  {"", ecgBody(tb, map[string]any{"room_ids": []string{"9999"}}), 404, "not_found", false},
		"a negative duration":              {"", ecgBody(tb, map[string]any{"duration_minutes": -30}), 422, "invalid_duration", true},
		"a duration over a day":            {"", ecgBody(tb, map[string]any{"duration_minutes": 1441}), 422, "invalid_duration", true},
		"a duration that is text":          {"", ecgBody(tb, map[string]any{"duration_minutes": "30"}), 400, "invalid_json", true},
		"a negative price":                 {"", ecgBody(tb, map[string]any{"price": -1}), 422, "negative_price", true},
		"a price with cents as a fraction": {"", ecgBody(tb, map[string]any{"price": 80.5}), 400, "invalid_json", true},
		"no price":                         {"", ecgBody(tb, map[string]any{"price": nil}), 422, "missing_price", true},
		"no branches":                      {"", ecgBody(tb, map[string]any{"branch_ids": []string{}}), 422, "missing_branches", true},
		"a huge list of doctors":           {"", ecgBody(tb, map[string]any{"doctor_ids": many}), 422, "list_too_long", true},
		"a huge list of windows":           {"", ecgBody(tb, map[string]any{"windows": manyWindows}), 422, "list_too_long", true},
		"a currency that is no code":       {"", ecgBody(tb, map[string]any{"currency": "euro"}), 422, "invalid_currency", false},
		"a withdrawn currency":             {"", ecgBody(tb, map[string]any{"currency": "HRK"}), 422, "invalid_currency", false},
		"another branch's currency":        {"", ecgBody(tb, map[string]any{"currency": "USD"}), 422, "currency_mismatch", false},
		"a currency that is a number":      {"", ecgBody(tb, map[string]any{"currency": 978}), 400, "invalid_field", true},
		"a code already in use":            {"", ecgBody(tb, map[string]any{"code": "GP"}), 409, "duplicate_code", false},
		"a window that ends first":         {"", ecgBody(tb, map[string]any{"windows": []map[string]any{{"weekday": 1, "start": "12:00", "end": "08:00"}}}), 422, "end_before_start", false},
		"a weekday 8":                      {"", ecgBody(tb, map[string]any{"windows": []map[string]any{{"weekday": 8, "start": "08:00", "end": "12:00"}}}), 400, "invalid_weekday", true},
		"rooms without needing one":        {"", ecgBody(tb, map[string]any{"needs_room": false}), 422, "rooms_without_need", false},
		"not JSON":                         {"", `{"code":`, 400, "invalid_json", true},
		"a name of NUL":                    {"", `{"name":"\u0000"}`, 400, "invalid_json", true},
		"a huge name":                      {"", ecgBody(tb, map[string]any{"name": strings.Repeat("x", 201)}), 422, "too_long", true},
	} {
		p := tc.path
		if p == "" {
			p = path
		}
		var opts []callOption
		if tc.malformed {
			opts = append(opts, malformed)
		}
		status, body := tb.call(t, access.Manager, http.MethodPut, p, tc.body, opts...)
		require.Equal(t, tc.status, status, "%s: %v", name, body)
		require.Equal(t, tc.code, errCode(body), name)
		msg := body["error"].(map[string]any)["message"].(string)
		require.NotContains(t, msg, "scheduling.", name)
		require.Equal(t, before, schedtest.Must(tb.Svc.GetExamination(ctx, c.ECG.ID))(t), "%s wrote nothing", name)
	}
}
