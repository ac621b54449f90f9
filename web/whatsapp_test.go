package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/whatsapp"
	"clinic/migrations/dbtest"
	"clinic/web/access"
)

// whatsappBundle serves the API with the WhatsApp channel on its own store.
func whatsappBundle(t *testing.T) (*testBundle, *whatsapp.Store) {
	t.Helper()
	tb := setup(t)
	rdb, _ := dbtest.NewRedis(t)
	store := whatsapp.NewStore(tb.Pool, nil)
	h := NewHandler(Deps{Logger: slog.New(slog.DiscardHandler), Pool: tb.Pool, Redis: rdb, Scheduling: tb.Svc, Access: tb.acc,
		Feed: startFeed(t, tb.Pool), Channels: []channels.HealthSource{whatsapp.NewHealth(store)}})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tb.url = srv.URL
	return tb, store
}

// runHolder runs the WhatsApp service as the server holding the connection until the test ends, and
// waits for its first sign of life.
func runHolder(t *testing.T, tb *testBundle, store *whatsapp.Store) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := whatsapp.NewService(whatsapp.Devices(tb.Pool, log), store, whatsapp.NewAdapter(nil, store, log), log, "server-1")
	svc.Tick = 20 * time.Millisecond
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx) }()
	t.Cleanup(func() { stop(); <-done })
	for l, err := store.Link(ctx); l.Holder == ""; l, err = store.Link(ctx) {
		require.NoError(t, err)
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWhatsAppQRCodeShownIsAnsweredAsJSONAndPNG(t *testing.T) {
	t.Parallel()
	tb, store := whatsappBundle(t)
	ctx := context.Background()
	require.NoError(t, store.Heartbeat(ctx, "server-1"))
	expires := time.Now().Add(time.Minute).Truncate(time.Second)
	require.NoError(t, store.SetQR(ctx, "2@code-to-scan", expires))

	status, body := tb.call(t, access.Manager, http.MethodGet, "/api/v1/channels/whatsapp/qr", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "linking", body["state"])
	require.Equal(t, "2@code-to-scan", body["code"])
	require.True(t, strings.HasPrefix(body["image"].(string), "data:image/png;base64,"))
	at, err := time.Parse(time.RFC3339, body["expires_at"].(string))
	require.NoError(t, err)
	require.True(t, at.Equal(expires))

	req, err := http.NewRequest(http.MethodGet, tb.url+"/api/v1/channels/whatsapp/qr?format=png", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tb.tokens[access.Owner])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	png, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(string(png), "\x89PNG"))
}

func TestWhatsAppLinkingIsForOwnersAndManagers(t *testing.T) {
	t.Parallel()
	tb, _ := whatsappBundle(t)
	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		status, body := tb.call(t, role, http.MethodPost, "/api/v1/channels/whatsapp/unlink", nil)
		require.Equal(t, http.StatusForbidden, status, body)
	}
	status, _ := tb.call(t, "", http.MethodGet, "/api/v1/channels/whatsapp/qr", nil)
	require.Equal(t, http.StatusUnauthorized, status)
}

func TestWhatsAppWithNoServerHoldingItAnswersUnavailable(t *testing.T) {
	t.Parallel()
	tb, _ := whatsappBundle(t)
	status, body := tb.call(t, access.Manager, http.MethodGet, "/api/v1/channels/whatsapp/qr", nil)
	require.Equal(t, http.StatusServiceUnavailable, status, body)
	require.Equal(t, "whatsapp_unavailable", errCode(body))
}

func TestWhatsAppPairingWantsAnInternationalNumber(t *testing.T) {
	t.Parallel()
	tb, _ := whatsappBundle(t)
	status, body := tb.call(t, access.Owner, http.MethodPost, "/api/v1/channels/whatsapp/pair", map[string]any{"phone": "0501234567"})
	require.Equal(t, http.StatusBadRequest, status, body)
	require.Equal(t, "invalid_phone", errCode(body))
}

func TestWhatsAppLinkedNumberIsNotLinkedAgain(t *testing.T) {
	t.Parallel()
	tb, store := whatsappBundle(t)
	ctx := context.Background()
	require.NoError(t, store.Heartbeat(ctx, "server-1"))
	require.NoError(t, store.SetAccount(ctx, "+971501234567"))
	require.NoError(t, store.SetState(ctx, whatsapp.Connected, ""))
	status, body := tb.call(t, access.Manager, http.MethodGet, "/api/v1/channels/whatsapp/qr", nil)
	require.Equal(t, http.StatusConflict, status, body)
	require.Equal(t, "whatsapp_linked", errCode(body))
}

func TestWhatsAppUnlinkIsCarriedOutByTheHolder(t *testing.T) {
	t.Parallel()
	tb, store := whatsappBundle(t)
	runHolder(t, tb, store)
	status, body := tb.call(t, access.Owner, http.MethodPost, "/api/v1/channels/whatsapp/unlink", nil)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "not_linked", body["state"])
	l, err := store.Link(context.Background())
	require.NoError(t, err)
	require.Equal(t, whatsapp.NotLinked, l.State)
	require.Equal(t, "unlinked from the console", l.Detail)
}

func TestWhatsAppNotSetUpIsNotFound(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	status, body := tb.call(t, access.Manager, http.MethodPost, "/api/v1/channels/whatsapp/unlink", nil)
	require.Equal(t, http.StatusNotFound, status, body)
}
