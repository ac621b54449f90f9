package console_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/web/access"
	"clinic/web/console"
	"clinic/web/console/browsertest"
)

// inboxClock is the inbox's clock in the browser test, moved while the server may read it.
type inboxClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *inboxClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *inboxClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// inboxDemo is the demo clinic's console with the inbox, live, and a receptionist.
type inboxDemo struct {
	base, email, password string
	handler               http.Handler
	store                 *inbox.Store
	clock                 *inboxClock
	lisbon                scheduling.Branch
	sched                 *scheduling.Service
	exams                 map[string]scheduling.ID
	doctors               map[string]scheduling.ID
}

func inboxDemoServer(t testing.TB) *inboxDemo {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.NewPool(t)
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	now := func() time.Time { return demoNow }
	sched := scheduling.NewService(pool, logger, now, scheduling.Config{})
	_, err := demo.Load(ctx, sched, demoNow)
	require.NoError(t, err)
	d := &inboxDemo{sched: sched, email: "desk@harbour.test", password: "the desk's password", clock: &inboxClock{now: demoNow},
		exams: map[string]scheduling.ID{}, doctors: map[string]scheduling.ID{}}
	branches, err := sched.ListBranches(ctx)
	require.NoError(t, err)
	for _, b := range branches {
		if b.Timezone == "Europe/Lisbon" {
			d.lisbon = b
		}
	}
	exams, err := sched.ListExaminations(ctx, d.lisbon.ID)
	require.NoError(t, err)
	for _, e := range exams {
		d.exams[e.Name] = e.ID
	}
	doctors, err := sched.ListDoctors(ctx)
	require.NoError(t, err)
	for _, doc := range doctors {
		d.doctors[doc.Name] = doc.ID
	}
	acc := access.NewStore(pool, now)
	_, err = acc.CreateUser(ctx, d.email, d.password, access.Receptionist, 0)
	require.NoError(t, err)
	_, err = acc.CreateUser(ctx, "ines@harbour.test", "another password", access.Receptionist, 0)
	require.NoError(t, err)
	d.store = inbox.NewStore(pool, logger, d.clock.Now, sched, &inboxtest.Recorder{}, inbox.Config{BaseURL: "https://harbour.example"})
	feedCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	feed := inbox.NewFollower(pool, logger)
	go feed.Run(feedCtx)
	<-feed.Ready()
	con, err := console.New(console.Deps{Logger: logger, DB: pool, Redis: rdb, Scheduling: sched, Access: acc, Now: now,
		Inbox: d.store, InboxFeed: feed, Config: console.Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}})
	require.NoError(t, err)
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	con.Mount(r)
	con.MountStreams(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	d.base, d.handler = srv.URL, r
	return d
}

// chat records a conversation on a channel: the patient's messages and the bot's answers, from at on,
// a minute apart; a message starting with "> " is the bot's.
func (d *inboxDemo) chat(t testing.TB, ch inbox.Channel, address, name string, at time.Time, lines ...string) *inbox.Conversation {
	t.Helper()
	ctx := context.Background()
	var conv *inbox.Conversation
	for i, line := range lines {
		d.clock.set(at.Add(time.Duration(i) * time.Minute))
		if len(line) > 2 && line[:2] == "> " {
			msg, err := d.store.Say(ctx, nil, conv, inbox.Outbound{Text: line[2:]})
			require.NoError(t, err)
			require.NoError(t, d.store.SetDelivery(ctx, msg.ID, inbox.DeliverySent, ""))
			continue
		}
		var err error
		conv, _, _, err = d.store.Receive(ctx, nil, inbox.Inbound{Channel: ch, Address: address, Name: name,
			ExternalID: fmt.Sprintf("%s-%d", address, d.clock.Now().Unix()), Text: line})
		require.NoError(t, err)
	}
	return conv
}

func (d *inboxDemo) request(t testing.TB, in inbox.NewRequest, at time.Time) *inbox.Request {
	t.Helper()
	d.clock.set(at)
	r, _, err := d.store.Submit(context.Background(), nil, in)
	require.NoError(t, err)
	return r
}

func ptrID(id scheduling.ID) *scheduling.ID { return &id }

func TestBrowserInboxShowsArrivalsLiveAndConvertsInOneClick(t *testing.T) {
	t.Parallel()
	d := inboxDemoServer(t)
	ctx := context.Background()
	evening := demoNow.Add(-13 * time.Hour) // Sunday 21:40 in Lisbon
	consult := d.exams["General consultation"]
	require.NotZero(t, consult, "the demo offers a general consultation in Lisbon")
	// She asked for Tuesday morning: the demo's first free consultation from 10:00.
	day := scheduling.DateOf(time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC))
	slots, err := d.sched.Availability(ctx, scheduling.AvailabilityQuery{BranchID: d.lisbon.ID,
		ExaminationIDs: []scheduling.ID{consult}, From: day, To: day})
	require.NoError(t, err)
	var tuesday time.Time
	for _, s := range slots {
		if !s.Start.Before(time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)) && tuesday.IsZero() {
			tuesday = s.Start
		}
	}
	require.False(t, tuesday.IsZero(), "Tuesday has a free morning consultation")

	// Last night on WhatsApp: the bot took the request.
	wa := d.chat(t, inbox.WhatsApp, "351912000101@s.whatsapp.net", "Layla Haddad", evening,
		"Hi, can I book a check-up?", "> Which examination would you like?", "General consultation",
		"> Which day suits you?", "Tuesday morning please")
	layla := d.request(t, inbox.NewRequest{Channel: inbox.WhatsApp, Address: wa.Address, Key: "wa-1", Name: "Layla Haddad",
		Phone: "+351912000101", Requested: inbox.Requested{ExaminationID: &consult, BranchID: &d.lisbon.ID, Start: &tuesday}},
		evening.Add(6*time.Minute))
	// On Telegram a patient asked for a person, and the desk's answer did not get through.
	tg := d.chat(t, inbox.Telegram, "7001", "Rui Costa", evening.Add(30*time.Minute), "human please", "I have a question about my invoice")
	rui := d.request(t, inbox.NewRequest{Channel: inbox.Telegram, Address: tg.Address, Key: "tg-1", Name: "Rui Costa",
		Phone: "+351912000102"}, evening.Add(33*time.Minute))
	tg.Handover = true
	require.NoError(t, d.store.UpdateConversation(ctx, nil, tg))
	msg, err := d.store.Say(ctx, nil, tg, inbox.Outbound{Text: "We will call you at 9."})
	require.NoError(t, err)
	require.NoError(t, d.store.SetDelivery(ctx, msg.ID, inbox.DeliveryFailed, "Telegram: bot was blocked by the user"))
	_ = rui
	// The web form, and a request already dealt with.
	d.request(t, inbox.NewRequest{Channel: inbox.WebForm, Key: "web-1", Name: "Ana Lopes", Phone: "+351912000103",
		Requested: inbox.Requested{ExaminationID: &consult, BranchID: &d.lisbon.ID, Text: "Knee pain after running",
			Fields: map[string]string{"Insurer": "Médis"}}}, evening.Add(50*time.Minute))
	omar := d.request(t, inbox.NewRequest{Channel: inbox.Chatbot, Key: "bot-1", Name: "Omar Said", Phone: "+351912000104"},
		evening.Add(-3*time.Hour))
	_, err = d.store.Reject(ctx, omar.ID, "Asked for a home visit")
	require.NoError(t, err)
	d.clock.set(demoNow)

	b := browsertest.New(t, browsertest.Options{Width: 1024, Height: 768})
	require.NoError(t, chromedp.Do(b,
		chromedp.Navigate(d.base+"/console/signin?next=/console/inbox"),
		chromedp.SendKeys(chromedp.ID("email"), d.email),
		chromedp.SendKeys(chromedp.ID("password"), d.password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".ib-row")),
	))
	count := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(b, chromedp.Evaluate[int](js))
		require.NoError(t, err)
		return n
	}
	require.Equal(t, 4, count(`document.querySelectorAll('.ib-row').length`))
	badge, err := chromedp.Run(b, chromedp.Text(chromedp.CSS("[data-nav-badge]")))
	require.NoError(t, err)
	require.Equal(t, "3", badge)

	// A patient writes on WhatsApp while the page is open: the request appears at the top, unreloaded.
	require.NoError(t, chromedp.Do(b, chromedp.Evaluate[chromedp.Void](`window.__stayed = true`)))
	sofia := d.chat(t, inbox.WhatsApp, "351912000105@s.whatsapp.net", "Sofia Martins", demoNow.Add(-5*time.Minute),
		"Bom dia! Preciso de uma consulta hoje", "> Which examination would you like?", "General consultation")
	sofiaReq := d.request(t, inbox.NewRequest{Channel: inbox.WhatsApp, Address: sofia.Address, Key: "wa-2", Name: "Sofia Martins",
		Phone: "+351912000105", Requested: inbox.Requested{ExaminationID: &consult, BranchID: &d.lisbon.ID}}, demoNow.Add(-2*time.Minute))
	d.clock.set(demoNow)
	_, err = chromedp.Run(b, chromedp.Poll[bool](`document.querySelector('.ib-row .ib-name').textContent === 'Sofia Martins'`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the new request is listed first without a reload")
	stayed, err := chromedp.Run(b, chromedp.Evaluate[bool](`window.__stayed === true`))
	require.NoError(t, err)
	require.True(t, stayed, "the page was not reloaded")
	_, err = chromedp.Run(b, chromedp.Poll[bool](`document.querySelector('[data-nav-badge]').textContent === '4'`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the top bar counts the new request")
	browsertest.Screenshot(t, b, "../../docs/screenshots/inbox.png")

	// Layla's request: the conversation, and one button books the time she asked for.
	require.NoError(t, chromedp.Do(b,
		chromedp.Click(chromedp.CSS(`.ib-row[data-id="`+layla.ID.String()+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS(".ir-one-click")),
	))
	label, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".ir-one-click")))
	require.NoError(t, err)
	require.Contains(t, label, "Book Tue 5 Jan at "+tuesday.Format("15:04"))
	require.Equal(t, 5, count(`document.querySelectorAll('.ir-msg').length`))

	// She writes again while the page is open: the message is added to the conversation.
	d.chat(t, inbox.WhatsApp, wa.Address, "Layla Haddad", demoNow, "Is 10:00 still possible?")
	_, err = chromedp.Run(b, chromedp.Poll[bool](`document.querySelectorAll('.ir-msg').length === 6`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the new message shows without a reload")
	browsertest.Screenshot(t, b, "../../docs/screenshots/inbox-request.png")

	require.NoError(t, chromedp.Do(b,
		chromedp.Click(chromedp.CSS(".ir-one-click")),
		chromedp.WaitVisible(chromedp.CSS(".ir-result")),
	))
	link, err := chromedp.Run(b, chromedp.Value(chromedp.ID("confirm-url")))
	require.NoError(t, err)
	require.Regexp(t, `^https://harbour\.example/c/[\w-]{40,}$`, link)
	got, err := d.store.Get(ctx, layla.ID)
	require.NoError(t, err)
	require.Equal(t, inbox.StatusConverted, got.Status)
	require.NotNil(t, got.SessionID)
	session, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector('.ir-result .button-primary').getAttribute('href')`))
	require.NoError(t, err)
	require.Equal(t, "/console/sessions/"+got.SessionID.String(), session)
	browsertest.Screenshot(t, b, "../../docs/screenshots/inbox-converted.png")

	// Another desk deals with Sofia's request while her page is open here: the page follows.
	require.NoError(t, chromedp.Do(b,
		chromedp.Navigate(d.base+"/console/inbox/"+sofiaReq.ID.String()),
		chromedp.WaitVisible(chromedp.CSS(".ir-one-click")),
		chromedp.Evaluate[chromedp.Void](`window.__stayed = true`),
	))
	_, err = d.store.Reject(ctx, sofiaReq.ID, "Booked by phone")
	require.NoError(t, err)
	// The page goes to its own address again, so a check may meet the navigation: ask until it is done.
	deadline := time.Now().Add(10 * time.Second)
	for {
		done, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.readyState === 'complete' &&
			document.querySelector('.ir-title')?.dataset.status === 'rejected' && document.querySelector('.ir-one-click') === null`))
		if err == nil && done {
			break
		}
		require.True(t, time.Now().Before(deadline), "the page shows the request rejected, with nothing left to book")
		time.Sleep(100 * time.Millisecond)
	}
	body, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".ir-title")))
	require.NoError(t, err)
	require.Contains(t, body, "Rejected: Booked by phone")
}
