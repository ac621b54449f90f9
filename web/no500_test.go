package web

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestNoInputMakesA500 throws malformed ids, query values and bodies of every shape at every route
// as the owner (who passes every role check): whatever comes back must be below 500.
func TestNoInputMakesA500(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ids := []string{"1", "0", "-1", "abc", "9223372036854775807", "9223372036854775808", "1e3", "%00", "1;DROP"}
	values := []string{"", "1", "-5", "abc", "2027-01-05", "2027-13-45", "0001-01-01", "99999999999999999999",
		"\u0000", strings.Repeat("9", 400), "2027-01-05T09:00:00Z", "1,2,,3"}
	fields := []string{"name", "timezone", "currency", "tax_rate_bp", "slot_interval_minutes", "hours", "branch_id",
		"doctor_id", "room_id", "weekly", "exceptions", "code", "price", "duration_minutes", "taxable", "branch_ids",
		"doctor_ids", "room_ids", "windows", "needs_room", "start", "end", "reason", "phone", "email", "birth_date",
		"patient_id", "examination_ids", "channel", "specialty"}
	junk := []any{nil, true, -1, 0, 1.5, 1e300, "", "x", "25:99", "2027-01-05T09:00:00Z", "+351912345678",
		[]any{}, []any{1, "2"}, []any{map[string]any{"weekday": 9, "start": "x"}}, map[string]any{}, map[string]any{"a": []any{nil}},
		[]any{map[string]any{"weekday": 1, "start": "00:00", "end": "24:00"}}, []any{map[string]any{"date": "2027-01-05", "off": true}}}
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[int]int{}
	defer func() { t.Log(seen) }()
	body := func() any {
		switch rng.IntN(4) {
		case 0:
			return []string{`{`, `[]`, `"s"`, `null`, `{"a":1}{}`, `{"name":"\ud800"}`, "\xff\xfe"}[rng.IntN(7)]
		default:
			m := map[string]any{}
			for range 1 + rng.IntN(8) {
				m[fields[rng.IntN(len(fields))]] = junk[rng.IntN(len(junk))]
			}
			return m
		}
	}
	for _, r := range (&Server{}).routes().Routes() {
		if r.Path == "/api/v1/events" {
			continue // a stream stays open by design; TestEventStreamRefusals covers its bad input
		}
		for range 25 {
			path := strings.ReplaceAll(r.Path, ":id", ids[rng.IntN(len(ids))])
			q := url.Values{}
			for _, k := range []string{"branch_id", "doctor_id", "examination_id", "from", "to", "channel", "phone"} {
				if rng.IntN(2) == 0 {
					q.Add(k, values[rng.IntN(len(values))])
				}
			}
			var b any
			if r.Method != http.MethodGet {
				b = body()
			}
			status, resp := tb.call(t, access.Owner, r.Method, path+"?"+q.Encode(), b, malformed)
			seen[status]++
			require.Less(t, status, 500, "%s %s?%s %v → %v", r.Method, path, q.Encode(), b, resp)
		}
	}
}
