package whatsapp

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/types/events"

	"clinic/inbox"
)

func TestEveryConnectionEventIsRecordedAsAState(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		event  any
		state  State
		detail string
		down   bool
	}{
		{"connected", &events.Connected{}, Connected, "", false},
		{"disconnected, reconnecting", &events.Disconnected{}, Disconnected, "the connection dropped; reconnecting", false},
		{"keep-alive lost", &events.KeepAliveTimeout{ErrorCount: 3, LastSuccess: time.Date(2026, 11, 29, 21, 58, 0, 0, time.UTC)},
			KeepAliveLost, "WhatsApp has not answered since 2026-11-29T21:58:00Z", false},
		{"keep-alive restored", &events.KeepAliveRestored{}, Connected, "", false},
		{"logged out", &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut}, LoggedOut,
			"the phone ended the link (401: logged out from another device); link it again", true},
		{"logged out by a stream error", &events.LoggedOut{}, LoggedOut, "the phone ended the link; link it again", true},
		{"temporarily banned", &events.TemporaryBan{Code: events.TempBanSentToTooManyPeople, Expire: 36 * time.Hour}, Banned,
			"code 101: you sent too many messages to people who don't have you in their address books; ends at 2026-12-01T10:00:00Z", true},
		{"replaced", &events.StreamReplaced{}, Replaced, "another client connected with this link; this server stopped reconnecting", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			ctx := context.Background()
			require.NoError(t, b.store.Heartbeat(ctx, "server-1"))
			require.True(t, b.adapter.Event(ctx, tc.event))
			h := NewHealth(b.store).Health(ctx)
			require.Equal(t, inbox.WhatsApp, h.Channel)
			require.Equal(t, string(tc.state), h.State)
			require.Equal(t, tc.detail, h.Detail)
			require.Equal(t, tc.down, h.Down)
			require.NotNil(t, h.Since)
			require.True(t, h.Since.Equal(b.now))
		})
	}
}

func TestNothingRecordedIsNotLinkedAndNotDown(t *testing.T) {
	t.Parallel()
	b := setup(t)
	h := NewHealth(b.store).Health(context.Background())
	require.Equal(t, string(NotLinked), h.State)
	require.False(t, h.Down, "a clinic that never linked WhatsApp gets no banner")
}

func TestADropThatLastsIsDownAndSinceStaysAtTheDrop(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	dropped := b.now
	require.True(t, b.adapter.Event(ctx, &events.Disconnected{}))
	b.now = dropped.Add(3 * time.Minute)
	require.NoError(t, b.store.Heartbeat(ctx, "server-1"))
	require.True(t, b.adapter.Event(ctx, &events.Disconnected{}))
	h := NewHealth(b.store).Health(ctx)
	require.Equal(t, string(Disconnected), h.State)
	require.True(t, h.Down)
	require.True(t, h.Since.Equal(dropped), "since is when the state began")
}

func TestAConnectionWhoseHolderWentQuietReadsDisconnected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	require.NoError(t, b.store.Heartbeat(ctx, "server-1"))
	require.True(t, b.adapter.Event(ctx, &events.Connected{}))
	b.now = b.now.Add(5 * time.Minute)
	h := NewHealth(b.store).Health(ctx)
	require.Equal(t, string(Disconnected), h.State)
	require.Equal(t, "no server holds the connection", h.Detail)
	require.True(t, h.Down)
}
