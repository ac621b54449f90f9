package dialogue_test

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/dialogue"
	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/migrations/dbtest"
)

// testBundle is a gateway on its own database and Redis prefix, with the scheduling fixtures' clinic
// (one branch in Lisbon, Ana Ferreira, a consultation and an ECG) and the clock at Monday 4 January
// 2027, 06:00 in Lisbon.
type testBundle struct {
	*inboxtest.Bundle
	rdb    *redis.Client
	prefix string
	gw     *channels.Gateway
	// vars fill the placeholders of expected replies: {C} the consultation's id, {E} the ECG's, {D}
	// Ana's, {s:5 0900} the choice id of Ana's slot on 5 January at 09:00.
	vars map[string]string
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := inboxtest.New(t)
	rdb, prefix := dbtest.NewRedis(t)
	tb := &testBundle{Bundle: b, rdb: rdb, prefix: prefix}
	tb.gw = tb.gateway(rdb)
	c := b.Clinic
	tb.vars = map[string]string{"{C}": c.Consultation.ID.String(), "{E}": c.ECG.ID.String(), "{D}": c.Doctor.ID.String()}
	return tb
}

// gateway is a gateway of the bundle on another Redis client (a stopped or restarted server).
func (tb *testBundle) gateway(rdb *redis.Client) *channels.Gateway {
	return channels.NewGateway(tb.Pool, slog.New(slog.DiscardHandler), tb.Svc.Now, tb.Svc, tb.Store, rdb, tb.prefix,
		inboxtest.BaseURL)
}

// slot is the choice id of Ana's slot on the given January day at hh:mm in Lisbon.
func (tb *testBundle) slot(day, hour, minute int) string {
	return fmt.Sprintf("s:%d:%d", tb.Clinic.At(day, hour, minute).Unix(), tb.Clinic.Doctor.ID)
}

// chat is one patient's conversation on a channel.
type chat struct {
	tb    *testBundle
	gw    *channels.Gateway
	ch    inbox.Channel
	addr  string
	phone string
	lang  string
	n     int
}

func (tb *testBundle) chat(ch inbox.Channel, addr string) *chat {
	return &chat{tb: tb, gw: tb.gw, ch: ch, addr: addr}
}

// send delivers one message: text, or a choice when it starts with "@"; it returns the replies
// rendered as "text [id=label | ...] (phone)".
func (c *chat) send(t *testing.T, msg string) []string {
	t.Helper()
	c.n++
	return c.deliver(t, c.message(msg, strconv.Itoa(c.n)))
}

func (c *chat) message(msg, id string) inbox.Inbound {
	in := inbox.Inbound{Channel: c.ch, Address: c.addr, ExternalID: c.addr + ":" + id, Phone: c.phone, Lang: c.lang}
	if choice, ok := strings.CutPrefix(msg, "@"); ok {
		in.Choice = choice
	} else {
		in.Text = msg
	}
	return in
}

func (c *chat) deliver(t *testing.T, in inbox.Inbound) []string {
	t.Helper()
	out, err := c.gw.Handle(context.Background(), in)
	require.NoError(t, err)
	return render(out)
}

func render(out []inbox.Outbound) []string {
	lines := []string{}
	for _, o := range out {
		lines = append(lines, line(dialogue.Reply{Text: o.Text, Choices: o.Choices, AskPhone: o.AskPhone}))
	}
	return lines
}

// line renders one reply as "text [id=label | ...] (phone)".
func line(r dialogue.Reply) string {
	l := r.Text
	if len(r.Choices) > 0 {
		parts := make([]string, len(r.Choices))
		for i, ch := range r.Choices {
			parts[i] = ch.ID + "=" + ch.Label
		}
		l += " [" + strings.Join(parts, " | ") + "]"
	}
	if r.AskPhone {
		l += " (phone)"
	}
	return l
}

// reply reads back a reply that line rendered.
func reply(l string) dialogue.Reply {
	var r dialogue.Reply
	l, r.AskPhone = strings.CutSuffix(l, " (phone)")
	if i := strings.LastIndex(l, " ["); i >= 0 && strings.HasSuffix(l, "]") {
		for _, part := range strings.Split(l[i+2:len(l)-1], " | ") {
			id, label, _ := strings.Cut(part, "=")
			r.Choices = append(r.Choices, inbox.Choice{ID: id, Label: label})
		}
		l = l[:i]
	}
	r.Text = l
	return r
}

// folded is what the bot says for the expected replies lines of one turn: the replies folded as the
// engine folds a turn's replies (dialogue.OneMessage), rendered.
func folded(t *testing.T, lines []string) []string {
	t.Helper()
	replies := make([]dialogue.Reply, len(lines))
	for i, l := range lines {
		replies[i] = reply(l)
		require.Equal(t, l, line(replies[i]), "an expected reply reads back as it is written")
	}
	out := []string{}
	for _, r := range dialogue.OneMessage(replies) {
		out = append(out, line(r))
	}
	return out
}

// turn is one message of a golden conversation and the replies expected, with placeholders.
type turn struct {
	in   string
	want []string
}

// play runs a golden conversation turn by turn.
func (c *chat) play(t *testing.T, turns []turn) {
	t.Helper()
	for i, tu := range turns {
		got := c.send(t, c.tb.fill(tu.in))
		want := make([]string, len(tu.want))
		for j, w := range tu.want {
			want[j] = c.tb.fill(w)
		}
		require.Equal(t, folded(t, want), got, "turn %d: %q", i+1, tu.in)
	}
}

// fill replaces the placeholders of s: {C}, {E}, {D} and slots written {s:DAY HHMM}.
func (tb *testBundle) fill(s string) string {
	for k, v := range tb.vars {
		s = strings.ReplaceAll(s, k, v)
	}
	for {
		i := strings.Index(s, "{s:")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "}") + i
		var day, hhmm int
		_, _ = fmt.Sscanf(s[i+3:j], "%d %d", &day, &hhmm)
		s = s[:i] + tb.slot(day, hhmm/100, hhmm%100) + s[j+1:]
	}
}

// count runs a count query.
func (tb *testBundle) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// advance moves the clock.
func (tb *testBundle) advance(d time.Duration) { *tb.Clock = tb.Clock.Add(d) }
