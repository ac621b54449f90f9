package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"clinic/scheduling"
)

// SecretHeader carries the webhook secret on every update Telegram posts.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdate bounds an update's body; Telegram's are a few kilobytes.
const maxUpdate = 1 << 20

// ServeHTTP receives one update on POST /webhooks/telegram. It answers 200 only once the update is
// stored (or was stored before, or is nothing the clinic reads), so that Telegram delivers again what
// failed (DESIGN 3.5 and 7). A nil bot (no token configured) answers 404.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if b == nil {
		writeError(w, http.StatusNotFound, "not_found", "the Telegram channel is not set up")
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "this endpoint takes POST")
		return
	}
	if !b.secretMatches(r.Header.Get(SecretHeader)) {
		writeError(w, http.StatusUnauthorized, "unauthorized", "the webhook secret is missing or wrong")
		return
	}
	var u tgbotapi.Update
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdate))
	if err := dec.Decode(&u); err != nil || u.UpdateID <= 0 {
		writeError(w, http.StatusBadRequest, "invalid_update", "the body is not a Telegram update")
		return
	}
	if err := b.process(r.Context(), u); err != nil {
		b.log.Error("telegram: update not stored; Telegram will deliver it again", "update_id", u.UpdateID, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "the update could not be stored; deliver it again")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

// secretMatches compares in constant time; with no secret configured nothing matches.
func (b *Bot) secretMatches(got string) bool {
	want := b.cfg.WebhookSecret
	if want == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// process takes one update through storage and the dialogue; the webhook and the poller share it. A
// nil error means the update need not be delivered again.
func (b *Bot) process(ctx context.Context, u tgbotapi.Update) error {
	ev := translate(b.botID, u)
	var err error
	switch ev.kind {
	case handle:
		_, err = b.handler.Handle(ctx, ev.in)
	case refuse:
		err = b.refuser.Refuse(ctx, ev.in)
	}
	var domain *scheduling.Error
	if errors.As(err, &domain) {
		// The message itself was refused (it breaks a rule or is malformed): delivering it again
		// cannot help, and would hold back the updates behind it.
		b.log.Warn("telegram: update refused", "update_id", u.UpdateID, "code", domain.Code, "message", domain.Message)
		err = nil
	}
	if err != nil {
		return fmt.Errorf("handling update %d: %w", u.UpdateID, err)
	}
	if ev.callbackID != "" {
		b.answerCallback(ctx, ev.callbackID)
	}
	return nil
}

// answerCallback stops the pressed button's spinner. A failure only leaves the spinner turning a few
// seconds longer, so it is logged, not retried.
func (b *Bot) answerCallback(ctx context.Context, id string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := b.api(ctx).Request(tgbotapi.NewCallback(id, "")); err != nil {
		b.log.Warn("telegram: answering a callback query", "err", err)
	}
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": message}})
}
