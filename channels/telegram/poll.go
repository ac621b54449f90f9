package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/jackc/pgx/v5"
)

// pollLock is the PostgreSQL advisory lock that the polling instance holds: Telegram answers two
// pollers on one token with 409 Conflict, so exactly one instance polls at a time.
const pollLock int64 = 0x7465_6c65_6772_616d // "telegram"

// Polling states of an instance.
const (
	pollWaiting = "waiting"
	pollActive  = "polling"
)

// poll waits for the polling lock on a connection of its own, then receives updates until ctx ends or
// the connection is lost. When the holder dies its session ends, PostgreSQL frees the lock, and a
// waiting instance takes over.
func (b *Bot) poll(ctx context.Context) error {
	defer b.setPolling("")
	for {
		err := b.pollOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		b.log.Error("telegram: polling stopped, starting again", "err", err, "retry_in", b.cfg.RetryDelay)
		if !sleep(ctx, b.cfg.RetryDelay) {
			return nil
		}
	}
}

func (b *Bot) pollOnce(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, b.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connecting for the polling lock: %w", err)
	}
	// Closing the session frees the lock, whatever happened.
	defer conn.Close(context.WithoutCancel(ctx))
	b.setPolling(pollWaiting)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", pollLock); err != nil {
		return fmt.Errorf("waiting for the polling lock: %w", err)
	}
	b.setPolling(pollActive)
	b.log.Info("telegram: this server receives updates by polling")
	if err := b.deleteWebhook(ctx); err != nil {
		return err
	}
	offset := 0
	for {
		// The lock lives as long as this session: a lost connection means another may poll now.
		if err := conn.Ping(ctx); err != nil {
			return fmt.Errorf("the polling lock's connection: %w", err)
		}
		updates, err := b.getUpdates(ctx, offset)
		if err != nil {
			return err
		}
		for _, u := range updates {
			if err := b.process(ctx, u); err != nil {
				// The offset stays, so Telegram gives this update again on the next poll.
				b.log.Error("telegram: update not stored; polling it again", "update_id", u.UpdateID, "err", err)
				if !sleep(ctx, b.cfg.RetryDelay) {
					return ctx.Err()
				}
				break
			}
			offset = u.UpdateID + 1
		}
	}
}

// getUpdates asks for the updates from offset on, waiting up to PollTimeout for one. Asking with an
// offset confirms every update before it.
func (b *Bot) getUpdates(ctx context.Context, offset int) ([]tgbotapi.Update, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+10*time.Second)
	defer cancel()
	cfg := tgbotapi.NewUpdate(offset)
	cfg.Timeout = int(b.cfg.PollTimeout.Seconds())
	cfg.AllowedUpdates = []string{"message", "callback_query"}
	updates, err := b.api(ctx).GetUpdates(cfg)
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) && apiErr.Code == http.StatusConflict {
		return nil, fmt.Errorf("another client takes this bot's updates (a webhook or a poller outside this clinic's servers): %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("polling for updates: %w", err)
	}
	return updates, nil
}

func (b *Bot) deleteWebhook(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := b.api(ctx).MakeRequest("deleteWebhook", tgbotapi.Params{"drop_pending_updates": "false"}); err != nil {
		return fmt.Errorf("removing the webhook before polling: %w", err)
	}
	return nil
}

func (b *Bot) setPolling(state string) {
	b.mu.Lock()
	b.polling = state
	b.mu.Unlock()
}
