package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"clinic/channels"
	"clinic/inbox"
	"clinic/inbox/texts"
)

// maxCallbackData is Telegram's limit on an inline button's callback_data, in bytes.
const maxCallbackData = 64

// shortLabel is the longest label (in characters) that shares its keyboard row with another.
const shortLabel = 16

// Deliver sends one message to a patient: choices become an inline keyboard whose buttons answer with
// the choice's id, and a request for the phone becomes a reply keyboard with a contact button; a
// text longer than one Telegram message goes in several. A 429
// answers *channels.RetryAfter with Telegram's retry_after; an unknown chat or a bot the patient blocked
// wraps channels.ErrPermanent; anything else is worth retrying.
func (b *Bot) Deliver(ctx context.Context, msg inbox.Outbound) error {
	chatID, err := strconv.ParseInt(msg.Address, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram chat id %q: %w", msg.Address, channels.ErrPermanent)
	}
	out, err := messages(chatID, msg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	api := b.api(ctx)
	for _, m := range out {
		if _, err := api.Request(m); err != nil {
			return classify(err)
		}
	}
	return nil
}

// maxText is the most characters one Telegram message carries (Telegram's limit is 4096, counted in
// UTF-16 units, so runes are kept well below it).
const maxText = 4000

// messages builds the Telegram messages for msg: one, or a text too long for one split at line or
// word ends, the keyboard on the last part.
func messages(chatID int64, msg inbox.Outbound) ([]tgbotapi.MessageConfig, error) {
	last, err := message(chatID, msg)
	if err != nil {
		return nil, err
	}
	parts := split(msg.Text, maxText)
	out := make([]tgbotapi.MessageConfig, 0, len(parts))
	for _, p := range parts[:len(parts)-1] {
		out = append(out, tgbotapi.NewMessage(chatID, p))
	}
	last.Text = parts[len(parts)-1]
	return append(out, last), nil
}

// split cuts text into parts of at most n runes, at the last line break or space before the limit
// where there is one.
func split(text string, n int) []string {
	var parts []string
	r := []rune(text)
	for len(r) > n {
		cut := n
		for i := n; i > n/2; i-- {
			if r[i] == '\n' || r[i] == ' ' {
				cut = i
				break
			}
		}
		parts = append(parts, string(r[:cut]))
		r = r[cut:]
		for len(r) > 0 && (r[0] == '\n' || r[0] == ' ') {
			r = r[1:]
		}
	}
	return append(parts, string(r))
}

// message builds the Telegram message for msg.
func message(chatID int64, msg inbox.Outbound) (tgbotapi.MessageConfig, error) {
	if msg.Text == "" {
		return tgbotapi.MessageConfig{}, fmt.Errorf("telegram: a message without text: %w", channels.ErrPermanent)
	}
	out := tgbotapi.NewMessage(chatID, msg.Text)
	switch {
	case msg.AskPhone:
		out.ReplyMarkup = phoneKeyboard(msg)
	case len(msg.Choices) > 0:
		kb, err := choiceKeyboard(msg.Choices)
		if err != nil {
			return out, err
		}
		out.ReplyMarkup = kb
	default:
		// A contact button offered earlier goes away once the conversation moves on.
		out.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
	}
	return out, nil
}

// choiceKeyboard lays choices out one to a row, or two to a row when both labels are short.
func choiceKeyboard(choices []inbox.Choice) (tgbotapi.InlineKeyboardMarkup, error) {
	var rows [][]tgbotapi.InlineKeyboardButton
	for i := 0; i < len(choices); i++ {
		c := choices[i]
		if len(c.ID) == 0 || len(c.ID) > maxCallbackData {
			return tgbotapi.InlineKeyboardMarkup{}, fmt.Errorf("telegram: choice id %q is not 1 to %d bytes: %w", c.ID, maxCallbackData, channels.ErrPermanent)
		}
		row := []tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardButtonData(c.Label, c.ID)}
		if i+1 < len(choices) && short(c.Label) && short(choices[i+1].Label) {
			next := choices[i+1]
			if len(next.ID) == 0 || len(next.ID) > maxCallbackData {
				return tgbotapi.InlineKeyboardMarkup{}, fmt.Errorf("telegram: choice id %q is not 1 to %d bytes: %w", next.ID, maxCallbackData, channels.ErrPermanent)
			}
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(next.Label, next.ID))
			i++
		}
		rows = append(rows, row)
	}
	return tgbotapi.NewInlineKeyboardMarkup(rows...), nil
}

func short(label string) bool { return utf8.RuneCountInString(label) <= shortLabel }

// phoneKeyboard offers the contact button; choices offered with it become plain buttons that send
// their label, which the dialogue reads like typed text.
func phoneKeyboard(msg inbox.Outbound) tgbotapi.ReplyKeyboardMarkup {
	rows := [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonContact(texts.T(msg.Lang, "telegram.share_phone"))}}
	for _, c := range msg.Choices {
		rows = append(rows, []tgbotapi.KeyboardButton{tgbotapi.NewKeyboardButton(c.Label)})
	}
	kb := tgbotapi.NewReplyKeyboard(rows...)
	kb.OneTimeKeyboard = true
	return kb
}

// classify turns a Bot API failure into what the outbox does next.
func classify(err error) error {
	var apiErr *tgbotapi.Error
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("sending to telegram: %w", err)
	}
	switch {
	case apiErr.Code == http.StatusTooManyRequests:
		after := time.Duration(apiErr.RetryAfter) * time.Second
		if after <= 0 {
			after = time.Second
		}
		return &channels.RetryAfter{After: after, Err: fmt.Errorf("telegram: %s", apiErr.Message)}
	case apiErr.Code == http.StatusBadRequest || apiErr.Code == http.StatusForbidden:
		// Chat not found, the bot blocked or kicked, a malformed message: sending again cannot help.
		return fmt.Errorf("telegram: %s: %w", apiErr.Message, channels.ErrPermanent)
	}
	return fmt.Errorf("telegram: %d %s", apiErr.Code, apiErr.Message)
}
