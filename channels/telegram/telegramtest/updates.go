package telegramtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Patient is someone writing to the bot from a private chat, whose chat id is their user id.
type Patient struct {
	ID        int64
	FirstName string
	Lang      string
}

func (p Patient) user() *tgbotapi.User {
	return &tgbotapi.User{ID: p.ID, FirstName: p.FirstName, LanguageCode: p.Lang}
}

func (p Patient) message() *tgbotapi.Message {
	return &tgbotapi.Message{MessageID: 1, From: p.user(), Date: int(time.Now().Unix()),
		Chat: &tgbotapi.Chat{ID: p.ID, Type: "private", FirstName: p.FirstName}}
}

// Text is an update carrying a text message from p.
func (p Patient) Text(updateID int, text string) tgbotapi.Update {
	m := p.message()
	m.Text = text
	return tgbotapi.Update{UpdateID: updateID, Message: m}
}

// Press is an update for p pressing an inline button whose callback_data is data.
func (p Patient) Press(updateID int, queryID, data string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: updateID, CallbackQuery: &tgbotapi.CallbackQuery{
		ID: queryID, From: p.user(), Message: p.message(), Data: data}}
}

// Contact is an update for p sharing a contact of the user contactUserID (p's own when it is p.ID).
func (p Patient) Contact(updateID int, contactUserID int64, phone string) tgbotapi.Update {
	m := p.message()
	m.Contact = &tgbotapi.Contact{PhoneNumber: phone, FirstName: p.FirstName, UserID: contactUserID}
	return tgbotapi.Update{UpdateID: updateID, Message: m}
}

// Post delivers u to a webhook at url with the secret header (none when secret is empty), as
// Telegram does, and returns the status.
func Post(t testing.TB, url, secret string, u tgbotapi.Update) int {
	t.Helper()
	status, err := Deliver(http.DefaultClient, url, secret, u)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// Deliver is Post through client, for callers that may not stop the test (other goroutines): it
// returns what went wrong instead.
func Deliver(client *http.Client, url, secret string, u tgbotapi.Update) (int, error) {
	body, err := json.Marshal(u)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
