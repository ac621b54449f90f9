package console

import (
	"bufio"
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// inboxBundle is a console with the booking inbox, its pages and streams served, and a sender that
// records what would go to patients.
type inboxBundle struct {
	*testBundle
	store  *inbox.Store
	sent   *inboxtest.Recorder
	resent *resender
}

// resender queues a failed message again as the outbox does, and remembers which.
type resender struct {
	store *inbox.Store
	pool  *pgxpool.Pool
	mu    sync.Mutex
	ids   []scheduling.ID
}

// Retry refuses a message that did not fail, as the outbox does.
func (r *resender) Retry(ctx context.Context, id inbox.ID) error {
	var delivery inbox.Delivery
	if err := r.pool.QueryRow(ctx, `SELECT delivery FROM messages WHERE id = $1`, id).Scan(&delivery); err != nil {
		return err
	}
	if delivery != inbox.DeliveryFailed {
		return scheduling.Rule("not_failed", "only a message that failed can be sent again; this one is %s", delivery)
	}
	r.mu.Lock()
	r.ids = append(r.ids, id)
	r.mu.Unlock()
	return r.store.SetDelivery(ctx, id, inbox.DeliveryQueued, "")
}

func (r *resender) retried() []scheduling.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]scheduling.ID(nil), r.ids...)
}

func setupInbox(t *testing.T, feed bool) *inboxBundle {
	t.Helper()
	ib := &inboxBundle{testBundle: setup(t), sent: &inboxtest.Recorder{}}
	ib.store = inbox.NewStore(ib.Pool, slog.New(slog.DiscardHandler), ib.Svc.Now, ib.Svc, ib.sent,
		inbox.Config{BaseURL: inboxtest.BaseURL})
	ib.resent = &resender{store: ib.store, pool: ib.Pool}
	deps := ib.deps
	deps.Inbox, deps.Resend = ib.store, ib.resent
	if feed {
		f := inbox.NewFollower(ib.Pool, deps.Logger)
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { f.Run(ctx); close(stopped) }()
		t.Cleanup(func() { cancel(); <-stopped })
		<-f.Ready()
		deps.InboxFeed = f
	}
	con, err := New(deps)
	require.NoError(t, err)
	r := gin.New()
	con.Mount(r)
	con.MountStreams(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	ib.url = srv.URL
	return ib
}

// webRequest records a web form request for the consultation at the clinic's branch, at start when
// given.
func (ib *inboxBundle) webRequest(t *testing.T, key, name string, start *time.Time) *inbox.Request {
	t.Helper()
	r, _, err := ib.store.Submit(context.Background(), nil, inbox.NewRequest{Channel: inbox.WebForm, Key: key, Name: name,
		Phone: "+351912000" + key[len(key)-3:], Requested: inbox.Requested{ExaminationID: &ib.clinic.Consultation.ID,
			BranchID: &ib.clinic.Branch.ID, Start: start, Text: "Back pain since Friday"}})
	require.NoError(t, err)
	return r
}

// telegramRequest is a request from a patient who wrote on Telegram first.
func (ib *inboxBundle) telegramRequest(t *testing.T) *inbox.Request {
	t.Helper()
	ctx := context.Background()
	_, _, _, err := ib.store.Receive(ctx, nil, inbox.Inbound{Channel: inbox.Telegram, Address: "7001", ExternalID: "u1",
		Text: "Hello, I need a consultation", Name: "Rui Costa"})
	require.NoError(t, err)
	r, _, err := ib.store.Submit(ctx, nil, inbox.NewRequest{Channel: inbox.Telegram, Address: "7001", Key: "tg-1",
		Name: "Rui Costa", Phone: "+351912000999", Requested: inbox.Requested{ExaminationID: &ib.clinic.Consultation.ID}})
	require.NoError(t, err)
	return r
}

var (
	inboxRowID   = regexp.MustCompile(`<li class="ib-row[^"]*" data-id="(\d+)"`)
	suggestedRe  = regexp.MustCompile(`(?s)<form method="post" action="(/console/inbox/\d+/convert)" class="ir-suggested">(.*?)</form>`)
	inboxHidden  = regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`)
	convertForms = regexp.MustCompile(`(?s)<form method="post" action="/console/inbox/\d+/convert">(.*?)</form>`)
)

func inboxRows(t *testing.T, p page) []scheduling.ID {
	t.Helper()
	require.Equal(t, http.StatusOK, p.status, p.body)
	var out []scheduling.ID
	for _, m := range inboxRowID.FindAllStringSubmatch(p.body, -1) {
		out = append(out, idOf(m[1]))
	}
	return out
}

// fields are a form's hidden fields as the browser sends them.
func fields(form string) url.Values {
	v := url.Values{}
	for _, m := range inboxHidden.FindAllStringSubmatch(form, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func (ib *inboxBundle) sessionCount(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, ib.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n))
	return n
}

func (ib *inboxBundle) status(t *testing.T, id scheduling.ID) inbox.Status {
	t.Helper()
	return schedtest.Must(ib.store.Get(context.Background(), id))(t).Status
}

func TestInboxListsByStatusAndChannelWithCounts(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	ctx := context.Background()
	first := ib.webRequest(t, "w-101", "Ana Lopes", nil)
	*ib.Clock = ib.Clock.Add(time.Minute)
	second := ib.webRequest(t, "w-102", "Bruno Dias", nil)
	*ib.Clock = ib.Clock.Add(time.Minute)
	tg := ib.telegramRequest(t)
	_, err := ib.store.Reject(ctx, first.ID, "a duplicate")
	require.NoError(t, err)

	br := ib.signedIn(t, access.Receptionist)
	p := br.get("/console/inbox")
	require.Equal(t, []scheduling.ID{tg.ID, second.ID, first.ID}, inboxRows(t, p), "newest first")
	for _, want := range []string{`>All <span class="ib-count">3<`, `>New <span class="ib-count">2<`,
		`>Rejected <span class="ib-count">1<`, `Web form <span class="ib-count">2<`, `Telegram <span class="ib-count">1<`,
		"Rui Costa", "Back pain since Friday", "Hello, I need a consultation", `<span class="nav-badge" data-nav-badge>2</span>`} {
		require.Contains(t, p.body, want)
	}
	require.Equal(t, []scheduling.ID{first.ID}, inboxRows(t, br.get("/console/inbox?status=rejected")))
	p = br.get("/console/inbox?channel=telegram")
	require.Equal(t, []scheduling.ID{tg.ID}, inboxRows(t, p))
	require.Contains(t, p.body, `>New <span class="ib-count">1<`, "status counts follow the channel filter")
	frag := br.get("/console/inbox?status=new&fragment=1")
	require.Equal(t, []scheduling.ID{tg.ID, second.ID}, inboxRows(t, frag))
	require.NotContains(t, frag.body, "<html")
	require.Equal(t, http.StatusBadRequest, br.get("/console/inbox?status=lost").status)
	require.Equal(t, http.StatusBadRequest, br.get("/console/inbox?channel=fax").status)
	require.Equal(t, http.StatusNotFound, br.get("/console/inbox/999999").status)
}

func TestInboxPagesThroughOlderRequests(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	var ids []scheduling.ID
	for i := range inboxPageSize + 2 {
		*ib.Clock = ib.Clock.Add(time.Minute)
		ids = append(ids, ib.webRequest(t, "p-"+string(rune('a'+i/10))+"-"+string(rune('0'+i%10))+"00", "Patient", nil).ID)
	}
	br := ib.signedIn(t, access.Receptionist)
	p := br.get("/console/inbox")
	require.Len(t, inboxRows(t, p), inboxPageSize)
	older := regexp.MustCompile(`<a class="button" href="([^"]+)">Older requests`).FindStringSubmatch(p.body)
	require.NotNil(t, older)
	rest := inboxRows(t, br.get(html.UnescapeString(older[1])))
	require.Equal(t, []scheduling.ID{ids[1], ids[0]}, rest)
	require.Equal(t, http.StatusSeeOther, br.get("/console/inbox?cursor=forged").status, "a bad cursor starts again")
}

func TestInboxDoctorsReadAndOnlyTheDeskActs(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	start := ib.clinic.At(5, 9, 0)
	r := ib.webRequest(t, "w-101", "Ana Lopes", &start)
	doctor := ib.signedIn(t, access.Doctor)
	p := doctor.get(requestLink(r.ID))
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "Ana Lopes")
	require.NotContains(t, p.body, "/convert", "a doctor reads the request but does not book it")
	require.NotContains(t, p.body, "/reject")
	token := csrf(t, p)
	require.Equal(t, http.StatusForbidden, doctor.post(requestLink(r.ID)+"/convert", url.Values{"csrf": {token}}).status)
	require.Equal(t, http.StatusForbidden, doctor.post(requestLink(r.ID)+"/reject", url.Values{"csrf": {token}, "reason": {"x"}}).status)

	desk := ib.signedIn(t, access.Receptionist)
	page := desk.get(requestLink(r.ID))
	m := suggestedRe.FindStringSubmatch(page.body)
	require.NotNil(t, m, page.body)
	form := fields(m[2])
	form.Del("csrf")
	require.Equal(t, http.StatusForbidden, desk.post(m[1], form).status, "no CSRF token, no booking")
	form.Set("csrf", "forged")
	require.Equal(t, http.StatusForbidden, desk.post(m[1], form).status)
	require.Equal(t, inbox.StatusNew, ib.status(t, r.ID))
}

func TestInboxConvertsInOneClick(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	start := ib.clinic.At(5, 9, 0)
	r := ib.webRequest(t, "w-101", "Ana Lopes", &start)
	br := ib.signedIn(t, access.Receptionist)
	p := br.get(requestLink(r.ID))
	require.Contains(t, p.body, "Book Tue 5 Jan at 09:00 with "+ib.clinic.Doctor.Name)
	m := suggestedRe.FindStringSubmatch(p.body)
	require.NotNil(t, m)
	done := br.post(m[1], fields(m[2]))
	require.Equal(t, http.StatusOK, done.status, done.body)
	got := schedtest.Must(ib.store.Get(context.Background(), r.ID))(t)
	require.Equal(t, inbox.StatusConverted, got.Status)
	require.NotNil(t, got.SessionID)
	sess := schedtest.Must(ib.Svc.GetSession(context.Background(), *got.SessionID))(t)
	require.True(t, sess.Start.Equal(start))
	require.Equal(t, "Ana Lopes", sess.PatientName)
	require.Contains(t, done.body, `href="`+sessionLink(sess.ID)+`"`)
	require.Regexp(t, `value="`+regexp.QuoteMeta(inboxtest.BaseURL)+`/c/[\w-]{40,}"`, done.body, "the confirm link to pass on")
	require.NotContains(t, done.body, `class="ir-suggested"`, "a converted request offers no booking")

	// Sent again (a double tap): nothing new is booked.
	again := br.post(m[1], fields(m[2]))
	require.Equal(t, http.StatusOK, again.status)
	require.Contains(t, again.body, "Already booked")
	require.Equal(t, 1, ib.sessionCount(t))
}

func TestInboxConvertOfAGoneSlotOffersAlternatives(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	start := ib.clinic.At(5, 9, 0)
	r := ib.webRequest(t, "w-101", "Ana Lopes", &start)
	br := ib.signedIn(t, access.Receptionist)
	m := suggestedRe.FindStringSubmatch(br.get(requestLink(r.ID)).body)
	require.NotNil(t, m)
	// Someone at the desk books the slot while the page is open.
	schedtest.Must(ib.Svc.Book(context.Background(), "desk", ib.clinic.Booking(start)))(t)

	p := br.post(m[1], fields(m[2]))
	require.Equal(t, http.StatusConflict, p.status, p.body)
	require.Contains(t, p.body, "That time is no longer free")
	require.Equal(t, inbox.StatusNew, ib.status(t, r.ID), "nothing else changed")
	alts := convertForms.FindAllStringSubmatch(p.body[:regexp.MustCompile(`ir-picker`).FindStringIndex(p.body)[0]], -1)
	require.NotEmpty(t, alts, "the nearest free times, each a one-click booking")
	pick := fields(alts[0][1])
	require.NotEqual(t, start.Format(time.RFC3339), pick.Get("start"))
	done := br.post(requestLink(r.ID)+"/convert", pick)
	require.Equal(t, http.StatusOK, done.status, done.body)
	require.Equal(t, inbox.StatusConverted, ib.status(t, r.ID))
}

func TestInboxPickerOffersTheDaysFreeTimes(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	r := ib.webRequest(t, "w-101", "Ana Lopes", nil)
	br := ib.signedIn(t, access.Receptionist)
	p := br.get(requestLink(r.ID) + "?day=2027-01-06")
	forms := convertForms.FindAllStringSubmatch(p.body, -1)
	require.NotEmpty(t, forms)
	first := fields(forms[0][1])
	require.Equal(t, ib.clinic.At(6, 8, 0).Format(time.RFC3339), first.Get("start"), "the day's first free time")
	done := br.post(requestLink(r.ID)+"/convert", first)
	require.Equal(t, http.StatusOK, done.status, done.body)
	require.Equal(t, 1, ib.sessionCount(t))
	got := schedtest.Must(ib.store.Get(context.Background(), r.ID))(t)
	sess := schedtest.Must(ib.Svc.GetSession(context.Background(), *got.SessionID))(t)
	require.True(t, sess.Start.Equal(ib.clinic.At(6, 8, 0)))
}

func TestInboxRejectNeedsAReason(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	r := ib.webRequest(t, "w-101", "Ana Lopes", nil)
	br := ib.signedIn(t, access.Receptionist)
	token := csrf(t, br.get(requestLink(r.ID)))
	p := br.post(requestLink(r.ID)+"/reject", url.Values{"csrf": {token}, "reason": {"  "}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "A rejection needs a reason.")
	require.Equal(t, inbox.StatusNew, ib.status(t, r.ID))
	p = br.post(requestLink(r.ID)+"/reject", url.Values{"csrf": {token}, "reason": {"Asked for a service we do not offer"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Equal(t, inbox.StatusRejected, ib.status(t, r.ID))
	p = br.get(requestLink(r.ID))
	require.Contains(t, p.body, "Rejected: Asked for a service we do not offer")
	require.NotContains(t, p.body, "/convert", "a rejected request is not booked")
	require.NotContains(t, p.body, `action="/console/inbox/`+r.ID.String()+`/reject"`)

	// A booking sent from a page opened before the rejection is refused, and says why.
	p = br.post(requestLink(r.ID)+"/convert", url.Values{"csrf": {token}, "start": {ib.clinic.At(6, 9, 0).Format(time.RFC3339)},
		"doctor": {ib.clinic.Doctor.ID.String()}})
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, "is rejected and cannot be converted")
	require.Equal(t, 0, ib.sessionCount(t))
}

func TestInboxReplyAssignAndHandBack(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	r := ib.telegramRequest(t)
	br := ib.signedIn(t, access.Receptionist)
	page := br.get(requestLink(r.ID))
	token := csrf(t, page)
	require.Contains(t, page.body, "Hello, I need a consultation")
	key := regexp.MustCompile(`name="key" value="(\w+)"`).FindStringSubmatch(page.body)
	require.NotNil(t, key)

	reply := url.Values{"csrf": {token}, "key": {key[1]}, "text": {"Good morning Rui, which day suits you?"}}
	require.Equal(t, http.StatusSeeOther, br.post(requestLink(r.ID)+"/reply", reply).status)
	require.Equal(t, http.StatusSeeOther, br.post(requestLink(r.ID)+"/reply", reply).status, "sent twice")
	require.Len(t, ib.sent.Sent(), 1, "one reply went out")
	require.Equal(t, "7001", ib.sent.Sent()[0].Address)
	page = br.get(requestLink(r.ID))
	require.Contains(t, page.body, "Good morning Rui, which day suits you?")
	require.Contains(t, page.body, `ir-delivery-queued`)
	require.Contains(t, page.body, "receptionist@clinic.test")
	require.Contains(t, page.body, "Hand back to the bot", "a reply takes the conversation from the bot")
	thread := br.get(requestLink(r.ID) + "?fragment=thread")
	require.Equal(t, http.StatusOK, thread.status)
	require.NotContains(t, thread.body, "<html", "the live part alone")
	require.Contains(t, thread.body, "Good morning Rui, which day suits you?")
	summary := br.get(requestLink(r.ID) + "?fragment=summary")
	require.Contains(t, summary.body, "In progress")
	require.Equal(t, inbox.StatusInProgress, ib.status(t, r.ID))
	p := br.post(requestLink(r.ID)+"/reply", url.Values{"csrf": {token}, "text": {" "}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "A reply needs text.")

	require.Equal(t, http.StatusSeeOther, br.post(requestLink(r.ID)+"/assign", url.Values{"csrf": {token}, "assignee": {"me"}}).status)
	require.Contains(t, br.get(requestLink(r.ID)).body, "Handled by receptionist@clinic.test")
	require.Equal(t, http.StatusSeeOther, br.post(requestLink(r.ID)+"/handback", url.Values{"csrf": {token}}).status)
	require.NotContains(t, br.get(requestLink(r.ID)).body, "Hand back to the bot")

	web := ib.webRequest(t, "w-101", "Ana Lopes", nil)
	p = br.post(requestLink(web.ID)+"/reply", url.Values{"csrf": {token}, "text": {"Hello"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, br.get(requestLink(web.ID)).body, "Call or text the patient")
}

func TestInboxEventsNameWhatChanged(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, true)
	br := ib.signedIn(t, access.Doctor)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ib.url+"/console/inbox/events", nil)
	require.NoError(t, err)
	resp, err := br.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	got := sseEvents(t, resp.Body)
	r := ib.webRequest(t, "w-101", "Ana Lopes", nil)
	require.Equal(t, "event: request data: "+r.ID.String(), nextEvent(t, got))
	tg := ib.telegramRequest(t)
	conv := *tg.ConversationID
	require.Equal(t, "event: conversation data: "+conv.String(), nextEvent(t, got))
	require.Equal(t, "event: request data: "+tg.ID.String(), nextEvent(t, got))
}

// sseEvents reads an event stream's first line (sent once the stream follows the inbox) and then
// hands on each event as "event: NAME data: DATA".
func sseEvents(t *testing.T, body io.Reader) <-chan string {
	t.Helper()
	lines := bufio.NewScanner(body)
	require.True(t, lines.Scan())
	require.Equal(t, "retry: 2000", lines.Text(), "the stream follows the inbox")
	got := make(chan string, 8)
	go func() {
		defer close(got)
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), "event: ") {
				event := lines.Text()
				lines.Scan()
				got <- event + " " + lines.Text()
			}
		}
	}()
	return got
}

func nextEvent(t *testing.T, got <-chan string) string {
	t.Helper()
	select {
	case e := <-got:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		return ""
	}
}

func TestInboxIsHiddenWithoutOne(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Receptionist)
	require.NotContains(t, br.get("/console/").body, `href="/console/inbox"`)
	require.Equal(t, http.StatusNotFound, br.get("/console/inbox").status)
}

func TestInboxSuggestsTheFirstFreeTimeAfterATakenOne(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	start := ib.clinic.At(5, 9, 0)
	schedtest.Must(ib.Svc.Book(context.Background(), "desk", ib.clinic.Booking(start)))(t)
	r := ib.webRequest(t, "w-101", "Ana Lopes", &start)
	p := ib.signedIn(t, access.Receptionist).get(requestLink(r.ID))
	require.Contains(t, p.body, "Book Tue 5 Jan at 09:30 with "+ib.clinic.Doctor.Name)
	require.Contains(t, p.body, "The patient asked for Tue 5 Jan 09:00, which is taken")
}

func TestInboxSendsAFailedMessageAgain(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	r := ib.telegramRequest(t)
	ctx := context.Background()
	conv, err := ib.store.Conversation(ctx, *r.ConversationID)
	require.NoError(t, err)
	msg, err := ib.store.Say(ctx, nil, conv, inbox.Outbound{Text: "We will call you at 9."})
	require.NoError(t, err)
	require.NoError(t, ib.store.SetDelivery(ctx, msg.ID, inbox.DeliveryFailed, "Telegram: bot was blocked by the user"))
	other := ib.webRequest(t, "w-101", "Ana Lopes", nil)

	br := ib.signedIn(t, access.Receptionist)
	p := br.get(requestLink(r.ID))
	require.Contains(t, p.body, "Telegram: bot was blocked by the user")
	resend := requestLink(r.ID) + "/messages/" + msg.ID.String() + "/resend"
	require.Contains(t, p.body, `action="`+resend+`"`)
	token := csrf(t, p)
	require.Equal(t, http.StatusNotFound, br.post(requestLink(other.ID)+"/messages/"+msg.ID.String()+"/resend",
		url.Values{"csrf": {token}}).status, "only a message of the request's own conversation")
	require.Equal(t, http.StatusForbidden, ib.signedIn(t, access.Doctor).post(resend, url.Values{"csrf": {token}}).status)
	require.Empty(t, ib.resent.retried())
	require.Equal(t, http.StatusSeeOther, br.post(resend, url.Values{"csrf": {token}}).status)
	require.Equal(t, []scheduling.ID{msg.ID}, ib.resent.retried())
	p = br.get(requestLink(r.ID))
	require.NotContains(t, p.body, `action="`+resend+`"`, "a queued message is not offered again")
	require.Contains(t, p.body, "ir-delivery-queued")
}
