package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the server's configuration, read from the environment (API.md: Conventions). Nothing else
// in the program reads the environment.
type Config struct {
	// DatabaseURL is the PostgreSQL system of record.
	DatabaseURL string
	// RedisURL is the Redis holding dialogue and other short-lived state.
	RedisURL string
	// Addr is the listen address of the HTTP server.
	Addr string
	// BaseURL is the public address used in links sent to patients.
	BaseURL string
	// PhoneRegion is the region assumed for phone numbers written without a country code ("" = none).
	PhoneRegion string
	// ShutdownGrace is how long in-flight requests may finish after a stop signal.
	ShutdownGrace time.Duration
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// ClinicName is shown in the staff console's top bar.
	ClinicName string
	// TrustProxy believes a reverse proxy's X-Forwarded-Proto and X-Forwarded-For (console cookies and
	// sign-in lock-out); set it only when the server is reachable through that proxy alone.
	TrustProxy bool
	// PublicRateLimit is how many requests a minute one client may send to the public endpoints
	// (CLINIC_PUBLIC_RATE_LIMIT, default 120); 0 turns the limit off.
	PublicRateLimit int
	// Telegram configures the Telegram channel; an empty token turns it off.
	Telegram TelegramConfig
}

// TelegramConfig is the Telegram channel's configuration (API.md: Conventions).
type TelegramConfig struct {
	// Token is the bot's token from BotFather (TELEGRAM_BOT_TOKEN).
	Token string
	// WebhookSecret is the secret Telegram sends with every webhook update (TELEGRAM_WEBHOOK_SECRET);
	// required in webhook mode.
	WebhookSecret string
	// Mode is "webhook" (the default) or "polling", for a clinic without a public address.
	Mode string
	// APIEndpoint is the Bot API address as a fmt pattern of token and method (TELEGRAM_API_ENDPOINT).
	APIEndpoint string
}

func loadConfig() (Config, error) {
	c := Config{
		DatabaseURL:   env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic?sslmode=disable"),
		RedisURL:      env("REDIS_URL", "redis://127.0.0.1:6379/0"),
		Addr:          env("CLINIC_ADDR", ":8080"),
		BaseURL:       os.Getenv("CLINIC_BASE_URL"),
		PhoneRegion:   os.Getenv("CLINIC_PHONE_REGION"),
		ShutdownGrace: 15 * time.Second,
		LogLevel:      env("CLINIC_LOG_LEVEL", "info"),
		ClinicName:    os.Getenv("CLINIC_NAME"),
		Telegram: TelegramConfig{
			Token:         os.Getenv("TELEGRAM_BOT_TOKEN"),
			WebhookSecret: os.Getenv("TELEGRAM_WEBHOOK_SECRET"),
			Mode:          env("TELEGRAM_MODE", "webhook"),
			APIEndpoint:   env("TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot%s/%s"),
		},
	}
	if v := os.Getenv("CLINIC_TRUST_PROXY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("CLINIC_TRUST_PROXY=%q: give true or false", v)
		}
		c.TrustProxy = b
	}
	c.PublicRateLimit = 120
	if v := os.Getenv("CLINIC_PUBLIC_RATE_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return c, fmt.Errorf("CLINIC_PUBLIC_RATE_LIMIT=%q: give a whole number of requests a minute (0 turns the limit off)", v)
		}
		c.PublicRateLimit = n
	}
	if v := os.Getenv("CLINIC_SHUTDOWN_GRACE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("CLINIC_SHUTDOWN_GRACE: %w", err)
		}
		c.ShutdownGrace = d
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost" + portOf(c.Addr)
	}
	return c, c.validate()
}

func (c Config) validate() error {
	for name, v := range map[string]string{"DATABASE_URL": c.DatabaseURL, "REDIS_URL": c.RedisURL, "CLINIC_BASE_URL": c.BaseURL} {
		if u, err := url.Parse(v); err != nil || u.Scheme == "" {
			return fmt.Errorf("%s=%q is not a URL", name, v)
		}
	}
	if c.Addr == "" {
		return errors.New("CLINIC_ADDR is empty")
	}
	return c.Telegram.validate()
}

func (t TelegramConfig) validate() error {
	if t.Mode != "webhook" && t.Mode != "polling" {
		return fmt.Errorf("TELEGRAM_MODE=%q: give webhook or polling", t.Mode)
	}
	if strings.Count(t.APIEndpoint, "%s") != 2 {
		return fmt.Errorf("TELEGRAM_API_ENDPOINT=%q: give a pattern with two %%s, for the token and the method", t.APIEndpoint)
	}
	if t.Token != "" && t.Mode == "webhook" && len(t.WebhookSecret) < 16 {
		return errors.New("TELEGRAM_WEBHOOK_SECRET: webhook mode needs a secret of at least 16 characters (letters, digits, _ and -)")
	}
	return nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			if _, err := strconv.Atoi(addr[i+1:]); err == nil {
				return addr[i:]
			}
		}
	}
	return ""
}
