package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/inbox"
	"clinic/scheduling"
)

// noSending refuses to queue: the demo's requests arrive; nothing is said to their made-up patients.
type noSending struct{}

func (noSending) Send(context.Context, pgx.Tx, inbox.Outbound) error {
	return errors.New("the demo clinic sends no messages")
}

// seedInbox puts a few booking requests in the inbox, as they would arrive overnight: one from the
// website's form and two from chats, so the console's inbox has something to triage on the first run.
func seedInbox(ctx context.Context, tx pgx.Tx, pool *pgxpool.Pool, logger *slog.Logger, sched *scheduling.Service, now time.Time) (int, error) {
	store := inbox.NewStore(pool, logger, time.Now, sched, noSending{}, inbox.Config{})
	var branch, consult, derm scheduling.ID
	if err := tx.QueryRow(ctx, `SELECT (SELECT min(id) FROM branches),
		(SELECT id FROM examinations WHERE name = 'General consultation'),
		(SELECT id FROM examinations WHERE name = 'Dermatology consultation')`).Scan(&branch, &consult, &derm); err != nil {
		return 0, fmt.Errorf("demo inbox: read the catalog: %w", err)
	}
	chats := []struct {
		in   inbox.Inbound
		exam scheduling.ID
	}{
		{inbox.Inbound{Channel: inbox.WhatsApp, Address: "351913222111@s.whatsapp.net", ExternalID: "demo-wa-1",
			Text: "Hi, can I see a dermatologist next week? A mole on my arm has changed.", Name: "Layla Haddad",
			Phone: "+351913222111", At: now.Add(-10 * time.Hour)}, derm},
		{inbox.Inbound{Channel: inbox.Telegram, Address: "5550001", ExternalID: "demo-tg-1",
			Text: "Hello, do you have a general consultation tomorrow morning?", Name: "Tom Becker", Lang: "en",
			At: now.Add(-7 * time.Hour)}, consult},
	}
	for _, c := range chats {
		conv, _, _, err := store.Receive(ctx, tx, c.in)
		if err != nil {
			return 0, fmt.Errorf("demo inbox: %w", err)
		}
		exam := c.exam
		if _, _, err := store.Submit(ctx, tx, inbox.NewRequest{Channel: conv.Channel, Address: conv.Address,
			Key: "demo:" + c.in.ExternalID, Name: c.in.Name, Phone: c.in.Phone, Lang: "en",
			Requested: inbox.Requested{ExaminationID: &exam, BranchID: &branch, Text: c.in.Text}}); err != nil {
			return 0, fmt.Errorf("demo inbox: %w", err)
		}
	}
	if _, _, err := store.Submit(ctx, tx, inbox.NewRequest{Channel: inbox.WebForm, Key: "demo:form-1",
		Name: "Rui Costa", Phone: "+351912345678", Lang: "en",
		Requested: inbox.Requested{ExaminationID: &consult, BranchID: &branch, Text: "Lower back pain for two weeks."}}); err != nil {
		return 0, fmt.Errorf("demo inbox: %w", err)
	}
	return len(chats) + 1, nil
}
