package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// inboxFixture is a server with an inbox whose messages go to a recorder instead of a channel.
type inboxFixture struct {
	*testBundle
	inbox *inbox.Store
	sent  *inboxtest.Recorder
}

func setupInbox(t *testing.T) *inboxFixture {
	t.Helper()
	b := schedtest.New(t)
	rdb, _ := dbtest.NewRedis(t)
	tb := serveBundle(t, b, rdb)
	sent := &inboxtest.Recorder{}
	store := inbox.NewStore(b.Pool, slog.New(slog.DiscardHandler), b.Svc.Now, b.Svc, sent, inbox.Config{BaseURL: inboxtest.BaseURL})
	srv := httptest.NewServer(NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc,
		Access: tb.acc, Feed: startFeed(t, b.Pool), Inbox: store}))
	t.Cleanup(srv.Close)
	tb.url = srv.URL
	return &inboxFixture{testBundle: tb, inbox: store, sent: sent}
}

// request records a request; on a chat channel the patient first writes from address.
func (f *inboxFixture) request(t *testing.T, ch inbox.Channel, name, phone string) *inbox.Request {
	t.Helper()
	ctx := context.Background()
	c := f.clinic
	in := inbox.NewRequest{Channel: ch, Name: name, Phone: phone, Requested: inbox.Requested{
		ExaminationID: &c.Consultation.ID, BranchID: &c.Branch.ID, DoctorID: &c.Doctor.ID}}
	if ch != inbox.WebForm {
		in.Address = fmt.Sprintf("%s-%s", ch, phone)
		_, _, _, err := f.inbox.Receive(ctx, nil, inbox.Inbound{Channel: ch, Address: in.Address, ExternalID: "first-" + phone,
			Text: "I would like an appointment", Name: name})
		require.NoError(t, err)
	}
	req, _, err := f.inbox.Submit(ctx, nil, in)
	require.NoError(t, err)
	return req
}

func inboxPath(id scheduling.ID, action string) string {
	p := fmt.Sprintf("/api/v1/inbox/%d", id)
	if action != "" {
		p += "/" + action
	}
	return p
}

func TestInboxListFiltersCountsAndPages(t *testing.T) {
	t.Parallel()
	f := setupInbox(t)
	f.request(t, inbox.WebForm, "Ana", "+351912000001")
	tg := f.request(t, inbox.Telegram, "Bruno", "+351912000002")
	f.request(t, inbox.WhatsApp, "سارة 🌸", "+351912000003")

	status, body := f.call(t, access.Doctor, http.MethodGet, "/api/v1/inbox", nil)
	require.Equal(t, http.StatusOK, status, "doctors read the inbox")
	items := body["items"].([]any)
	require.Len(t, items, 3)
	first := items[0].(map[string]any)
	require.Equal(t, "سارة 🌸", first["name"], "names come back as written")
	require.Equal(t, "whatsapp", first["channel"])
	require.Equal(t, "new", first["status"])
	require.Len(t, first["messages"], 1)
	counts := body["counts"].(map[string]any)
	require.Equal(t, map[string]any{"web_form": 1.0, "chatbot": 0.0, "whatsapp": 1.0, "telegram": 1.0}, counts["channel"])
	require.Equal(t, 3.0, counts["status"].(map[string]any)["new"])

	status, body = f.call(t, access.Receptionist, http.MethodGet, "/api/v1/inbox?channel=telegram&status=new", nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, body["items"], 1)
	require.Equal(t, tg.ID.String(), body["items"].([]any)[0].(map[string]any)["id"])

	var seen []string
	path := "/api/v1/inbox?limit=2"
	for range 3 {
		status, body = f.call(t, access.Receptionist, http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, status)
		for _, it := range body["items"].([]any) {
			seen = append(seen, it.(map[string]any)["name"].(string))
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			break
		}
		path = "/api/v1/inbox?limit=2&cursor=" + next
	}
	require.Equal(t, []string{"سارة 🌸", "Bruno", "Ana"}, seen)

	for _, bad := range []string{"?status=lost", "?channel=sms", "?cursor=nonsense", "?assignee=abc", "?limit=0", "?limit=999"} {
		status, body = f.call(t, access.Receptionist, http.MethodGet, "/api/v1/inbox"+bad, nil, malformed)
		require.Contains(t, []int{http.StatusBadRequest, http.StatusUnprocessableEntity}, status, bad)
		require.NotEmpty(t, errCode(body), bad)
	}
	status, body = f.call(t, access.Receptionist, http.MethodGet, "/api/v1/inbox?assignee=me", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, "a token is no user")
	require.Equal(t, "no_user", errCode(body))
}

func TestInboxGetReplyAssignRejectAndHandback(t *testing.T) {
	t.Parallel()
	f := setupInbox(t)
	req := f.request(t, inbox.Telegram, "Rui", "+351912000002")
	form := f.request(t, inbox.WebForm, "Ana", "+351912000001")

	status, _ := f.call(t, access.Doctor, http.MethodPost, inboxPath(req.ID, "reply"), map[string]any{"text": "hi"})
	require.Equal(t, http.StatusForbidden, status, "doctors only read")
	status, body := f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "reply"), map[string]any{"text": "Olá Rui, we have 10:00 free."})
	require.Equal(t, http.StatusAccepted, status, "%v", body)
	require.Equal(t, "queued", body["delivery"])
	require.Equal(t, "receptionist", body["by"])
	sent := f.sent.Sent()
	require.Len(t, sent, 1)
	require.Equal(t, inbox.Telegram, sent[0].Channel)
	require.Equal(t, "Olá Rui, we have 10:00 free.", sent[0].Text)

	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "reply"), map[string]any{"text": "hi"})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "no_conversation", errCode(body))
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "reply"), map[string]any{"text": " "})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "missing_text", errCode(body))

	status, body = f.call(t, access.Doctor, http.MethodGet, inboxPath(req.ID, ""), nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "in_progress", body["status"])
	require.Equal(t, true, body["handover"])
	require.Len(t, body["messages"], 2)

	var user scheduling.ID
	require.NoError(t, f.Pool.QueryRow(context.Background(), `INSERT INTO users (email, password_hash, role, created_at)
		VALUES ('joana@clinic.example', 'x', 'receptionist', now()) RETURNING id`).Scan(&user))
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "assign"), map[string]any{"user_id": user.String()})
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, map[string]any{"id": user.String(), "email": "joana@clinic.example"}, body["assignee"])
	status, body = f.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/inbox?assignee=%d", user), nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, body["items"], 1)
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "assign"), map[string]any{"unassign": true})
	require.Equal(t, http.StatusOK, status)
	require.Nil(t, body["assignee"])
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "assign"), nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, "a token is no user to assign to")
	require.Equal(t, "no_user", errCode(body))
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "assign"), map[string]any{"user_id": "9999999"})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "unknown_user", errCode(body))

	status, body = f.call(t, access.Manager, http.MethodPost, inboxPath(req.ID, "handback"), nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, false, body["handover"])
	require.Len(t, f.sent.Sent(), 2, "the patient hears the bot is back")

	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "reject"), map[string]any{"reason": ""})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "missing_reason", errCode(body))
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(form.ID, "reject"), map[string]any{"reason": "تكرار"})
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "rejected", body["status"])
	require.Equal(t, "تكرار", body["reject_reason"])
}

func TestInboxConvert(t *testing.T) {
	t.Parallel()
	f := setupInbox(t)
	c := f.clinic
	req := f.request(t, inbox.WhatsApp, "Rui", "+351912000002")
	start := c.At(5, 9, 0).Format("2006-01-02T15:04:05Z07:00")

	// The slot goes to another patient first.
	schedtest.Must(f.Svc.Book(context.Background(), "desk", c.Booking(c.At(5, 9, 0))))(t)
	status, body := f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "convert"), map[string]any{"start": start})
	require.Equal(t, http.StatusConflict, status, "%v", body)
	require.Equal(t, "slot_taken", errCode(body))
	require.NotEmpty(t, body["alternatives"])
	require.Empty(t, f.sent.Sent())

	later := c.At(5, 10, 0).Format("2006-01-02T15:04:05Z07:00")
	const n = 4
	var wg sync.WaitGroup
	sessions := make([]string, n)
	statuses := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := f.client.Do(f.post(t, inboxPath(req.ID, "convert"), fmt.Sprintf(`{"start": %q, "doctor_id": "%d"}`, later, c.Doctor.ID)))
			if err != nil {
				return
			}
			defer resp.Body.Close()
			statuses[i] = resp.StatusCode
			var out map[string]any
			if json.NewDecoder(resp.Body).Decode(&out) == nil {
				sessions[i], _ = out["session_id"].(string)
			}
		}()
	}
	wg.Wait()
	for i := range n {
		require.Equal(t, http.StatusCreated, statuses[i])
		require.Equal(t, sessions[0], sessions[i], "converting at once books once")
	}
	var booked int
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE channel = 'whatsapp'`).Scan(&booked))
	require.Equal(t, 1, booked)
	sent := f.sent.Sent()
	require.Len(t, sent, 1, "one confirmation")
	require.Contains(t, sent[0].Text, inboxtest.BaseURL+"/c/")

	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "convert"), nil)
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, sessions[0], body["session_id"])
	token := strings.TrimPrefix(body["confirm_url"].(string), inboxtest.BaseURL+"/c/")
	v, err := f.inbox.Confirm(context.Background(), token)
	require.NoError(t, err, "the link a repeated convert answers works")
	require.Equal(t, sessions[0], v.SessionID.String())

	status, body = f.call(t, access.Doctor, http.MethodGet, inboxPath(req.ID, ""), nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "converted", body["status"])
	require.Equal(t, sessions[0], body["session_id"])
}

// post is a receptionist's JSON POST to path.
func (f *inboxFixture) post(t *testing.T, path, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, f.url+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.tokens[access.Receptionist])
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestInboxRefusesBadInput(t *testing.T) {
	t.Parallel()
	f := setupInbox(t)
	req := f.request(t, inbox.Chatbot, "Rui", "+351912000002")
	for _, path := range []string{"/api/v1/inbox/99999999999999999999999", "/api/v1/inbox/abc", "/api/v1/inbox/-1",
		"/api/v1/inbox/0", "/api/v1/inbox/987654321"} {
		status, body := f.call(t, access.Receptionist, http.MethodGet, path, nil, malformed)
		require.Equal(t, http.StatusNotFound, status, path)
		require.Equal(t, "not_found", errCode(body), path)
		status, _ = f.call(t, access.Receptionist, http.MethodPost, path+"/convert", map[string]any{}, malformed)
		require.Equal(t, http.StatusNotFound, status, path)
	}
	for _, bad := range []string{`{"text":`, `[1,2]`, `{"text": 5}`, `"hello"`} {
		status, body := f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "reply"), bad, malformed)
		require.Equal(t, http.StatusBadRequest, status, bad)
		require.NotEmpty(t, errCode(body))
	}
	status, body := f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "convert"), `{"doctor_id": "x1"}`, malformed)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "invalid_id", errCode(body))
	status, body = f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "convert"), `{"start": "tomorrow"}`, malformed)
	require.Equal(t, http.StatusBadRequest, status)
	require.NotEmpty(t, errCode(body))
	status, _ = f.call(t, access.Receptionist, http.MethodPost, inboxPath(req.ID, "reply"), map[string]any{"text": strings.Repeat("ش", 8001)}, malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Empty(t, f.sent.Sent(), "nothing was sent")
	var requests int
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&requests))
	require.Zero(t, requests, "nothing was booked")
}

func TestInboxSettings(t *testing.T) {
	t.Parallel()
	f := setupInbox(t)
	status, body := f.call(t, access.Doctor, http.MethodGet, "/api/v1/settings/inbox", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"request_expiry_hours": 72.0, "cancel_cutoff_minutes": 120.0, "direct_booking": false, "default_lang": "en"}, body)

	status, _ = f.call(t, access.Receptionist, http.MethodPut, "/api/v1/settings/inbox", map[string]any{"direct_booking": true})
	require.Equal(t, http.StatusForbidden, status)
	status, body = f.call(t, access.Manager, http.MethodPut, "/api/v1/settings/inbox", map[string]any{"direct_booking": true, "default_lang": "ar"})
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"request_expiry_hours": 72.0, "cancel_cutoff_minutes": 120.0, "direct_booking": true, "default_lang": "ar"}, body)
	for _, bad := range []map[string]any{{"request_expiry_hours": 0}, {"cancel_cutoff_minutes": -5}, {"default_lang": "fr"}} {
		status, body = f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/inbox", bad)
		require.Equal(t, http.StatusUnprocessableEntity, status, "%v", bad)
		require.NotEmpty(t, errCode(body))
	}
	status, body = f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/inbox", `{"request_expiry_hours": 99999999999999999999}`, malformed)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "invalid_field", errCode(body))
}

func TestInboxWithoutAStoreAnswers503(t *testing.T) {
	t.Parallel()
	tb := setupWithoutInbox(t)
	status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/inbox", nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "inbox_unavailable", errCode(body))
}
