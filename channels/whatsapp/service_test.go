package whatsapp

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/migrations/dbtest"
)

func TestUnlinkAskedOnAnyServerIsCarriedOutByTheHolder(t *testing.T) {
	t.Parallel()
	pool := dbtest.NewPool(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	store := NewStore(pool, nil)
	require.NoError(t, store.SetState(context.Background(), LoggedOut, "the phone ended the link; link it again"))
	svc := NewService(Devices(pool, log), store, NewAdapter(&fakeHandler{}, store, log), log, "server-1")
	svc.Tick = 20 * time.Millisecond
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(ctx) }()
	defer func() { stop(); <-done }()

	// Another server's store: the request goes through the database, once the holder is alive.
	other := NewStore(pool, nil)
	for l, err := other.Link(context.Background()); l.Holder == ""; l, err = other.Link(context.Background()) {
		require.NoError(t, err)
		time.Sleep(10 * time.Millisecond)
	}
	result, err := other.Ask(context.Background(), RequestUnlink, "", 30*time.Second)
	require.NoError(t, err)
	require.Empty(t, result)
	l, err := other.Link(context.Background())
	require.NoError(t, err)
	require.Equal(t, NotLinked, l.State)
	require.Equal(t, "unlinked from the console", l.Detail)
	require.Equal(t, "server-1", l.Holder)
	dev, err := Devices(pool, log).GetFirstDevice(context.Background())
	require.NoError(t, err)
	require.Nil(t, dev.ID, "no device is left linked")
}

func TestARequestNobodyHoldsIsAnsweredUnavailable(t *testing.T) {
	t.Parallel()
	store := NewStore(dbtest.NewPool(t), nil)
	_, err := store.Ask(context.Background(), RequestQR, "", time.Minute)
	require.ErrorIs(t, err, ErrNoHolder, "answered at once: no server has shown a sign of life")
	// A holder that stopped answering: the request waits, then gives up.
	require.NoError(t, store.Heartbeat(context.Background(), "server-1"))
	_, err = store.Ask(context.Background(), RequestQR, "", 300*time.Millisecond)
	require.ErrorIs(t, err, ErrNoHolder)
}

func TestPairingPhoneMustBeInternational(t *testing.T) {
	t.Parallel()
	require.NoError(t, ValidPhone("+971501234567"))
	for _, p := range []string{"", "0501234567", "+0501234567", "+97150abc", "+12"} {
		require.Error(t, ValidPhone(p), p)
	}
}
