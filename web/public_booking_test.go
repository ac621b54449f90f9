package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// bookingFixture is a server with an inbox, the standard clinic and the clinic's "Referral from"
// field on its form.
type bookingFixture struct {
	*testBundle
	inbox *inbox.Store
}

func setupBooking(t *testing.T, pub PublicConfig) *bookingFixture {
	t.Helper()
	return setupBookingWith(t, pub, nil)
}

// setupBookingWith is setupBooking with the channels the server reports; chans makes them on the
// fixture's database.
func setupBookingWith(t *testing.T, pub PublicConfig, chans func(*schedtest.Bundle) []channels.HealthSource) *bookingFixture {
	t.Helper()
	b := schedtest.New(t)
	var sources []channels.HealthSource
	if chans != nil {
		sources = chans(b)
	}
	rdb, prefix := dbtest.NewRedis(t)
	tb := serveBundle(t, b, rdb)
	store := inbox.NewStore(b.Pool, slog.New(slog.DiscardHandler), b.Svc.Now, b.Svc, nil, inbox.Config{BaseURL: "https://clinic.example"})
	pub.RedisPrefix = prefix
	srv := httptest.NewServer(NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc,
		Access: tb.acc, Feed: startFeed(t, b.Pool), Public: pub, Inbox: store, Channels: sources}))
	t.Cleanup(srv.Close)
	tb.url = srv.URL
	f := inbox.DefaultFormSettings()
	f.Fields = []inbox.CustomField{{Kind: inbox.FieldChoice, Required: true, Label: inbox.Label{EN: "Referral from", AR: "الإحالة من"},
		Options: []inbox.Option{{Label: inbox.Label{EN: "A friend", AR: "صديق"}}, {Label: inbox.Label{EN: "Another doctor", AR: "طبيب آخر"}}}}}
	_, err := store.SetFormSettings(context.Background(), f, "test")
	require.NoError(t, err)
	return &bookingFixture{testBundle: tb, inbox: store}
}

func (f *bookingFixture) requests(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT count(*) FROM requests`).Scan(&n))
	return n
}

// page sends a browser's request (no redirects followed) and answers the status, headers and body.
func (f *bookingFixture) page(t *testing.T, method, path string, form url.Values, header ...string) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.url+path, body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(raw)
}

func TestBookingRequestsAPI(t *testing.T) {
	t.Parallel()
	f := setupBooking(t, PublicConfig{})
	c := f.clinic
	const path = "/api/v1/public/booking-requests"

	status, body := f.call(t, "", http.MethodPost, path, map[string]any{"name": "Rui", "phone": "+351912000111", "lang": "ar",
		"fields": map[string]any{"referral_from": "tv", "colour": "red"}})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "invalid_form", errCode(body))
	fields := body["error"].(map[string]any)["details"].(map[string]any)["fields"].(map[string]any)
	require.Equal(t, "unknown_choice", fields["fields.referral_from"].(map[string]any)["code"])
	require.Equal(t, "unknown_field", fields["fields.colour"].(map[string]any)["code"])
	require.Equal(t, "يرجى اختيار أحد الخيارات.", fields["fields.referral_from"].(map[string]any)["message"])

	status, body = f.call(t, "", http.MethodPost, path, `{"name": "Rui", "phone": 351}`, malformed)
	require.Equal(t, http.StatusBadRequest, status, body)
	status, body = f.call(t, "", http.MethodPost, path, map[string]any{"name": "Rui", "phone": "+351912000111", "website": "spam.example"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "rejected", errCode(body))
	require.Zero(t, f.requests(t), "nothing recorded for refused requests")

	good := map[string]any{"name": "Rui Costa", "phone": "00351 912 000 111", "examination_id": c.Consultation.ID.String(),
		"branch_id": c.Branch.ID.String(), "preferred_start": c.At(5, 10, 0).Format(time.RFC3339), "message": "Back pain",
		"fields": map[string]any{"referral_from": "a_friend"}}
	key := func(k string) callOption {
		return func(req *http.Request, _ *specCheck) { req.Header.Set("Idempotency-Key", k) }
	}
	status, body = f.call(t, "", http.MethodPost, path, good, key("k1"))
	require.Equal(t, http.StatusCreated, status, body)
	id := body["id"].(string)
	status, body = f.call(t, "", http.MethodPost, path, good, key("k1"))
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, id, body["id"], "a double submit makes one request")
	require.Equal(t, 1, f.requests(t))
	var phone, fieldsJSON string
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT phone, fields::text FROM requests WHERE id = $1`, id).Scan(&phone, &fieldsJSON))
	require.Equal(t, "+351912000111", phone)
	require.JSONEq(t, `{"referral_from": "a_friend"}`, fieldsJSON)

	// The time is booked meanwhile: 409 with the nearest free ones.
	schedtest.Must(f.Svc.Book(context.Background(), "test", c.Booking(c.At(5, 10, 0))))(t)
	status, body = f.call(t, "", http.MethodPost, path, good, key("k2"))
	require.Equal(t, http.StatusConflict, status, body)
	require.Equal(t, "slot_taken", errCode(body))
	require.Len(t, body["alternatives"], inbox.MaxAlternatives)

	// The form's slots leave the booked time out.
	day := "/api/v1/public/slots?branch_id=" + c.Branch.ID.String() + "&examination_id=" + c.Consultation.ID.String() + "&date=2027-01-05"
	status, body = f.call(t, "", http.MethodGet, day+"&lang=ar", nil)
	require.Equal(t, http.StatusOK, status, body)
	slots := body["slots"].([]any)
	require.NotEmpty(t, slots)
	for _, s := range slots {
		require.NotEqual(t, c.At(5, 10, 0).UTC().Format(time.RFC3339), s.(map[string]any)["start"])
	}
	require.Equal(t, "٨:٠٠\u00a0ص", slots[0].(map[string]any)["label"])
	require.Equal(t, "الأوقات المتاحة يوم الثلاثاء ٥ يناير", body["heading"])
	status, body = f.call(t, "", http.MethodGet, "/api/v1/public/slots?branch_id=1&date=2027-01-05", nil, malformed)
	require.Equal(t, http.StatusBadRequest, status, body)
}

func TestBookingFormPage(t *testing.T) {
	t.Parallel()
	f := setupBooking(t, PublicConfig{})
	c := f.clinic

	status, h, body := f.page(t, http.MethodGet, "/book?lang=ar", nil)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `<html lang="ar" dir="rtl">`)
	require.Contains(t, body, "الإحالة من")
	require.Empty(t, h.Get("X-Frame-Options"), "the form may be embedded on the clinic's site")
	require.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors *")

	status, _, body = f.page(t, http.MethodGet, "/book", nil, "Accept-Language", "en-GB,en;q=0.8")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `dir="ltr"`)
	token := between(body, `name="form_token" value="`, `"`)
	require.Len(t, token, 32)

	form := url.Values{"form_token": {token}, "lang": {"en"}, "action": {"send"}, "name": {"Rui Costa"}, "phone": {"912"},
		"examination_id": {c.Consultation.ID.String()}, "branch_id": {c.Branch.ID.String()}, "message": {"Back pain"}}
	status, _, body = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Contains(t, body, "This is not a phone number we can call.")
	require.Contains(t, body, "Please choose one.", "the required referral")
	require.Contains(t, body, `value="Rui Costa"`, "values are kept")
	require.Contains(t, body, ">Back pain</textarea>")
	require.Zero(t, f.requests(t))

	// Without JavaScript, "Show free times" lists the day's slots.
	form.Set("action", "slots")
	form.Set("date", "2027-01-05")
	status, _, body = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, "Free times on Tuesday 5 January")
	require.Contains(t, body, `value="2027-01-05T10:00:00Z"`)

	form.Set("action", "send")
	form.Set("phone", "+351 912 000 111")
	form.Set("field_referral_from", "another_doctor")
	form.Set("preferred_start", "2027-01-05T10:00:00Z")
	for range 2 {
		status, h, _ = f.page(t, http.MethodPost, "/book", form)
		require.Equal(t, http.StatusSeeOther, status)
		require.Equal(t, "/book/thanks?lang=en", h.Get("Location"))
	}
	require.Equal(t, 1, f.requests(t), "a double submit makes one request")
	status, _, body = f.page(t, http.MethodGet, "/book/thanks?lang=en", nil)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, "We contact you on the phone number you gave")

	// Taken since: the form again with the nearest free times to pick.
	form.Set("form_token", "another-page")
	status, _, _ = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusSeeOther, status, "a request holds no time: another patient may ask for it too")
	schedtest.Must(f.Svc.Book(context.Background(), "test", c.Booking(c.At(5, 10, 0))))(t)
	form.Set("form_token", "a-third-page")
	status, _, body = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, body, "That time was just taken. These are the nearest free times:")
	require.Contains(t, body, `value="2027-01-05T10:30:00Z"`)

	// The honeypot: a robot is thanked and nothing is recorded.
	before := f.requests(t)
	form.Set("website", "https://spam.example")
	form.Set("form_token", "robot")
	status, _, _ = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, before, f.requests(t))
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

func TestBookingFormRateLimitAndSettings(t *testing.T) {
	t.Parallel()
	f := setupBooking(t, PublicConfig{RateLimit: 3})
	for range 3 {
		status, _, _ := f.page(t, http.MethodGet, "/book", nil)
		require.Equal(t, http.StatusOK, status)
	}
	status, h, _ := f.page(t, http.MethodGet, "/book", nil)
	require.Equal(t, http.StatusTooManyRequests, status)
	require.NotEmpty(t, h.Get("Retry-After"))

	const path = "/api/v1/settings/booking-form"
	status, body := f.call(t, access.Doctor, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "referral_from", body["fields"].([]any)[0].(map[string]any)["key"])
	settings := map[string]any{"examination": "required", "branch": "required", "doctor": "hidden", "preferred_time": "required",
		"message": "optional", "email": "optional", "fields": []any{map[string]any{"kind": "date", "label": map[string]any{"en": "Date of birth", "ar": "تاريخ الميلاد"}}}}
	status, body = f.call(t, access.Receptionist, http.MethodPut, path, settings)
	require.Equal(t, http.StatusForbidden, status, body)
	bad := map[string]any{"examination": "required", "branch": "hidden", "doctor": "hidden", "preferred_time": "required",
		"message": "optional", "email": "optional"}
	status, body = f.call(t, access.Manager, http.MethodPut, path, bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "time_needs_examination", errCode(body))
	status, body = f.call(t, access.Manager, http.MethodPut, path, settings)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "date_of_birth", body["fields"].([]any)[0].(map[string]any)["key"])
	require.Contains(t, body["updated_by"], "manager")
}

// bareServer is a server without the inbox or the chat, and answers its URL.
func bareServer(t *testing.T) string {
	t.Helper()
	b := schedtest.New(t)
	rdb, prefix := dbtest.NewRedis(t)
	srv := httptest.NewServer(NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc,
		Access: access.NewStore(b.Pool, b.Svc.Now), Feed: startFeed(t, b.Pool), Public: PublicConfig{RedisPrefix: prefix}}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestBookingWithoutInboxIsUnavailable(t *testing.T) {
	t.Parallel()
	base := bareServer(t)
	resp, err := http.Post(base+"/api/v1/public/booking-requests", "application/json", strings.NewReader(`{"name": "Rui", "phone": "+351912000111"}`))
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	require.Contains(t, string(raw), `"booking_unavailable"`)
}

func TestChatWidgetLoaderAndCORS(t *testing.T) {
	t.Parallel()
	tb := struct{ url string }{bareServer(t)}
	req, err := http.NewRequest(http.MethodGet, tb.url+"/chat.js", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, "public, max-age=86400", resp.Header.Get("Cache-Control"))
	js := string(raw)
	require.Contains(t, js, `"src":"/assets/chat-widget.`)
	require.Contains(t, js, "تحدث معنا", "the widget's own words in each language")
	widget := between(js, `"src":"`, `"`)
	resp, err = http.Get(tb.url + widget)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "public, max-age=31536000, immutable", resp.Header.Get("Cache-Control"))

	// Another site's page may read the chat's answers, even a refusal.
	req, err = http.NewRequest(http.MethodPost, tb.url+"/api/v1/public/chat", strings.NewReader(`{"text": "Hi"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	req.Header.Set("Origin", "https://harbour-clinic.example")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "this server runs no chat")
	require.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	// The form's endpoints stay same-origin.
	resp, err = http.Get(tb.url + "/book")
	require.NoError(t, err)
	resp.Body.Close()
	require.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

// TestBookingFormLeavesOutSlotsHeldInAChat: a time a chat patient picked is offered to no one on the
// form while it is held, and cannot be sent.
func TestBookingFormLeavesOutSlotsHeldInAChat(t *testing.T) {
	t.Parallel()
	site := setupPublicSite(t)
	c := site.c
	ok, err := site.holds.Hold(context.Background(), c.Doctor.ID, c.At(5, 10, 0), "chat-conversation")
	require.NoError(t, err)
	require.True(t, ok)
	resp, err := http.Get(site.url + "/api/v1/public/slots?branch_id=" + c.Branch.ID.String() + "&examination_id=" +
		c.Consultation.ID.String() + "&date=2027-01-05")
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(raw), `"start":"2027-01-05T09:30:00Z"`)
	require.NotContains(t, string(raw), `"start":"2027-01-05T10:00:00Z"`, "held in a chat")

	body := `{"name": "Rui Costa", "phone": "+351912000111", "examination_id": "` + c.Consultation.ID.String() +
		`", "branch_id": "` + c.Branch.ID.String() + `", "preferred_start": "2027-01-05T10:00:00Z", "fields": {"referral_from": "a_friend"}}`
	resp, err = http.Post(site.url+"/api/v1/public/booking-requests", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusConflict, resp.StatusCode)
}
