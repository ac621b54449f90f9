// Package telegramtest is a fake Telegram Bot API on loopback for tests: the real client library talks
// to it over HTTP, it records every call, serves updates to long polling and answers sendMessage as a
// test scripts it.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Token is the bot token the fake accepts.
const Token = "123456:test-token"

// Call is one request the fake received.
type Call struct {
	Method string
	Params url.Values
	// At is when the fake received it.
	At time.Time
}

// Reply is a scripted answer to a method: an error code with its description and retry_after.
type Reply struct {
	Code       int
	Message    string
	RetryAfter int
}

// API is the fake Bot API.
type API struct {
	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{}
	calls   []Call
	scripts map[string][]Reply
	updates []tgbotapi.Update
	webhook tgbotapi.WebhookInfo
	nextMsg int
	// pollers counts getUpdates requests in flight.
	pollers int
	closing bool
}

// New starts the fake; it stops when the test ends.
func New(t testing.TB) *API {
	a := &API{changed: make(chan struct{}), scripts: map[string][]Reply{}}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(func() {
		a.mu.Lock()
		a.closing = true
		a.notify()
		a.mu.Unlock()
		a.srv.Close()
	})
	return a
}

// Endpoint is the pattern the client library takes (token, method).
func (a *API) Endpoint() string { return a.srv.URL + "/bot%s/%s" }

// Script makes the next calls of method answer with replies, in order, before answering normally.
func (a *API) Script(method string, replies ...Reply) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scripts[method] = append(a.scripts[method], replies...)
}

// SetWebhookInfo sets what getWebhookInfo answers.
func (a *API) SetWebhookInfo(info tgbotapi.WebhookInfo) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.webhook = info
}

// Push queues an update for long polling.
func (a *API) Push(u tgbotapi.Update) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.updates = append(a.updates, u)
	a.notify()
}

// Calls returns the calls of method so far (every call when method is empty).
func (a *API) Calls(method string) []Call {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Call
	for _, c := range a.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Pending is the number of updates not yet confirmed by a poller's offset.
func (a *API) Pending() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.updates)
}

// WaitFor waits until ok holds over the calls so far, or fails the test after a generous time.
func (a *API) WaitFor(t testing.TB, what string, ok func(calls []Call) bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		a.mu.Lock()
		done := ok(a.calls)
		changed := a.changed
		a.mu.Unlock()
		if done {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the fake Bot API never saw %s", what)
		}
	}
}

// notify wakes waiters; the caller holds mu.
func (a *API) notify() {
	close(a.changed)
	a.changed = make(chan struct{})
}

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(parts) != 2 || parts[0] != "bot"+Token {
		answer(w, Reply{Code: http.StatusUnauthorized, Message: "Unauthorized"}, nil)
		return
	}
	method := parts[1]
	if err := r.ParseForm(); err != nil {
		answer(w, Reply{Code: http.StatusBadRequest, Message: "Bad Request: " + err.Error()}, nil)
		return
	}
	a.mu.Lock()
	a.calls = append(a.calls, Call{Method: method, Params: r.PostForm, At: time.Now()})
	a.notify()
	if s := a.scripts[method]; len(s) > 0 {
		a.scripts[method] = s[1:]
		a.mu.Unlock()
		answer(w, s[0], nil)
		return
	}
	a.mu.Unlock()
	switch method {
	case "getMe":
		answer(w, Reply{}, tgbotapi.User{ID: 1, IsBot: true, FirstName: "Clinic", UserName: "clinic_bot"})
	case "setWebhook":
		a.mu.Lock()
		a.webhook.URL = r.PostForm.Get("url")
		a.mu.Unlock()
		answer(w, Reply{}, true)
	case "deleteWebhook":
		a.mu.Lock()
		a.webhook.URL = ""
		a.mu.Unlock()
		answer(w, Reply{}, true)
	case "getWebhookInfo":
		a.mu.Lock()
		info := a.webhook
		info.PendingUpdateCount += len(a.updates)
		a.mu.Unlock()
		answer(w, Reply{}, info)
	case "sendMessage":
		a.mu.Lock()
		a.nextMsg++
		id := a.nextMsg
		a.mu.Unlock()
		chat, _ := strconv.ParseInt(r.PostForm.Get("chat_id"), 10, 64)
		answer(w, Reply{}, tgbotapi.Message{MessageID: id, Date: int(time.Now().Unix()),
			Chat: &tgbotapi.Chat{ID: chat, Type: "private"}, Text: r.PostForm.Get("text")})
	case "answerCallbackQuery":
		answer(w, Reply{}, true)
	case "getUpdates":
		a.getUpdates(w, r)
	default:
		answer(w, Reply{Code: http.StatusNotFound, Message: "Not Found: method " + method}, nil)
	}
}

// getUpdates confirms the updates before offset and waits up to timeout seconds for later ones. A
// second poller while one is waiting gets 409, as Telegram answers.
func (a *API) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	timeout, _ := strconv.Atoi(r.PostForm.Get("timeout"))
	a.mu.Lock()
	if a.pollers > 0 {
		a.mu.Unlock()
		answer(w, Reply{Code: http.StatusConflict, Message: "Conflict: terminated by other getUpdates request"}, nil)
		return
	}
	a.pollers++
	defer func() {
		a.mu.Lock()
		a.pollers--
		a.notify()
		a.mu.Unlock()
	}()
	wait := time.After(time.Duration(timeout) * time.Second)
	for {
		kept := a.updates[:0]
		for _, u := range a.updates {
			if u.UpdateID >= offset {
				kept = append(kept, u)
			}
		}
		a.updates = kept
		if len(a.updates) > 0 || timeout == 0 || a.closing {
			out := append([]tgbotapi.Update{}, a.updates...)
			a.mu.Unlock()
			answer(w, Reply{}, out)
			return
		}
		changed := a.changed
		a.mu.Unlock()
		select {
		case <-changed:
		case <-wait:
			answer(w, Reply{}, []tgbotapi.Update{})
			return
		case <-r.Context().Done():
			return
		}
		a.mu.Lock()
	}
}

func answer(w http.ResponseWriter, fail Reply, result any) {
	w.Header().Set("Content-Type", "application/json")
	if fail.Code != 0 {
		w.WriteHeader(fail.Code)
		body := map[string]any{"ok": false, "error_code": fail.Code, "description": fail.Message}
		if fail.RetryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": fail.RetryAfter}
		}
		_ = json.NewEncoder(w).Encode(body)
		return
	}
	b, err := json.Marshal(result)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: %v", err))
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": json.RawMessage(b)})
}
