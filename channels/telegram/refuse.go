package telegram

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/inbox"
	"clinic/inbox/texts"
)

// StoreRefuser stores a refused contact share in the patient's conversation and queues the polite
// refusal with the contact button again, in one transaction. It leaves the dialogue where it was: the
// patient is still asked for their own number.
type StoreRefuser struct {
	store *inbox.Store
}

// NewStoreRefuser returns a Refuser writing through the inbox store.
func NewStoreRefuser(store *inbox.Store) *StoreRefuser {
	return &StoreRefuser{store: store}
}

// Refuse records in (a contact that is not the sender's, without its number) and queues the refusal
// once: a second delivery of the same update does nothing, and none is queued while staff hold the
// conversation.
func (r *StoreRefuser) Refuse(ctx context.Context, in inbox.Inbound) error {
	in.Phone = ""
	in.Text = texts.T(in.Lang, "telegram.contact_received")
	return r.store.ReceiveTx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		conv, msg, dup, err := r.store.Receive(ctx, tx, in)
		if err != nil {
			return fmt.Errorf("storing a shared contact: %w", err)
		}
		if dup || conv.Handover {
			// While staff hold the conversation the bot stays quiet; they see the message.
			return nil
		}
		lang := conv.Lang
		if lang == "" {
			lang = in.Lang
		}
		_, err = r.store.Say(ctx, tx, conv, inbox.Outbound{
			Key:      fmt.Sprintf("%d:contact", msg.ID),
			Channel:  conv.Channel,
			Address:  conv.Address,
			Text:     texts.T(lang, "telegram.contact_not_own"),
			AskPhone: true,
			Lang:     lang,
		})
		if err != nil {
			return fmt.Errorf("queuing the answer to a shared contact: %w", err)
		}
		return nil
	})
}
