package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/outbox"
	"clinic/inbox"
	"clinic/migrations/dbtest"
	"clinic/scheduling/queue"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// blockedBot is a Telegram deliverer that the patient blocked until unblocked.
type blockedBot struct{ unblocked atomic.Bool }

func (b *blockedBot) Deliver(context.Context, inbox.Outbound) error {
	if b.unblocked.Load() {
		return nil
	}
	return fmt.Errorf("telegram: Forbidden: bot was blocked by the user: %w", channels.ErrPermanent)
}

// outboxFixture is a server with an inbox and a running outbox whose Telegram deliverer is blocked.
type outboxFixture struct {
	*testBundle
	inbox *inbox.Store
	bot   *blockedBot
}

func setupOutbox(t *testing.T) *outboxFixture {
	t.Helper()
	b := schedtest.New(t)
	rdb, _ := dbtest.NewRedis(t)
	tb := serveBundle(t, b, rdb)
	bot := &blockedBot{}
	ob, err := outbox.New(b.Pool, slog.New(slog.DiscardHandler), b.Svc.Now, map[inbox.Channel]channels.Deliverer{inbox.Telegram: bot},
		outbox.Config{PollInterval: 20 * time.Millisecond, ReminderEvery: time.Hour})
	require.NoError(t, err)
	store := inbox.NewStore(b.Pool, slog.New(slog.DiscardHandler), b.Svc.Now, b.Svc, ob, inbox.Config{BaseURL: "https://clinic.example"})
	ob.Use(store, queue.New(b.Pool, b.Svc))
	require.NoError(t, ob.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, ob.Stop(context.Background())) })
	srv := httptest.NewServer(NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: b.Pool, Redis: rdb, Scheduling: b.Svc,
		Access: tb.acc, Feed: startFeed(t, b.Pool), Inbox: store, Outbox: ob}))
	t.Cleanup(srv.Close)
	tb.url = srv.URL
	return &outboxFixture{testBundle: tb, inbox: store, bot: bot}
}

func (f *outboxFixture) delivery(t *testing.T, id inbox.ID) inbox.Delivery {
	t.Helper()
	var d inbox.Delivery
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT delivery FROM messages WHERE id = $1`, id).Scan(&d))
	return d
}

func TestOutboxFailuresAndRetry(t *testing.T) {
	t.Parallel()
	f := setupOutbox(t)
	ctx := context.Background()
	conv, _, _, err := f.inbox.Receive(ctx, nil, inbox.Inbound{Channel: inbox.Telegram, Address: "tg:1", ExternalID: "1", Text: "hi", Name: "Rui"})
	require.NoError(t, err)
	msg, err := f.inbox.Say(ctx, nil, conv, inbox.Outbound{Key: "reply:1", Text: "We will call you"})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return f.delivery(t, msg.ID) == inbox.DeliveryFailed }, time.Minute, 10*time.Millisecond)

	status, body := f.call(t, access.Receptionist, http.MethodGet, "/api/v1/outbox/failures", nil)
	require.Equal(t, http.StatusOK, status)
	items := body["items"].([]any)
	require.Len(t, items, 1)
	item := items[0].(map[string]any)
	require.Equal(t, msg.ID.String(), item["message_id"])
	require.Equal(t, "telegram", item["channel"])
	require.Equal(t, "Rui", item["name"])
	require.Equal(t, "We will call you", item["text"])
	require.Contains(t, item["error"], "bot was blocked by the user")

	status, _ = f.call(t, access.Doctor, http.MethodGet, "/api/v1/outbox/failures", nil)
	require.Equal(t, http.StatusForbidden, status)
	status, body = f.call(t, access.Receptionist, http.MethodGet, "/api/v1/outbox/failures?limit=0", nil, malformed)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, "invalid_limit", errCode(body))

	f.bot.unblocked.Store(true)
	status, body = f.call(t, access.Receptionist, http.MethodPost, "/api/v1/messages/"+msg.ID.String()+"/retry", nil)
	require.Equal(t, http.StatusAccepted, status)
	require.Equal(t, "queued", body["delivery"])
	require.Eventually(t, func() bool { return f.delivery(t, msg.ID) == inbox.DeliverySent }, time.Minute, 10*time.Millisecond)
	status, body = f.call(t, access.Receptionist, http.MethodGet, "/api/v1/outbox/failures", nil)
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, body["items"])

	status, body = f.call(t, access.Receptionist, http.MethodPost, "/api/v1/messages/"+msg.ID.String()+"/retry", nil)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, "not_failed", errCode(body))
	status, _ = f.call(t, access.Receptionist, http.MethodPost, "/api/v1/messages/999999/retry", nil)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = f.call(t, access.Receptionist, http.MethodPost, "/api/v1/messages/abc/retry", nil, malformed)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = f.call(t, access.Doctor, http.MethodPost, "/api/v1/messages/"+msg.ID.String()+"/retry", nil)
	require.Equal(t, http.StatusForbidden, status)
}

func TestOutboxSettingsAPI(t *testing.T) {
	t.Parallel()
	f := setupOutbox(t)
	status, body := f.call(t, access.Doctor, http.MethodGet, "/api/v1/settings/outbox", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []any{1440.0, 120.0}, body["reminder_offsets_minutes"])
	require.Equal(t, 2.0, body["turn_near_position"])

	in := map[string]any{"reminder_offsets_minutes": []int{60, 2880}, "turn_near_position": 3}
	status, _ = f.call(t, access.Receptionist, http.MethodPut, "/api/v1/settings/outbox", in)
	require.Equal(t, http.StatusForbidden, status)
	status, body = f.call(t, access.Manager, http.MethodPut, "/api/v1/settings/outbox", in)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []any{2880.0, 60.0}, body["reminder_offsets_minutes"])

	for _, bad := range []any{
		map[string]any{"reminder_offsets_minutes": []int{1}, "turn_near_position": 2},
		map[string]any{"reminder_offsets_minutes": []int{60}, "turn_near_position": 99},
		map[string]any{"turn_near_position": 2},
		`{"reminder_offsets_minutes": "soon", "turn_near_position": 2}`,
	} {
		status, body = f.call(t, access.Manager, http.MethodPut, "/api/v1/settings/outbox", bad, malformed)
		require.Equal(t, http.StatusBadRequest, status, "%v", bad)
		require.NotEmpty(t, errCode(body))
	}
	status, body = f.call(t, access.Doctor, http.MethodGet, "/api/v1/settings/outbox", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []any{2880.0, 60.0}, body["reminder_offsets_minutes"], "a refused change leaves the settings as they were")
}

func TestOutboxRoutesWithoutAnOutbox(t *testing.T) {
	t.Parallel()
	tb := setupWithoutInbox(t)
	status, body := tb.call(t, access.Receptionist, http.MethodGet, "/api/v1/outbox/failures", nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "outbox_unavailable", errCode(body))
	status, _ = tb.call(t, access.Receptionist, http.MethodPost, "/api/v1/messages/1/retry", nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
}
