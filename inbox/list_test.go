package inbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
)

// submit records a request on ch, from a chat conversation where the channel has one.
func submit(t *testing.T, b *inboxtest.Bundle, ch inbox.Channel, name string) *inbox.Request {
	t.Helper()
	ctx := context.Background()
	in := inbox.NewRequest{Channel: ch, Name: name, Phone: "+351912000111",
		Requested: inbox.Requested{ExaminationID: &b.Clinic.Consultation.ID, BranchID: &b.Clinic.Branch.ID,
			DoctorID: &b.Clinic.Doctor.ID}}
	if ch != inbox.WebForm {
		in.Address = fmt.Sprintf("%s:%s", ch, name)
		_, _, _, err := b.Store.Receive(ctx, nil, inbox.Inbound{Channel: ch, Address: in.Address,
			ExternalID: "m-" + name, Text: "I would like a consultation", Name: name})
		require.NoError(t, err)
	}
	req, _, err := b.Store.Submit(ctx, nil, in)
	require.NoError(t, err)
	return req
}

func TestListFiltersAndCountsPerStatusAndChannel(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	form := submit(t, b, inbox.WebForm, "Ana")
	tg := submit(t, b, inbox.Telegram, "Bruno")
	wa := submit(t, b, inbox.WhatsApp, "Carla")
	submit(t, b, inbox.Telegram, "Duarte")
	_, err := b.Store.Reject(ctx, wa.ID, "duplicate")
	require.NoError(t, err)

	all, err := b.Store.List(ctx, inbox.Filter{})
	require.NoError(t, err)
	require.Len(t, all.Items, 4)
	require.Equal(t, map[inbox.Status]int{"new": 3, "in_progress": 0, "converted": 0, "rejected": 1, "expired": 0}, all.Counts.Status)
	require.Equal(t, map[inbox.Channel]int{"web_form": 1, "chatbot": 0, "whatsapp": 1, "telegram": 2}, all.Counts.Channel)
	require.Equal(t, "Duarte", all.Items[0].Name, "newest first")
	require.Empty(t, all.Items[3].Messages, "the web form has no conversation")
	require.Len(t, all.Items[0].Messages, 1)

	tgNew, err := b.Store.List(ctx, inbox.Filter{Channel: inbox.Telegram, Status: inbox.StatusNew})
	require.NoError(t, err)
	require.Len(t, tgNew.Items, 2)
	require.Equal(t, 2, tgNew.Counts.Status[inbox.StatusNew], "status counts keep the channel filter")
	require.Equal(t, 0, tgNew.Counts.Status[inbox.StatusRejected])
	require.Equal(t, 1, tgNew.Counts.Channel[inbox.WebForm], "channel counts keep the status filter")
	require.Equal(t, 0, tgNew.Counts.Channel[inbox.WhatsApp])

	user := addUser(t, b, "desk@clinic.example")
	_, err = b.Store.Assign(ctx, tg.ID, &user)
	require.NoError(t, err)
	mine, err := b.Store.List(ctx, inbox.Filter{AssigneeID: &user})
	require.NoError(t, err)
	require.Len(t, mine.Items, 1)
	require.Equal(t, tg.ID, mine.Items[0].ID)
	require.Equal(t, inbox.StatusInProgress, mine.Items[0].Status)
	require.Equal(t, "desk@clinic.example", mine.Items[0].Assignee)
	nobody, err := b.Store.List(ctx, inbox.Filter{Unassigned: true, Channel: inbox.WebForm})
	require.NoError(t, err)
	require.Len(t, nobody.Items, 1)
	require.Equal(t, form.ID, nobody.Items[0].ID)

	_, err = b.Store.List(ctx, inbox.Filter{Status: "lost"})
	requireKind(t, err, scheduling.KindInvalid)
	_, err = b.Store.List(ctx, inbox.Filter{Channel: "sms"})
	requireKind(t, err, scheduling.KindInvalid)
	_, err = b.Store.List(ctx, inbox.Filter{Limit: 201})
	requireKind(t, err, scheduling.KindRule)
}

func TestListPagesNewestFirstWithACursor(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	var want []scheduling.ID
	for i := range 7 {
		*b.Clock = b.Clock.Add(time.Duration(i%3) * time.Minute) // ties on the clock too
		want = append([]scheduling.ID{submit(t, b, inbox.WebForm, fmt.Sprint("P", i)).ID}, want...)
	}
	var got []scheduling.ID
	f := inbox.Filter{Limit: 3}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4)
		page, err := b.Store.List(ctx, f)
		require.NoError(t, err)
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	require.Equal(t, want, got)

	first, err := b.Store.List(ctx, inbox.Filter{Limit: 3})
	require.NoError(t, err)
	_, err = b.Store.List(ctx, inbox.Filter{Limit: 3, Status: inbox.StatusNew, Cursor: first.NextCursor})
	requireKind(t, err, scheduling.KindInvalid, "a cursor of another filter")
	_, err = b.Store.List(ctx, inbox.Filter{Cursor: "garbage"})
	requireKind(t, err, scheduling.KindInvalid, "a made-up cursor")
}

func TestGetHasTheWholeConversation(t *testing.T) {
	t.Parallel()
	b := inboxtest.New(t)
	ctx := context.Background()
	req := submit(t, b, inbox.Chatbot, "Eva")
	conv, err := b.Store.Conversation(ctx, *req.ConversationID)
	require.NoError(t, err)
	for i := range 25 {
		_, _, _, err := b.Store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.Chatbot, Address: conv.Address,
			ExternalID: fmt.Sprint("turn-", i), Text: fmt.Sprint("message ", i)})
		require.NoError(t, err)
	}
	lead, err := b.Store.Get(ctx, req.ID)
	require.NoError(t, err)
	require.Len(t, lead.Messages, 26)
	require.Equal(t, "I would like a consultation", lead.Messages[0].Text)
	page, err := b.Store.List(ctx, inbox.Filter{})
	require.NoError(t, err)
	require.Len(t, page.Items[0].Messages, 20, "a list shows the latest messages")
	require.Equal(t, "message 24", page.Items[0].Messages[19].Text)

	_, err = b.Store.Get(ctx, 1<<62)
	requireKind(t, err, scheduling.KindNotFound)
}

func addUser(t *testing.T, b *inboxtest.Bundle, email string) scheduling.ID {
	t.Helper()
	var id scheduling.ID
	require.NoError(t, b.Pool.QueryRow(context.Background(), `INSERT INTO users (email, password_hash, role, created_at)
		VALUES ($1, 'x', 'receptionist', now()) RETURNING id`, email).Scan(&id))
	return id
}
