package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTelegramSettingsComeFromTheEnvironment(t *testing.T) {
	t.Setenv("TELEGRAM_BOT_TOKEN", "")
	cfg, err := loadConfig()
	require.NoError(t, err)
	require.Equal(t, TelegramConfig{Mode: "webhook", APIEndpoint: "https://api.telegram.org/bot%s/%s"}, cfg.Telegram,
		"off without a token, with Telegram's own address")

	t.Setenv("TELEGRAM_BOT_TOKEN", "123:abc")
	_, err = loadConfig()
	require.ErrorContains(t, err, "TELEGRAM_WEBHOOK_SECRET: webhook mode needs a secret", "a webhook without a secret is refused")

	t.Setenv("TELEGRAM_MODE", "polling")
	t.Setenv("TELEGRAM_API_ENDPOINT", "http://127.0.0.1:9/bot%s/%s")
	cfg, err = loadConfig()
	require.NoError(t, err)
	require.Equal(t, TelegramConfig{Token: "123:abc", Mode: "polling", APIEndpoint: "http://127.0.0.1:9/bot%s/%s"}, cfg.Telegram)

	t.Setenv("TELEGRAM_MODE", "push")
	_, err = loadConfig()
	require.ErrorContains(t, err, `TELEGRAM_MODE="push": give webhook or polling`)

	t.Setenv("TELEGRAM_MODE", "webhook")
	t.Setenv("TELEGRAM_WEBHOOK_SECRET", "a-secret-of-thirty-two-characters")
	t.Setenv("TELEGRAM_API_ENDPOINT", "http://127.0.0.1:9/bot")
	_, err = loadConfig()
	require.ErrorContains(t, err, "TELEGRAM_API_ENDPOINT=\"http://127.0.0.1:9/bot\": give a pattern with two %s")
}
