package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/channels"
	"clinic/channels/dialogue"
	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
)

// chatBundle is a server with the website chat on its own database and Redis prefix, the standard
// clinic, and the clock at Monday 4 January 2027, 06:00 in Lisbon.
type chatBundle struct {
	*testBundle
	store *inbox.Store
}

// chatSetup serves the chat with the public rate limit set to limit (0: off) and slot holds lasting
// hold (0: the default).
func chatSetup(t testing.TB, limit int, hold time.Duration) *chatBundle {
	t.Helper()
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{record.KeepRecords, billing.SessionListener}})
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	store := inbox.NewStore(b.Pool, logger, b.Svc.Now, b.Svc, &inboxtest.Recorder{}, inbox.Config{BaseURL: inboxtest.BaseURL})
	engine := dialogue.New(logger, b.Svc.Now, b.Svc, store, rdb, dialogue.Config{Prefix: prefix, BaseURL: inboxtest.BaseURL,
		HoldTTL: hold})
	h := NewHandler(Deps{Logger: logger, Pool: b.Pool, Redis: rdb, Scheduling: b.Svc, Feed: startFeed(t, b.Pool),
		Inbox: store, Chat: channels.NewGatewayWith(b.Pool, logger, store, engine),
		Public: PublicConfig{RateLimit: limit, RedisPrefix: prefix}})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	var transport http.RoundTripper = &http.Transport{MaxIdleConnsPerHost: 256}
	if _, bench := t.(*testing.B); !bench {
		transport = &specTransport{next: transport, t: t}
	}
	tb := &testBundle{Bundle: b, url: srv.URL, clinic: schedtest.NewClinic(t, b.Svc), client: &http.Client{Transport: transport}}
	return &chatBundle{testBundle: tb, store: store}
}

// say posts one chat turn and returns the answer.
func (cb *chatBundle) say(t *testing.T, body map[string]any) (int, map[string]any) {
	t.Helper()
	return cb.call(t, "", http.MethodPost, "/api/v1/public/chat", body)
}

// texts are the replies' texts of a chat answer, with their choices' labels after " | ".
func texts(t *testing.T, body map[string]any) []string {
	t.Helper()
	replies, ok := body["replies"].([]any)
	require.True(t, ok, "%v", body)
	out := []string{}
	for _, r := range replies {
		rm := r.(map[string]any)
		line := rm["text"].(string)
		for _, ch := range rm["choices"].([]any) {
			line += " | " + ch.(map[string]any)["label"].(string)
		}
		out = append(out, line)
	}
	return out
}

// TestChatBooksThroughTheAPI: a whole booking over POST /api/v1/public/chat, a retried turn answered
// once, and the thread read back for a reloaded widget.
func TestChatBooksThroughTheAPI(t *testing.T) {
	t.Parallel()
	cb := chatSetup(t, 0, 0)
	status, body := cb.say(t, map[string]any{"text": "Hi"})
	require.Equal(t, http.StatusOK, status, "%v", body)
	conv, _ := body["conversation_id"].(string)
	require.Regexp(t, `^[0-9a-f]{32}$`, conv)
	got := texts(t, body)
	require.Len(t, got, 1, "the greeting and the question come as one reply")
	require.True(t, strings.HasSuffix(got[0], "\n\nWhat would you like to book? | Consultation | ECG"), got[0])
	first := body["replies"].([]any)[0].(map[string]any)["choices"].([]any)[0].(map[string]any)
	require.Equal(t, "x:"+cb.clinic.Consultation.ID.String(), first["id"])

	turn := func(turnID string, field, value string) []string {
		t.Helper()
		status, body := cb.say(t, map[string]any{"conversation_id": conv, "turn_id": turnID, field: value})
		require.Equal(t, http.StatusOK, status, "%v", body)
		require.Equal(t, conv, body["conversation_id"])
		return texts(t, body)
	}
	require.Equal(t, []string{"Which day suits you? | Mon 4 Jan | Tue 5 Jan | Wed 6 Jan | Thu 7 Jan | Fri 8 Jan"},
		turn("t2", "choice", first["id"].(string)))
	slots := turn("t3", "text", "2")
	require.Equal(t, []string{"These times are free on Tue 5 Jan. Which one would you like? | 08:00 | 08:30 | 09:00 | 09:30 | 10:00"}, slots)
	// The same turn posted again is answered the same, and counted once.
	require.Equal(t, slots, turn("t3", "text", "2"))
	require.Equal(t, []string{"What is your full name?"}, turn("t4", "text", "10:00"))
	status, body = cb.say(t, map[string]any{"conversation_id": conv, "turn_id": "t5", "text": "Ana Lima"})
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, true, body["replies"].([]any)[0].(map[string]any)["ask_phone"])
	require.Equal(t, []string{"Thank you, Ana! We have your request for Consultation on Tue 5 Jan at 10:00 with Ana Ferreira " +
		"at Lisbon. Our staff will confirm it shortly with a message here."}, turn("t6", "text", "+351912000777"))

	status, body = cb.call(t, "", http.MethodGet, "/api/v1/public/chat/"+conv, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.Equal(t, "en", body["lang"])
	require.Equal(t, false, body["handover"])
	items := body["items"].([]any)
	var dirs []string
	for _, it := range items {
		dirs = append(dirs, it.(map[string]any)["direction"].(string))
	}
	require.Equal(t, strings.Fields("in out in out in out in out in out in out"), dirs, "one answer to each message")
	require.Equal(t, "Hi", items[0].(map[string]any)["text"])
	require.Len(t, items[1].(map[string]any)["choices"], 2)

	leads, err := cb.store.List(context.Background(), inbox.Filter{Channel: inbox.Chatbot})
	require.NoError(t, err)
	require.Len(t, leads.Items, 1)
	require.Equal(t, "Ana Lima", leads.Items[0].Name)
}

// TestChatHandoverShowsInTheThread: after "human" the bot is quiet and the thread says staff hold it.
func TestChatHandoverShowsInTheThread(t *testing.T) {
	t.Parallel()
	cb := chatSetup(t, 0, 0)
	status, body := cb.say(t, map[string]any{"text": "مرحبا"})
	require.Equal(t, http.StatusOK, status)
	conv := body["conversation_id"].(string)
	require.Contains(t, texts(t, body)[0], "مرحبًا")
	status, body = cb.say(t, map[string]any{"conversation_id": conv, "text": "موظف"})
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []string{"سيرد عليك أحد أفراد فريقنا هنا قريبًا."}, texts(t, body))
	status, body = cb.say(t, map[string]any{"conversation_id": conv, "text": "هل من أحد؟"})
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, texts(t, body))
	status, body = cb.call(t, "", http.MethodGet, "/api/v1/public/chat/"+conv, nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, true, body["handover"])
	require.Equal(t, "ar", body["lang"])
	require.Len(t, body["items"], 5, "three messages and two answers")
}

// TestChatRefusesBadInput with a 4xx in the API's error shape, never a 500.
func TestChatRefusesBadInput(t *testing.T) {
	t.Parallel()
	cb := chatSetup(t, 0, 0)
	_, body := cb.say(t, map[string]any{"text": "hi"})
	conv := body["conversation_id"].(string)
	for _, c := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"an id the chat did not give", map[string]any{"conversation_id": "../../etc", "text": "hi"}, 400, "invalid_conversation"},
		{"a turn id with spaces", map[string]any{"conversation_id": conv, "text": "hi", "turn_id": "a b"}, 400, "invalid_turn_id"},
		{"a choice too long", map[string]any{"conversation_id": conv, "choice": strings.Repeat("x", 65)}, 400, "invalid_choice"},
		{"a text too long", map[string]any{"conversation_id": conv, "text": strings.Repeat("é", 1001)}, 422, "text_too_long"},
		{"nothing said", map[string]any{"conversation_id": conv}, 422, "missing_text"},
		{"a text that is a number", `{"text": 5}`, 400, "invalid_field"},
		{"not JSON", `{"text": `, 400, "invalid_json"},
	} {
		status, got := cb.call(t, "", http.MethodPost, "/api/v1/public/chat", c.body, malformed)
		require.Equal(t, c.status, status, "%s: %v", c.name, got)
		require.Equal(t, c.code, errCode(got), c.name)
	}
	for _, id := range []string{strings.Repeat("0", 32), "nope"} {
		status, got := cb.call(t, "", http.MethodGet, "/api/v1/public/chat/"+id, nil)
		require.Equal(t, http.StatusNotFound, status)
		require.Equal(t, "not_found", errCode(got))
	}
}

// TestChatWithoutTheChatIs503 and the chat shares the public rate limit.
func TestChatWithoutTheChatIs503(t *testing.T) {
	t.Parallel()
	tb := setupWithoutInbox(t)
	status, body := tb.call(t, "", http.MethodPost, "/api/v1/public/chat", map[string]any{"text": "hi"})
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "chat_unavailable", errCode(body))

	// Two requests a minute: the third is refused. The count is per minute of the clock, so six
	// requests meet the limit even when a minute turns over between them.
	cb := chatSetup(t, 2, 0)
	status, body = cb.say(t, map[string]any{"text": "hi"})
	require.Equal(t, http.StatusOK, status, "%v", body)
	limited := false
	for range 5 {
		status, body = cb.call(t, "", http.MethodGet, "/api/v1/public/chat/"+strings.Repeat("0", 32), nil)
		if status == http.StatusTooManyRequests {
			require.Equal(t, "rate_limited", errCode(body))
			limited = true
			break
		}
		require.Equal(t, http.StatusNotFound, status, "%v", body)
	}
	require.True(t, limited, "the public rate limit applies to the chat")
}

// benchDialogue is a full booking: greeting, examination, day, time, name, phone. Day and time are
// filled in per client so that clients running at once pick different slots.
var benchDialogue = []string{"Hi", "1", "%day", "%time", "Bench Patient", "+351912000888"}

// BenchmarkChatTurns measures chat turns per second through POST /api/v1/public/chat, whole booking
// dialogues with their slot lookups, from 16 clients at once, and reports them against a bare Gin
// handler measured the same way in the same run (budget: at least 500 turns/s). Holds last a
// millisecond so that the clinic's slots do not run out during the run.
func BenchmarkChatTurns(b *testing.B) {
	// The process collects garbage as clinicd serve does (cmd/internal/gc), unless GOGC is set.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	cb := chatSetup(b, 0, time.Millisecond)
	const clients = 16
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	bare := bareGinParallel(b, client, clients)
	var booked int
	b.ResetTimer()
	start := time.Now()
	turns := 0
	for b.Loop() {
		done := make(chan int, clients)
		for i := range clients {
			go func() { done <- benchBooking(b, client, cb.url, i) }()
		}
		for range clients {
			booked += <-done
		}
		turns += clients * len(benchDialogue)
	}
	rate := float64(turns) / time.Since(start).Seconds()
	b.StopTimer()
	if booked != b.N*clients {
		b.Fatalf("%d of %d dialogues ended with a request", booked, b.N*clients)
	}
	b.ReportMetric(rate, "turns/s")
	b.ReportMetric(bare, "bare-gin-req/s")
	b.ReportMetric(rate/bare, "ratio")
}

// benchBooking runs one booking dialogue of the n-th client (day n%5+1, time n/5+1 of the lists)
// and returns 1 when it ended with the request recorded.
func benchBooking(b *testing.B, client *http.Client, url string, n int) int {
	conv := ""
	var last string
	for i, text := range benchDialogue {
		switch text {
		case "%day":
			text = fmt.Sprint(n%5 + 1)
		case "%time":
			text = fmt.Sprint(n/5 + 1)
		}
		body := fmt.Sprintf(`{"text": %q, "turn_id": "t%d"`, text, i)
		if conv != "" {
			body += fmt.Sprintf(`, "conversation_id": %q`, conv)
		}
		resp, err := client.Post(url+"/api/v1/public/chat", "application/json", strings.NewReader(body+"}"))
		if err != nil {
			b.Error(err)
			return 0
		}
		var out struct {
			ConversationID string `json:"conversation_id"`
			Replies        []struct {
				Text string `json:"text"`
			} `json:"replies"`
		}
		err = decodeJSON(resp, &out)
		if err != nil || resp.StatusCode != http.StatusOK || len(out.Replies) == 0 {
			b.Errorf("turn %d: %d %v", i, resp.StatusCode, err)
			return 0
		}
		conv, last = out.ConversationID, out.Replies[len(out.Replies)-1].Text
	}
	if !strings.Contains(last, "We have your request") {
		b.Errorf("the dialogue ended with %q", last)
		return 0
	}
	return 1
}

// bareGinParallel is the baseline: requests/s of a Gin handler answering a small JSON object, posted
// to from the same number of clients over the same transport.
func bareGinParallel(b *testing.B, client *http.Client, clients int) float64 {
	r := gin.New()
	r.POST("/ping", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	srv := httptest.NewServer(r)
	defer srv.Close()
	const each = 2000
	start := time.Now()
	done := make(chan struct{}, clients)
	for range clients {
		go func() {
			defer func() { done <- struct{}{} }()
			for range each {
				resp, err := client.Post(srv.URL+"/ping", "application/json", strings.NewReader(`{"text": "Hi"}`))
				if err != nil {
					b.Error(err)
					return
				}
				var out map[string]any
				if err := decodeJSON(resp, &out); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	for range clients {
		<-done
	}
	return float64(clients*each) / time.Since(start).Seconds()
}

// decodeJSON reads a JSON answer and closes it.
func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}
