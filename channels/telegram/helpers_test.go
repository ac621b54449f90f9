package telegram_test

import (
	"net/http"
	"strings"

	"clinic/channels/telegram/telegramtest"
)

func httpPost(url, secret, body string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func telegramtestReply(code int) telegramtest.Reply {
	return telegramtest.Reply{Code: code, Message: http.StatusText(code)}
}
