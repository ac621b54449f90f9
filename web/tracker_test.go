package web

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// trackDay is the tracker tests' day: the fixtures' Monday, the clock at 08:30 in Lisbon.
var trackDay = time.Date(2027, 1, 4, 8, 30, 0, 0, time.UTC)

// trackerFixture is a server with two patients booked with the clinic's doctor today, Maria Silva at
// 09:00 and an Arabic-named patient at 09:30, both checked in.
type trackerFixture struct {
	*testBundle
	first, second *scheduling.Session
}

func setupTracker(t testing.TB, pub PublicConfig) *trackerFixture {
	t.Helper()
	b := schedtest.New(t)
	rdb, prefix := dbtest.NewRedis(t)
	if pub.RedisPrefix == "" {
		pub.RedisPrefix = prefix
	}
	tb := serveWith(t, b, rdb, pub)
	return bookTwo(t, tb)
}

// serveWith is serveBundle with the public pages configured.
func serveWith(t testing.TB, b *schedtest.Bundle, rdb *redis.Client, pub PublicConfig) *testBundle {
	t.Helper()
	tb := serveBundle(t, b, rdb)
	tb.url = serveOnly(t, b, tb.acc, rdb, pub)
	return tb
}

// serveOnly starts one more server on b's database, with its own change feed, and answers its URL.
func serveOnly(t testing.TB, b *schedtest.Bundle, acc *access.Store, rdb *redis.Client, pub PublicConfig) string {
	t.Helper()
	h := NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc, Access: acc,
		Feed: startFeed(t, b.Pool), Public: pub})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func bookTwo(t testing.TB, tb *testBundle) *trackerFixture {
	t.Helper()
	ctx := context.Background()
	c := tb.clinic
	*tb.Clock = trackDay
	second := schedtest.Must(tb.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "فاطمة  الزهراء حسن", Phone: "+971501234567"}))(t)
	f := &trackerFixture{testBundle: tb}
	f.first = schedtest.Must(tb.Svc.Book(ctx, "test", c.Booking(c.At(4, 9, 0))))(t)
	in := c.Booking(c.At(4, 9, 30))
	in.PatientID = second.ID
	f.second = schedtest.Must(tb.Svc.Book(ctx, "test", in))(t)
	for _, s := range []*scheduling.Session{f.first, f.second} {
		schedtest.Must(tb.Svc.CheckIn(ctx, "test", s.ID))(t)
	}
	return f
}

// link asks for a tracking link of the session as the receptionist.
func (f *trackerFixture) link(t *testing.T, s *scheduling.Session) (token, url string) {
	t.Helper()
	status, body := f.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/sessions/%d/tracking", s.ID), nil)
	require.Equal(t, http.StatusOK, status, body)
	return body["token"].(string), body["url"].(string)
}

func TestTrackingLinks(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{})
	token, url := f.link(t, f.second)
	require.Len(t, token, 32, "192 random bits")
	require.Equal(t, f.url+"/q/"+token, url, "without a configured base, the request's own address")
	other, _ := f.link(t, f.second)
	require.NotEqual(t, token, other, "each call makes a new link")

	status, body := f.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/sessions/%d/tracking", f.second.ID), nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "2027-01-05T00:00:00Z", body["expires_at"], "the end of the session's day in Lisbon")

	// Only the hash is stored.
	sum := sha256.Sum256([]byte(token))
	var n int
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT count(*) FROM tracking_links WHERE token_hash = $1`, sum[:]).Scan(&n))
	require.Equal(t, 1, n)
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT count(*) FROM tracking_links
		WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`, token).Scan(&n))
	require.Zero(t, n)

	status, body = f.call(t, access.Doctor, http.MethodGet, fmt.Sprintf("/api/v1/sessions/%d/tracking", f.second.ID), nil)
	require.Equal(t, http.StatusForbidden, status, body)
	status, body = f.call(t, access.Manager, http.MethodGet, "/api/v1/sessions/987654/tracking", nil)
	require.Equal(t, http.StatusNotFound, status, body)

	// A session whose day is over gets no link.
	*f.Clock = trackDay.Add(24 * time.Hour)
	status, body = f.call(t, access.Receptionist, http.MethodGet, fmt.Sprintf("/api/v1/sessions/%d/tracking", f.second.ID), nil)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "session_day_over", errCode(body))
}

func TestTrackingLinkUsesTheConfiguredBase(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{BaseURL: "https://clinic.example/"})
	token, url := f.link(t, f.first)
	require.Equal(t, "https://clinic.example/q/"+token, url)
}

// TestPublicPlaceIsMasked: the public view shows the place and each personal field as every privacy
// setting says, for a Latin and an Arabic name.
func TestPublicPlaceIsMasked(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{})
	maria, _ := f.link(t, f.first)
	fatima, _ := f.link(t, f.second)

	status, body := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+fatima, nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "waiting", body["status"])
	require.EqualValues(t, 2, body["position"])
	require.EqualValues(t, 1, body["ahead"])
	require.NotNil(t, body["eta"])
	require.Equal(t, "Lisbon", body["branch"])
	require.Equal(t, "ف. ز. ح.", body["patient_name"], "initials by default")
	require.Equal(t, "Ana Ferreira", body["doctor_name"])
	require.NotContains(t, body, "phone", "no phone by default")
	require.NotContains(t, fmt.Sprint(body), "Maria", "never anyone else's data")

	status, body = f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+maria, nil)
	require.Equal(t, http.StatusOK, status, body)
	require.EqualValues(t, 1, body["position"])
	require.EqualValues(t, 0, body["ahead"])

	cases := []struct {
		patient, doctor, phone  string
		wantMaria, wantFatima   any
		wantDoctor              any
		wantMariaPh, wantFatiPh any
	}{
		{"full", "shown", "last_digits", "Maria Silva", "فاطمة الزهراء حسن", "Ana Ferreira", "•••• 5671", "•••• 4567"},
		{"first_initial", "hidden", "hidden", "Maria S.", "فاطمة ح.", nil, nil, nil},
		{"initials", "shown", "hidden", "M. S.", "ف. ز. ح.", "Ana Ferreira", nil, nil},
		{"hidden", "hidden", "last_digits", nil, nil, nil, "•••• 5671", "•••• 4567"},
	}
	for _, c := range cases {
		status, body := f.call(t, access.Manager, http.MethodPut, "/api/v1/settings/privacy",
			map[string]any{"patient_name": c.patient, "doctor_name": c.doctor, "phone": c.phone})
		require.Equal(t, http.StatusOK, status, body)
		for _, who := range []struct {
			token       string
			name, phone any
		}{{maria, c.wantMaria, c.wantMariaPh}, {fatima, c.wantFatima, c.wantFatiPh}} {
			status, body := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+who.token, nil)
			require.Equal(t, http.StatusOK, status, body)
			require.Equal(t, who.name, body["patient_name"], "%s", c.patient)
			require.Equal(t, c.wantDoctor, body["doctor_name"], "%s", c.doctor)
			require.Equal(t, who.phone, body["phone"], "%s", c.phone)
		}
	}

	// With the doctor: no place and no ETA; then a final state.
	for _, step := range [][2]string{{"open", "open"}, {"complete", "completed"}} {
		action, want := step[0], step[1]
		status, body := f.call(t, access.Owner, http.MethodPost, fmt.Sprintf("/api/v1/sessions/%d/%s", f.first.ID, action), nil)
		require.Equal(t, http.StatusOK, status, body)
		// The view follows the change as soon as its notice arrives, a moment after the commit.
		require.Eventually(t, func() bool {
			status, body = f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+maria, nil)
			return status == http.StatusOK && body["status"] == want
		}, 5*time.Second, 20*time.Millisecond)
		require.Nil(t, body["eta"])
		require.EqualValues(t, 0, body["position"])
	}
}

func TestPrivacySettingsAPI(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{})
	status, body := f.call(t, access.Receptionist, http.MethodGet, "/api/v1/settings/privacy", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"patient_name": "initials", "doctor_name": "shown", "phone": "hidden", "default_language": "en"}, body)

	status, body = f.call(t, access.Receptionist, http.MethodPut, "/api/v1/settings/privacy",
		map[string]any{"patient_name": "full", "doctor_name": "shown", "phone": "hidden"})
	require.Equal(t, http.StatusForbidden, status, body)
	status, body = f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/privacy",
		map[string]any{"patient_name": "nickname", "doctor_name": "shown", "phone": "hidden"})
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "invalid_patient_name", errCode(body))
	status, body = f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/privacy", map[string]any{"patient_name": "full"}, malformed)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Equal(t, "missing_doctor_name", errCode(body))
	status, body = f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/privacy", `{"patient_name": 3}`, malformed)
	require.Equal(t, http.StatusBadRequest, status, body)

	status, body = f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/privacy",
		map[string]any{"patient_name": "full", "doctor_name": "hidden", "phone": "last_digits", "default_language": "ar"})
	require.Equal(t, http.StatusOK, status, body)
	status, body = f.call(t, access.Doctor, http.MethodGet, "/api/v1/settings/privacy", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"patient_name": "full", "doctor_name": "hidden", "phone": "last_digits", "default_language": "ar"}, body)
}

// TestUnknownAndExpiredLinksRevealNothing: a made-up token, a malformed one and an expired one get
// the same 404, from the API and the page.
func TestUnknownAndExpiredLinksRevealNothing(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{})
	token, _ := f.link(t, f.first)
	status, _ := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token, nil)
	require.Equal(t, http.StatusOK, status)

	madeUp := strings.Repeat("A", 32)
	_, want := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+madeUp, nil)
	require.Equal(t, map[string]any{"error": map[string]any{"code": "not_found", "message": "no such tracking link"}}, want)
	for _, bad := range []string{"abc", token + "x", strings.Repeat("é", 16)} {
		status, body := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+bad, nil, malformed)
		require.Equal(t, http.StatusNotFound, status)
		require.Equal(t, want, body)
	}

	*f.Clock = time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC) // midnight in Lisbon: the day is over
	status, body := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, want, body, "an expired link answers as an unknown one")
	status, body = f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token+"/events", nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, want, body)

	for _, tok := range []string{token, madeUp} {
		resp, err := f.client.Get(f.url + "/q/" + tok)
		require.NoError(t, err)
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
		require.Contains(t, string(page), "Link not valid")
		require.NotContains(t, string(page), "Silva")
		require.NotContains(t, string(page), "Ferreira")
	}
}

// TestTrackerPageSpeaksThePatientsLanguage: English or Arabic (right to left) from ?lang=, the
// cookie it leaves, Accept-Language, or the clinic's default.
func TestTrackerPageSpeaksThePatientsLanguage(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{})
	token, _ := f.link(t, f.second)
	get := func(query string, header map[string]string) (string, *http.Response) {
		req, err := http.NewRequest(http.MethodGet, f.url+"/q/"+token+query, nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := f.client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return string(b), resp
	}
	page, resp := get("", nil)
	require.Contains(t, page, `<html lang="en" dir="ltr">`)
	require.Contains(t, page, "1 person ahead of you")
	require.Contains(t, page, "Place in line: 2")
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"))

	page, resp = get("?lang=ar", nil)
	require.Contains(t, page, `<html lang="ar" dir="rtl">`)
	require.Contains(t, page, "شخص واحد قبلك")
	require.Contains(t, page, "ترتيبك في الدور: ٢")
	require.Contains(t, page, "ف. ز. ح.")
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "lang" {
			cookie = c
		}
	}
	require.NotNil(t, cookie, "the choice is remembered")
	require.Equal(t, "ar", cookie.Value)

	page, _ = get("", map[string]string{"Cookie": "lang=ar"})
	require.Contains(t, page, `dir="rtl"`)
	page, _ = get("", map[string]string{"Accept-Language": "ar-AE,ar;q=0.9,en;q=0.5"})
	require.Contains(t, page, `dir="rtl"`)
	page, _ = get("?lang=en", map[string]string{"Accept-Language": "ar"})
	require.Contains(t, page, `dir="ltr"`)

	status, body := f.call(t, access.Owner, http.MethodPut, "/api/v1/settings/privacy",
		map[string]any{"patient_name": "initials", "doctor_name": "shown", "phone": "hidden", "default_language": "ar"})
	require.Equal(t, http.StatusOK, status, body)
	page, _ = get("", map[string]string{"Accept-Language": "fr"})
	require.Contains(t, page, `dir="rtl"`, "the clinic's default")
}

// sseEvents reads a stream's `event:`/`data:` pairs onto a channel.
func sseEvents(t testing.TB, body io.Reader) <-chan [2]string {
	out := make(chan [2]string, 16)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				out <- [2]string{event, strings.TrimPrefix(line, "data: ")}
			}
		}
	}()
	return out
}

func nextPlace(t *testing.T, events <-chan [2]string) map[string]any {
	t.Helper()
	select {
	case ev, ok := <-events:
		require.True(t, ok, "the stream ended")
		require.Equal(t, "place", ev[0])
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(ev[1]), &m))
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no update arrived")
		return nil
	}
}

// TestLiveViewAcrossInstances: two servers on one database; a page following its place through
// instance B sees every change made through instance A (PostgreSQL NOTIFY between them), in Arabic.
func TestLiveViewAcrossInstances(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	rdb, prefix := dbtest.NewRedis(t)
	a := serveWith(t, b, rdb, PublicConfig{RedisPrefix: prefix})
	instB := serveOnly(t, b, a.acc, rdb, PublicConfig{RedisPrefix: prefix})
	require.NotEqual(t, a.url, instB)
	f := bookTwo(t, a)
	token, _ := f.link(t, f.second)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, instB+"/api/v1/public/queue/"+token+"/events?lang=ar", nil)
	require.NoError(t, err)
	resp, err := f.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	events := sseEvents(t, resp.Body)

	first := nextPlace(t, events)
	require.EqualValues(t, 1, first["ahead"])
	require.Equal(t, "ar", first["lang"])
	require.Equal(t, "شخص واحد قبلك", first["text"].(map[string]any)["headline"])

	move := func(id scheduling.ID, action string) {
		status, body := f.call(t, access.Owner, http.MethodPost, fmt.Sprintf("/api/v1/sessions/%d/%s", id, action), nil)
		require.Equal(t, http.StatusOK, status, body)
	}
	move(f.first.ID, "open")
	got := nextPlace(t, events)
	require.EqualValues(t, 0, got["ahead"], "the patient ahead went in")
	require.EqualValues(t, 1, got["position"])
	require.Equal(t, "أنت التالي", got["text"].(map[string]any)["headline"])

	move(f.first.ID, "complete")
	move(f.second.ID, "open")
	for got = nextPlace(t, events); got["status"] != "open"; got = nextPlace(t, events) {
	}
	require.Equal(t, "حان دورك", got["text"].(map[string]any)["headline"])
	require.Nil(t, got["eta"])

	move(f.second.ID, "complete")
	got = nextPlace(t, events)
	require.Equal(t, "completed", got["status"])
	require.Equal(t, "اكتملت زيارتك", got["text"].(map[string]any)["headline"])
	select {
	case _, open := <-events:
		require.False(t, open, "a final state ends the stream")
	case <-time.After(5 * time.Second):
		t.Fatal("the stream stayed open after the visit ended")
	}
}

// TestPublicRateLimit: past the limit a client gets 429 with Retry-After in the error shape; 0 turns
// the limit off; with Redis down requests go through.
func TestPublicRateLimit(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{RateLimit: 3})
	token, _ := f.link(t, f.first)
	for range 3 {
		status, body := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token, nil)
		require.Equal(t, http.StatusOK, status, body)
	}
	req, err := http.NewRequest(http.MethodGet, f.url+"/q/"+token, nil)
	require.NoError(t, err)
	resp, err := f.client.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "the page counts too")
	wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.True(t, wait >= 1 && wait <= 60, "Retry-After %d", wait)
	var body map[string]any
	require.NoError(t, json.Unmarshal(raw, &body))
	require.Equal(t, "rate_limited", errCode(body))
	status, body := f.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token, nil)
	require.Equal(t, http.StatusTooManyRequests, status)
	require.Equal(t, "rate_limited", errCode(body))
	status, _ = f.call(t, access.Receptionist, http.MethodGet, "/api/v1/settings/privacy", nil)
	require.Equal(t, http.StatusOK, status, "staff endpoints are not limited")

	off := setupTracker(t, PublicConfig{RateLimit: 0})
	token, _ = off.link(t, off.first)
	for range 20 {
		status, body := off.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token, nil)
		require.Equal(t, http.StatusOK, status, body)
	}

	// Redis unreachable: the limit is skipped, never a 500.
	b := schedtest.New(t)
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { down.Close() })
	noRedis := bookTwo(t, serveWith(t, b, down, PublicConfig{RateLimit: 1, RedisPrefix: "x:"}))
	token, _ = noRedis.link(t, noRedis.first)
	for range 3 {
		status, body := noRedis.call(t, "", http.MethodGet, "/api/v1/public/queue/"+token, nil)
		require.Equal(t, http.StatusOK, status, body)
	}
}

// TestTrackerPageWhenTheDatabaseFails: a patient gets a page asking to try again, never a 500.
func TestTrackerPageWhenTheDatabaseFails(t *testing.T) {
	t.Parallel()
	f := setupTracker(t, PublicConfig{})
	token, _ := f.link(t, f.first)
	f.Pool.Close()
	resp, err := f.client.Get(f.url + "/q/" + token + "?lang=ar")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	require.Contains(t, string(page), "لا يمكن عرض دورك الآن")
}
