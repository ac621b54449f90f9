package outbox_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"

	"clinic/channels/outbox"
	"clinic/inbox"
	"clinic/inbox/inboxtest"
)

// BenchmarkSay measures recording one outbound message in its own transaction, queued on the outbox
// (a job inserted in the same transaction) against the same recording with a sender that queues
// nothing, in the same run: the difference is what durable delivery costs each message.
func BenchmarkSay(b *testing.B) {
	for _, queued := range []bool{true, false} {
		name := "outbox"
		if !queued {
			name = "no_queue"
		}
		b.Run(name, func(b *testing.B) {
			tb := setup(b, outbox.Config{})
			store := tb.store
			if !queued {
				store = inbox.NewStore(tb.Pool, slog.New(slog.DiscardHandler), tb.Svc.Now, tb.Svc, &inboxtest.Recorder{}, inbox.Config{})
			}
			conv := tb.converse(b, "tg:1", "")
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				if _, err := store.Say(ctx, nil, conv, inbox.Outbound{Key: strconv.Itoa(i), Text: "Hello"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
