package whatsapp

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/types"
)

func TestOnlyAWholeStopMessageWithdrawsConsent(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"STOP": "en", "stop": "en", " Stop. ": "en", "STOP 🛑": "en", "unsubscribe": "en", "Opt-out": "en",
		"إيقاف": "ar", "ايقاف": "ar", "إيـقـاف": "ar", "الغاء الاشتراك": "ar", "إلغاء الاشتراك": "ar", "أوقف": "ar",
	} {
		lang, ok := stopWord(text)
		require.True(t, ok, text)
		require.Equal(t, want, lang, text)
	}
	for _, text := range []string{"", "stop the reminder for Tuesday", "cancel", "الغاء", "bus stop", "non-stop", "stopp", "1"} {
		_, ok := stopWord(text)
		require.False(t, ok, text)
	}
}

func TestAStopIsHonouredEvenWithoutTheInbox(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	sender := jid("971501234567", types.DefaultUserServer)
	require.True(t, b.adapter.Event(ctx, textMessage("m1", sender, types.EmptyJID, plain("Hello"))))
	ok, err := b.store.Consented(ctx, sender.String())
	require.NoError(t, err)
	require.True(t, ok)

	require.True(t, b.adapter.Event(ctx, textMessage("m2", sender, types.EmptyJID, plain("STOP"))))
	require.Len(t, b.handler.got, 1, "a STOP is not a message for the dialogue")
	ok, err = b.store.Consented(ctx, sender.String())
	require.NoError(t, err)
	require.False(t, ok, "the clinic may not start a message any more")
	rec, err := b.store.OptOuts(ctx, sender.String())
	require.NoError(t, err)
	require.Len(t, rec, 1)
	require.True(t, rec[0].At.Equal(b.now))
	require.Equal(t, "STOP", rec[0].Words)
	require.True(t, rec[0].Ended.IsZero())

	b.now = b.now.Add(time.Hour)
	require.True(t, b.adapter.Event(ctx, textMessage("m3", sender, types.EmptyJID, plain("Can I book?"))))
	require.Len(t, b.handler.got, 2)
	ok, err = b.store.Consented(ctx, sender.String())
	require.NoError(t, err)
	require.True(t, ok, "writing again is opting in again")
	rec, err = b.store.OptOuts(ctx, sender.String())
	require.NoError(t, err)
	require.True(t, rec[0].Ended.Equal(b.now))
	require.Equal(t, "wrote", rec[0].EndedBy)
}
