package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/channels/telegram"
	"clinic/channels/telegram/telegramtest"
	"clinic/inbox"
	"clinic/migrations/dbtest"
)

// poller is one server instance polling in the test.
type poller struct {
	bot     *telegram.Bot
	handler *recorder
	stop    context.CancelFunc
	done    chan struct{}
}

func startPoller(t *testing.T, api *telegramtest.API, pool *pgxpool.Pool) *poller {
	t.Helper()
	p := &poller{handler: &recorder{}, done: make(chan struct{})}
	bot, err := telegram.New(telegram.Config{Token: telegramtest.Token, Mode: telegram.ModePolling,
		Endpoint: api.Endpoint(), PollTimeout: time.Second, RetryDelay: 10 * time.Millisecond},
		telegram.Deps{Handler: p.handler, Refuser: p.handler, Pool: pool})
	require.NoError(t, err)
	p.bot = bot
	ctx, cancel := context.WithCancel(context.Background())
	p.stop = cancel
	go func() {
		defer close(p.done)
		_ = bot.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-p.done })
	return p
}

// waitingForLock counts sessions waiting for an advisory lock.
func waitingForLock(t *testing.T, pool *pgxpool.Pool) int {
	var n int
	require.NoError(t, pool.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database =
			(SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&n))
	return n
}

func externalIDs(r *recorder) []string {
	var ids []string
	for _, in := range r.inbound() {
		ids = append(ids, in.ExternalID)
	}
	return ids
}

func TestOneInstancePollsAndAnotherTakesOverWhenItStops(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	api := telegramtest.New(t)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}

	first := startPoller(t, api, pool)
	api.WaitFor(t, "the first poller", func(calls []telegramtest.Call) bool {
		return len(calls) > 0 && calls[len(calls)-1].Method == "getUpdates"
	})
	second := startPoller(t, api, pool)
	require.Eventually(t, func() bool { return waitingForLock(t, pool) == 1 }, 20*time.Second, 5*time.Millisecond,
		"the second instance waits for the polling lock")

	api.Push(ana.Text(1, "hello"))
	require.Eventually(t, func() bool { return len(first.handler.inbound()) == 1 }, 20*time.Second, 5*time.Millisecond)
	require.Equal(t, inbox.Inbound{Channel: inbox.Telegram, Address: "501", ExternalID: "123456:1", Text: "hello", Name: "Ana",
		At: first.handler.inbound()[0].At}, first.handler.inbound()[0])
	require.Equal(t, "polling", first.bot.Health(context.Background()).State)

	first.stop()
	<-first.done
	api.Push(ana.Text(2, "are you there?"))
	require.Eventually(t, func() bool {
		ids := externalIDs(second.handler)
		return len(ids) > 0 && ids[len(ids)-1] == "123456:2"
	}, 20*time.Second, 5*time.Millisecond, "the second instance takes over")
	require.Equal(t, []string{"123456:1"}, externalIDs(first.handler))
	require.Equal(t, 0, waitingForLock(t, pool))

	// Each instance removed the webhook before it polled.
	require.Len(t, api.Calls("deleteWebhook"), 2)
}

func TestPollingOffsetMovesOnlyPastStoredUpdates(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	api := telegramtest.New(t)
	ana := telegramtest.Patient{ID: 501, FirstName: "Ana"}
	api.Push(ana.Text(7, "one"))
	api.Push(ana.Text(8, "two"))

	only := startPoller(t, api, pool)
	only.handler.mu.Lock()
	only.handler.fail = 2
	only.handler.mu.Unlock()
	require.Eventually(t, func() bool { return len(only.handler.inbound()) == 2 && api.Pending() == 0 },
		20*time.Second, 5*time.Millisecond)
	require.Equal(t, []string{"123456:7", "123456:8"}, externalIDs(only.handler))
}
