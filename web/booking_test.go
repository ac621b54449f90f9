package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// TestConcurrentBookingOfOneSlot: 200 clients ask for the same slot at once over real connections;
// exactly one gets 201, every other gets 409 slot_taken with alternatives, and one session exists.
func TestConcurrentBookingOfOneSlot(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	body := fmt.Sprintf(`{"patient_id": "%d", "branch_id": "%d", "doctor_id": "%d", "examination_ids": ["%d"], "start": "2027-01-05T10:00:00Z"}`,
		c.Patient.ID, c.Branch.ID, c.Doctor.ID, c.ECG.ID)
	const clients = 200
	statuses := make([]int, clients)
	codes := make([]string, clients)
	alternatives := make([]int, clients)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, resp := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/sessions", body)
			statuses[i], codes[i] = status, errCode(resp)
			alts, _ := resp["alternatives"].([]any)
			alternatives[i] = len(alts)
		}()
	}
	close(start)
	wg.Wait()

	created := 0
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			require.Equal(t, "slot_taken", codes[i])
			require.Equal(t, 5, alternatives[i], "a refused client is offered five nearest free slots")
		default:
			t.Fatalf("client %d got %d %s", i, s, codes[i])
		}
	}
	require.Equal(t, 1, created)
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n))
	require.Equal(t, 1, n)
}

func TestSessionThroughItsDay(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	status, body := tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/sessions", map[string]any{
		"patient_id": fmt.Sprint(c.Patient.ID), "branch_id": fmt.Sprint(c.Branch.ID), "doctor_id": fmt.Sprint(c.Doctor.ID),
		"examination_ids": []string{fmt.Sprint(c.Consultation.ID), fmt.Sprint(c.ECG.ID)}, "start": "2027-01-05T09:00:00+00:00"})
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, "waiting", body["status"])
	require.Equal(t, "2027-01-05T09:00:00Z", body["start"])
	require.Equal(t, "2027-01-05T09:50:00Z", body["end"])
	require.Contains(t, body, "invoice")
	require.IsType(t, "", body["id"], "ids are strings")
	path := "/api/v1/sessions/" + body["id"].(string)

	status, body = tb.call(t, access.Doctor, http.MethodPost, path+"/complete", nil)
	require.Equal(t, http.StatusConflict, status)
	require.Equal(t, "invalid_transition", errCode(body))

	*tb.Clock = time.Date(2027, 1, 5, 8, 45, 0, 0, time.UTC) // moves happen on the session's day
	for _, step := range []struct {
		role   access.Role
		action string
		status string
	}{{access.Receptionist, "check-in", "waiting"}, {access.Doctor, "open", "open"}, {access.Doctor, "complete", "completed"}} {
		status, body = tb.call(t, step.role, http.MethodPost, path+"/"+step.action, nil)
		require.Equal(t, http.StatusOK, status, body)
		require.Equal(t, step.status, body["status"])
	}
	status, body = tb.call(t, access.Receptionist, http.MethodPost, path+"/cancel", map[string]any{"reason": "feels better"})
	require.Equal(t, http.StatusConflict, status)
	require.Equal(t, "invalid_transition", errCode(body))

	status, body = tb.call(t, access.Manager, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status)
	history := body["history"].([]any)
	require.Len(t, history, 4)
	last := history[3].(map[string]any)
	require.Equal(t, "completed", last["action"])
	require.Equal(t, "open", last["from"])
	require.Equal(t, "completed", last["to"])
	require.Equal(t, fmt.Sprintf("token:%d doctor", 3), last["actor"])
	require.Len(t, body["examinations"], 2)
}

func TestAvailabilityAPI(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	q := fmt.Sprintf("/api/v1/availability?branch_id=%d&examination_id=%d&examination_id=%d&from=2027-01-05&to=2027-01-06", c.Branch.ID, c.Consultation.ID, c.ECG.ID)
	status, body := tb.call(t, access.Receptionist, http.MethodGet, q, nil)
	require.Equal(t, http.StatusOK, status, body)
	slots := body["slots"].([]any)
	// 50-minute sessions, stepped by their duration: 08:00–13:00 holds 6 (last at 12:10), 14:00–19:00 holds 6.
	require.Len(t, slots, 24)
	first := slots[0].(map[string]any)
	require.Equal(t, map[string]any{"start": "2027-01-05T08:00:00Z", "end": "2027-01-05T08:50:00Z",
		"doctor_id": fmt.Sprint(c.Doctor.ID), "room_id": fmt.Sprint(c.Rooms[0])}, first)
	for i := 1; i < len(slots); i++ {
		require.Less(t, slots[i-1].(map[string]any)["start"], slots[i].(map[string]any)["start"], "time order")
	}

	// A branch-wide block on the 6th takes the whole day away.
	status, body = tb.call(t, access.Manager, http.MethodPost, "/api/v1/blocks", map[string]any{"branch_id": fmt.Sprint(c.Branch.ID),
		"start": "2027-01-06T00:00:00Z", "end": "2027-01-07T00:00:00Z", "reason": "Holiday"})
	require.Equal(t, http.StatusCreated, status, body)
	_, body = tb.call(t, access.Receptionist, http.MethodGet, q, nil)
	require.Len(t, body["slots"], 12)
}

// TestIdempotentBooking: a retried booking with the same Idempotency-Key, even many at once, answers
// the one session it made; the key used for another booking is refused.
func TestIdempotentBooking(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	body := func(start string) string {
		return fmt.Sprintf(`{"patient_id": "%d", "branch_id": "%d", "doctor_id": "%d", "examination_ids": ["%d"], "start": "%s"}`,
			c.Patient.ID, c.Branch.ID, c.Doctor.ID, c.Consultation.ID, start)
	}
	post := func(key, b string) (*http.Response, map[string]any) {
		req, err := http.NewRequest(http.MethodPost, tb.url+"/api/v1/sessions", strings.NewReader(b))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tb.tokens[access.Receptionist])
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := tb.client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return resp, out
	}

	const retries = 20
	ids := make([]string, retries)
	replayed := make([]string, retries)
	var wg sync.WaitGroup
	for i := range retries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, out := post("booking-42", body("2027-01-05T10:00:00Z"))
			if resp.StatusCode == http.StatusCreated {
				ids[i] = out["id"].(string)
			}
			replayed[i] = resp.Header.Get("Idempotent-Replayed")
		}()
	}
	wg.Wait()
	for i := range retries {
		require.Equal(t, ids[0], ids[i], "every retry answers the same session")
	}
	require.NotEmpty(t, ids[0])
	require.Contains(t, replayed, "", "one request booked")
	require.Contains(t, replayed, "true", "the others replayed it")
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n))
	require.Equal(t, 1, n)

	resp, out := post("booking-42", body("2027-01-05T11:00:00Z"))
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Equal(t, "idempotency_key_reused", errCode(out))
	resp, _ = post("booking-43", body("2027-01-05T11:00:00Z"))
	require.Equal(t, http.StatusCreated, resp.StatusCode, "another key books another session")
}
