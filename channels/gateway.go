package channels

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"clinic/channels/dialogue"
	"clinic/inbox"
	"clinic/scheduling"
)

// Gateway takes every channel's inbound messages through the inbox and the dialogue engine: the
// message is stored (a second delivery of it is a no-op), the conversation's turns run one at a time
// across servers (storing the message locks its conversation until commit), the bot
// answers unless staff hold the conversation, and its replies are stored and queued in the same
// transaction. The console hears of the conversation after the commit (inbox.QuietTx).
type Gateway struct {
	pool   *pgxpool.Pool
	log    *slog.Logger
	inbox  *inbox.Store
	engine *dialogue.Engine
}

// NewGateway returns a gateway on pool that answers through a dialogue engine keeping its state in
// rdb under prefix; baseURL starts the booking form's link offered when Redis is down.
func NewGateway(pool *pgxpool.Pool, logger *slog.Logger, now func() time.Time, sched *scheduling.Service,
	store *inbox.Store, rdb *redis.Client, prefix, baseURL string) *Gateway {
	return NewGatewayWith(pool, logger, store, dialogue.New(logger, now, sched, store, rdb,
		dialogue.Config{Prefix: prefix, BaseURL: baseURL, PhoneRegion: sched.PhoneRegion()}))
}

// NewGatewayWith returns a gateway answering through engine, for callers that tune it.
func NewGatewayWith(pool *pgxpool.Pool, logger *slog.Logger, store *inbox.Store, engine *dialogue.Engine) *Gateway {
	return &Gateway{pool: pool, log: logger, inbox: store, engine: engine}
}

// Engine returns the gateway's dialogue engine (its slot holds serve the booking form too).
func (g *Gateway) Engine() *dialogue.Engine { return g.engine }

// Handle stores in and answers it (channels.Handler). A message delivered before answers nothing
// more; a conversation that staff hold gets no bot reply.
func (g *Gateway) Handle(ctx context.Context, in inbox.Inbound) ([]inbox.Outbound, error) {
	var out []inbox.Outbound
	var outcome *dialogue.Outcome
	var conv *inbox.Conversation
	if err := g.engine.Prepare(ctx); err != nil {
		g.log.WarnContext(ctx, "inbox settings unavailable; the chat goes on with the last known", "err", err)
	}
	stored := false
	err := g.inbox.ReceiveTx(ctx, inbox.QuietTx, func(tx pgx.Tx) error {
		stored = false
		out, outcome = nil, nil
		var msg *inbox.Message
		var dup bool
		var err error
		// The dialogue may offer the examinations, kept per catalog version: the version is read with
		// the message, in the same round trip.
		var catalog int64
		conv, msg, dup, err = g.inbox.Receive(ctx, tx, in, func(b *pgx.Batch) { scheduling.QueueCatalogVersion(b, &catalog) })
		if err != nil || dup {
			return err
		}
		stored = true
		if conv.Handover {
			return nil
		}
		outcome, err = g.engine.Turn(ctx, tx, conv, in, catalog)
		if err != nil {
			return err
		}
		if len(outcome.Replies) == 0 {
			return nil
		}
		replies := make([]inbox.Outbound, len(outcome.Replies))
		for i, r := range outcome.Replies {
			replies[i] = inbox.Outbound{Key: msg.ID.String() + ":" + strconv.Itoa(i), Channel: conv.Channel, Address: conv.Address,
				Text: r.Text, Choices: r.Choices, AskPhone: r.AskPhone, Lang: conv.Lang}
		}
		msgs, err := g.inbox.SayMany(ctx, tx, conv, replies)
		if err != nil {
			return fmt.Errorf("store the bot's replies: %w", err)
		}
		for i, m := range msgs {
			replies[i].MessageID = m.ID
		}
		out = replies
		return nil
	})
	if err != nil {
		g.engine.Undo(context.WithoutCancel(ctx), outcome)
		var de *scheduling.Error
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, fmt.Errorf("handle a %s message: %w", in.Channel, err)
	}
	if stored {
		g.inbox.Announce(conv.ID)
	}
	if outcome != nil {
		g.engine.AfterCommit(ctx, conv, outcome)
	}
	return out, nil
}

// Replay returns the replies to a message delivered before, when it was the last one the bot
// answered in its conversation, without storing or sending anything.
func (g *Gateway) Replay(ctx context.Context, in inbox.Inbound) ([]inbox.Outbound, error) {
	tx, err := g.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("replay a %s message: %w", in.Channel, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	// The message is stored already, so Receive only finds its conversation; the rollback keeps it so.
	conv, _, dup, err := g.inbox.Receive(ctx, tx, in)
	if err != nil || !dup {
		return nil, err
	}
	replies, err := g.engine.Replay(ctx, conv.ID, in.ExternalID)
	if err != nil {
		g.log.WarnContext(ctx, "chat replay unavailable", "conversation", conv.ID, "err", err)
		return nil, nil
	}
	out := make([]inbox.Outbound, len(replies))
	for i, r := range replies {
		out[i] = inbox.Outbound{Channel: conv.Channel, Address: conv.Address, Text: r.Text, Choices: r.Choices,
			AskPhone: r.AskPhone, Lang: conv.Lang}
	}
	return out, nil
}
