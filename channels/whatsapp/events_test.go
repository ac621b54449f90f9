package whatsapp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"clinic/inbox"
	"clinic/migrations/dbtest"
)

// fakeHandler stores inbound messages the way the inbox does: a second delivery of one external id
// is a no-op. fail makes it refuse to store.
type fakeHandler struct {
	mu   sync.Mutex
	got  []inbox.Inbound
	seen map[string]bool
	fail error
}

func (h *fakeHandler) Handle(_ context.Context, in inbox.Inbound) ([]inbox.Outbound, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return nil, h.fail
	}
	if h.seen == nil {
		h.seen = map[string]bool{}
	}
	if h.seen[in.ExternalID] {
		return nil, nil
	}
	h.seen[in.ExternalID] = true
	h.got = append(h.got, in)
	return nil, nil
}

type bundle struct {
	store   *Store
	handler *fakeHandler
	adapter *Adapter
	now     time.Time
}

func setup(t *testing.T) *bundle {
	t.Helper()
	b := &bundle{handler: &fakeHandler{}, now: time.Date(2026, 11, 29, 22, 0, 0, 0, time.UTC)}
	b.store = NewStore(dbtest.NewPool(t), func() time.Time { return b.now })
	b.adapter = NewAdapter(b.handler, b.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return b
}

func jid(user, server string) types.JID { return types.NewJID(user, server) }

// textMessage is a direct message as whatsmeow hands it over.
func textMessage(id string, sender, alt types.JID, msg *waE2E.Message) *events.Message {
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: sender, Sender: sender, SenderAlt: alt},
			ID:            id, PushName: "Layla", Timestamp: time.Date(2026, 11, 29, 21, 59, 0, 0, time.UTC),
		},
		Message: msg,
	}
}

func plain(text string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(text)} }

func TestPlainTextIsStoredWithTheSendersNumber(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	ok := b.adapter.Event(ctx, textMessage("3EB0A1", jid("971501234567", types.DefaultUserServer), types.JID{}, plain("Hi")))
	require.True(t, ok)
	require.Len(t, b.handler.got, 1)
	in := b.handler.got[0]
	require.Equal(t, inbox.WhatsApp, in.Channel)
	require.Equal(t, "971501234567@s.whatsapp.net", in.Address)
	require.Equal(t, "+971501234567", in.Phone)
	require.Equal(t, "3EB0A1", in.ExternalID)
	require.Equal(t, "Hi", in.Text)
	require.Equal(t, "Layla", in.Name)
	consented, err := b.store.Consented(ctx, in.Address)
	require.NoError(t, err)
	require.True(t, consented, "a patient who wrote first may be answered")
}

func TestExtendedTextIsRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	msg := &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("I need a blood test https://example.org")}}
	require.True(t, b.adapter.Event(context.Background(), textMessage("3EB0A2", jid("971501234567", types.DefaultUserServer), types.JID{}, msg)))
	require.Len(t, b.handler.got, 1)
	require.Equal(t, "I need a blood test https://example.org", b.handler.got[0].Text)
}

func TestHiddenSenderIsMappedToThePhoneWhatsAppGives(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	lid := jid("123456789012345", types.HiddenUserServer)
	require.True(t, b.adapter.Event(ctx, textMessage("3EB0B1", lid, jid("971509876543", types.DefaultUserServer), plain("Hello"))))
	// A later message from the hidden id alone finds the phone kept from the first.
	require.True(t, b.adapter.Event(ctx, textMessage("3EB0B2", lid, types.JID{}, plain("1"))))
	require.Len(t, b.handler.got, 2)
	for _, in := range b.handler.got {
		require.Equal(t, "+971509876543", in.Phone)
		require.Equal(t, "971509876543@s.whatsapp.net", in.Address)
	}
	phone, err := b.store.PhoneOfLID(ctx, lid.String())
	require.NoError(t, err)
	require.Equal(t, "+971509876543", phone)
}

func TestHiddenSenderWithoutAPhoneIsAnsweredAtItsHiddenID(t *testing.T) {
	t.Parallel()
	b := setup(t)
	lid := jid("555000111222333", types.HiddenUserServer)
	require.True(t, b.adapter.Event(context.Background(), textMessage("3EB0C1", lid, types.JID{}, plain("Hi"))))
	require.Len(t, b.handler.got, 1)
	require.Equal(t, "555000111222333@lid", b.handler.got[0].Address)
	require.Empty(t, b.handler.got[0].Phone, "no phone is vouched for when WhatsApp gives none")
}

func TestGroupsStatusOwnAndEmptyMessagesAreAcknowledgedAndIgnored(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	sender := jid("971501234567", types.DefaultUserServer)
	group := textMessage("G1", sender, types.JID{}, plain("hello group"))
	group.Info.Chat, group.Info.IsGroup = jid("120363000000000000", types.GroupServer), true
	status := textMessage("S1", sender, types.JID{}, plain("my status"))
	status.Info.Chat = types.StatusBroadcastJID
	own := textMessage("O1", sender, types.JID{}, plain("sent from the clinic's phone"))
	own.Info.IsFromMe = true
	sticker := textMessage("E1", sender, types.JID{}, &waE2E.Message{StickerMessage: &waE2E.StickerMessage{}})
	for _, e := range []*events.Message{group, status, own, sticker} {
		require.True(t, b.adapter.Event(ctx, e), e.Info.ID)
	}
	require.Empty(t, b.handler.got)
}

func TestDuplicateDeliveryMakesOneMessage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	e := textMessage("3EB0D1", jid("971501234567", types.DefaultUserServer), types.JID{}, plain("Hi"))
	require.True(t, b.adapter.Event(ctx, e))
	require.True(t, b.adapter.Event(ctx, e), "a second delivery is acknowledged")
	require.Len(t, b.handler.got, 1)
}

func TestMessageNotStoredIsNotAcknowledged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	b.handler.fail = errors.New("database is restarting")
	e := textMessage("3EB0F1", jid("971501234567", types.DefaultUserServer), types.JID{}, plain("Hi"))
	require.False(t, b.adapter.Event(ctx, e), "not stored: WhatsApp must deliver it again")
	b.handler.fail = nil
	require.True(t, b.adapter.Event(ctx, e), "the redelivery is stored")
	require.Len(t, b.handler.got, 1)
}

func TestPanicInTheDialogueIsNotAcknowledged(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.adapter.handler = panicking{}
	e := textMessage("3EB0F2", jid("971501234567", types.DefaultUserServer), types.JID{}, plain("Hi"))
	require.False(t, b.adapter.Event(context.Background(), e))
}

type panicking struct{}

func (panicking) Handle(context.Context, inbox.Inbound) ([]inbox.Outbound, error) { panic("boom") }
