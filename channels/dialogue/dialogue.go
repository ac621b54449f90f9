// Package dialogue is the booking conversation that the website chatbot, WhatsApp and Telegram share
// (DESIGN 3.5): examination, branch or doctor, day, a short list of real free slots, name and phone,
// and the request recorded (or the visit booked, where the clinic allows it). Its state lives in
// Redis, one key per conversation; a slot a patient picked is held for them for a few minutes.
// Commands work at any step: status, my bookings, human, cancel, start over, language.
package dialogue

import (
	"cmp"
	"context"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"clinic/inbox"
	"clinic/scheduling"
)

// Defaults of Config.
const (
	DefaultTimeout  = 30 * time.Minute
	DefaultDays     = 14
	maxOfferedSlots = 5
	maxOfferedDays  = 5
)

// Config holds the engine's settings.
type Config struct {
	// Prefix starts every Redis key the engine writes (state and holds).
	Prefix string
	// BaseURL starts the booking form's link offered when the chat cannot go on (…/book).
	BaseURL string
	// Timeout is how long a conversation may pause before it starts again (DefaultTimeout when 0).
	Timeout time.Duration
	// HoldTTL is how long a picked slot stays held (DefaultHoldTTL when 0).
	HoldTTL time.Duration
	// Days is how many days ahead the bot looks for free slots (DefaultDays when 0).
	Days int
	// PhoneRegion reads phone numbers typed without a country code (empty: a code is required).
	PhoneRegion string
}

// Reply is one message the bot answers with.
type Reply struct {
	Text    string         `json:"text"`
	Choices []inbox.Choice `json:"choices,omitempty"`
	// AskPhone asks the channel to show its phone-sharing control.
	AskPhone bool `json:"ask_phone,omitempty"`
}

// maxFolded bounds a message made of several replies, under Telegram's 4,096 characters.
const maxFolded = 3000

// oneMessage folds each reply that asks nothing (no choices, no phone button) into the reply after it,
// so that a turn reaches the patient as one message with its question last: one notification, and one
// send against the channel's pace (WhatsApp's is about a message a second). Replies that would make a
// message too long stay apart.
func oneMessage(replies []Reply) []Reply {
	var out []Reply
	var cur *Reply
	for _, r := range replies {
		if cur != nil && len(cur.Choices) == 0 && !cur.AskPhone && utf8.RuneCountInString(cur.Text)+2+utf8.RuneCountInString(r.Text) <= maxFolded {
			r.Text = cur.Text + "\n\n" + r.Text
			out = out[:len(out)-1]
		}
		out = append(out, r)
		cur = &out[len(out)-1]
	}
	return out
}

// Engine runs the booking conversation. It is safe for concurrent use; the caller serialises the
// turns of one conversation (the gateway stores each message with its conversation's row locked).
type Engine struct {
	log   *slog.Logger
	now   func() time.Time
	sched *scheduling.Service
	inbox *inbox.Store
	rdb   *redis.Client
	holds *Holds
	cfg   Config
	// settings are the clinic's inbox settings, read outside turns' transactions (Prepare).
	settings settingsCache
	exams    examCache
}

// New returns an engine that reads the calendar through sched, records requests in store and keeps
// its state in rdb.
func New(logger *slog.Logger, now func() time.Time, sched *scheduling.Service, store *inbox.Store, rdb *redis.Client, cfg Config) *Engine {
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.Days = cmp.Or(cfg.Days, DefaultDays)
	return &Engine{log: logger, now: now, sched: sched, inbox: store, rdb: rdb,
		holds: NewHolds(rdb, cfg.Prefix, cfg.HoldTTL), cfg: cfg}
}

// Holds returns the engine's slot holds, for other online channels (the booking form) to respect.
func (e *Engine) Holds() *Holds { return e.holds }

// Outcome is what one turn did: its replies, and what undoing its state change takes.
type Outcome struct {
	Replies []Reply
	convert scheduling.ID
	key     string
	prev    []byte
	saved   bool
}

// Turn answers one inbound message of conv inside tx, which the caller commits; call Prepare before
// the transaction begins. catalog is the catalog version the caller read in tx
// (scheduling.QueueCatalogVersion). A message the engine has already answered (a re-run after a
// failure) gets the same replies again and acts no more.
// When Redis does not answer, the reply says the chat cannot go on now and offers the booking form.
// If tx does not commit, the caller passes the outcome to Undo.
func (e *Engine) Turn(ctx context.Context, tx pgx.Tx, conv *inbox.Conversation, in inbox.Inbound, catalog int64) (*Outcome, error) {
	key := e.cfg.Prefix + "dialogue:" + conv.ID.String()
	var raw []byte
	var st *state
	var err error
	if !conv.Opened {
		// A conversation this message opened has no state yet: nothing to read.
		raw, st, err = e.load(ctx, key)
	}
	if err != nil {
		e.log.WarnContext(ctx, "dialogue state unavailable", "conversation", conv.ID, "err", err)
		return &Outcome{Replies: []Reply{e.unavailable(ctx, conv, in)}}, nil
	}
	if st != nil && in.ExternalID != "" && st.LastID == in.ExternalID {
		return &Outcome{Replies: st.Replies}, nil
	}
	t := &turn{e: e, ctx: ctx, tx: tx, conv: conv, in: in, catalog: catalog, now: e.now()}
	if err := t.run(st); err != nil {
		return nil, err
	}
	t.replies = oneMessage(t.replies)
	t.st.LastID, t.st.Replies, t.st.Updated = in.ExternalID, t.replies, t.now
	out := &Outcome{Replies: t.replies, convert: t.convert, key: key, prev: raw}
	if err := e.save(ctx, key, t.st); err != nil {
		e.log.WarnContext(ctx, "dialogue state not saved", "conversation", conv.ID, "err", err)
		return &Outcome{Replies: []Reply{e.unavailableIn(t.st.Lang)}}, nil
	}
	out.saved = true
	return out, nil
}

// AfterCommit finishes what a committed turn started: where the clinic lets the bots book, the
// request the turn recorded becomes a visit, and the inbox sends the confirmation with its link on
// the conversation's channel. When the time cannot be booked after all, the request stays in the
// inbox for staff and the patient is told so.
func (e *Engine) AfterCommit(ctx context.Context, conv *inbox.Conversation, o *Outcome) {
	if o == nil || o.convert == 0 {
		return
	}
	_, err := e.inbox.Convert(ctx, o.convert, inbox.Staff{Name: "Booking assistant", Actor: "chat:" + scheduling.Actor(conv.ID.String())},
		inbox.ConvertInput{})
	if err == nil {
		return
	}
	e.log.WarnContext(ctx, "chat booking left to staff", "request", o.convert, "err", err)
	_, err = e.inbox.Say(ctx, nil, conv, inbox.Outbound{Key: "convert:" + o.convert.String(), Channel: conv.Channel,
		Address: conv.Address, Text: say(conv.Lang, "dialogue.booking_failed"), Lang: conv.Lang})
	if err != nil {
		e.log.WarnContext(ctx, "chat booking failure not told", "request", o.convert, "err", err)
	}
}

// Undo puts back the state a turn replaced, for a turn whose transaction did not commit, so that
// the message's redelivery runs the turn afresh.
func (e *Engine) Undo(ctx context.Context, o *Outcome) {
	if o == nil || !o.saved {
		return
	}
	var err error
	if o.prev == nil {
		err = e.rdb.Del(ctx, o.key).Err()
	} else {
		err = e.rdb.Set(ctx, o.key, o.prev, stateTTL).Err()
	}
	if err != nil {
		e.log.WarnContext(ctx, "dialogue state not restored", "key", o.key, "err", err)
	}
}

// unavailable is the answer when Redis is down, in the conversation's language.
func (e *Engine) unavailable(ctx context.Context, conv *inbox.Conversation, in inbox.Inbound) Reply {
	lang := conv.Lang
	if lang == "" {
		lang = e.firstLang(in)
	}
	return e.unavailableIn(lang)
}

func (e *Engine) unavailableIn(lang string) Reply {
	return Reply{Text: say(lang, "dialogue.unavailable", e.cfg.BaseURL+"/book")}
}

// Replay returns the replies the engine gave to the message with externalID in conversation convID,
// when that was the conversation's last answered message: a client retrying a turn it already sent
// gets its answer again.
func (e *Engine) Replay(ctx context.Context, convID scheduling.ID, externalID string) ([]Reply, error) {
	_, st, err := e.load(ctx, e.cfg.Prefix+"dialogue:"+convID.String())
	if err != nil || st == nil || externalID == "" || st.LastID != externalID {
		return nil, err
	}
	return st.Replies, nil
}
