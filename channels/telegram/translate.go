package telegram

import (
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"clinic/inbox"
)

// kind is what an update asks of the bot.
type kind int

const (
	// ignore: nothing the clinic reads (an edit, a sticker, a group chat); acknowledged, not stored.
	ignore kind = iota
	// handle: a message or a pressed button, for the dialogue.
	handle
	// refuse: a shared contact that is not the sender's own.
	refuse
)

// event is an update translated into the inbox's terms.
type event struct {
	kind kind
	in   inbox.Inbound
	// callbackID is the callback query to answer once the update is handled.
	callbackID string
}

// translate turns a Telegram update of the bot botID into an inbound message. Only private chats are
// read: the bot books for the person writing to it. The message's id is the bot's id and the
// update_id, as update ids count per bot: a clinic that moves to another bot never has a new update
// taken for one stored before.
func translate(botID string, u tgbotapi.Update) event {
	var ev event
	switch {
	case u.Message != nil:
		ev = fromMessage(u.Message)
	case u.CallbackQuery != nil:
		ev = fromCallback(u.CallbackQuery)
	}
	ev.in.ExternalID = botID + ":" + strconv.Itoa(u.UpdateID)
	return ev
}

func fromMessage(m *tgbotapi.Message) event {
	if m.From == nil || m.Chat == nil || m.Chat.Type != "private" || m.From.IsBot {
		return event{}
	}
	in := base(m.Chat.ID, m.From)
	in.At = time.Unix(int64(m.Date), 0)
	if c := m.Contact; c != nil {
		// A contact counts as the sender's phone only when it is their own (FIELD-NOTES: Contact.UserID).
		if phone, ok := e164(c.PhoneNumber); ok && c.UserID == m.From.ID {
			in.Phone = phone
			return event{kind: handle, in: in}
		}
		return event{kind: refuse, in: in}
	}
	in.Text = strings.TrimSpace(m.Text)
	if in.Text == "" {
		in.Text = strings.TrimSpace(m.Caption)
	}
	if in.Text == "" {
		return event{}
	}
	return event{kind: handle, in: in}
}

func fromCallback(q *tgbotapi.CallbackQuery) event {
	if q.From == nil {
		return event{}
	}
	ev := event{callbackID: q.ID}
	// In a private chat the chat id is the user's id; the message is missing when it is too old.
	chatID := q.From.ID
	if q.Message != nil && q.Message.Chat != nil {
		if q.Message.Chat.Type != "private" {
			return ev
		}
		chatID = q.Message.Chat.ID
	}
	if q.Data == "" {
		return ev
	}
	ev.kind = handle
	ev.in = base(chatID, q.From)
	ev.in.Choice = q.Data
	return ev
}

func base(chatID int64, from *tgbotapi.User) inbox.Inbound {
	return inbox.Inbound{
		Channel: inbox.Telegram,
		Address: strconv.FormatInt(chatID, 10),
		Name:    strings.TrimSpace(from.FirstName + " " + from.LastName),
		Lang:    language(from.LanguageCode),
	}
}

// language keeps the primary subtag of the user's IETF language tag ("pt-br" => "pt").
func language(code string) string {
	code, _, _ = strings.Cut(code, "-")
	return strings.ToLower(code)
}

// e164 reads a shared phone number: Telegram sends digits with or without a leading +.
func e164(s string) (string, bool) {
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	digits := b.Len() - 1
	if digits < 8 || digits > 15 || strings.HasPrefix(b.String(), "+0") {
		return "", false
	}
	return b.String(), true
}
