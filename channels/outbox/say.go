package outbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/inbox"
	"clinic/inbox/texts"
	"clinic/scheduling"
)

// reachable returns the conversation a patient may be messaged on: one with their consent on a
// channel this server can deliver to, preferring the channel the session was booked through, then the
// most recent; nil when there is none.
func (o *Outbox) reachable(ctx context.Context, tx pgx.Tx, patientID scheduling.ID, preferred string) (*inbox.Conversation, error) {
	var reach []string
	o.mu.RLock()
	for ch := range o.deliverers {
		reach = append(reach, string(ch))
	}
	o.mu.RUnlock()
	conv := &inbox.Conversation{}
	err := tx.QueryRow(ctx, `SELECT c.id, c.channel, c.address, c.lang FROM conversations c
		WHERE c.patient_id = $1 AND c.consent AND c.channel = ANY($2::text[])
		ORDER BY c.channel = $3 DESC, c.updated_at DESC, c.id DESC LIMIT 1`, patientID, reach, preferred).
		Scan(&conv.ID, &conv.Channel, &conv.Address, &conv.Lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: find a conversation with patient %d: %w", patientID, err)
	}
	conv.PatientID, conv.Consent = &patientID, true
	return conv, nil
}

// say records and queues one of the outbox's own texts in conv, in the patient's language (the
// clinic's default until they chose one), under key: a key said before is not said again.
func (o *Outbox) say(ctx context.Context, tx pgx.Tx, conv *inbox.Conversation, key, text string, args ...any) (*inbox.Message, error) {
	store, _ := o.inbox()
	lang := conv.Lang
	if lang == "" {
		set, err := store.Settings(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the clinic's default language: %w", err)
		}
		lang = set.DefaultLang
	}
	return store.Say(ctx, tx, conv, inbox.Outbound{Key: key, Lang: lang, Text: texts.T(lang, text, args...)})
}
