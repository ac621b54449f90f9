package console

import (
	"bufio"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/changefeed"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// queueBundle is a console whose Monday 4 January 2027 queue tells the sorts apart: four patients of
// Ana Ferreira at 09:00, 09:30, 10:00 and 10:30, booked at 06:00, 06:10, 06:05 and 06:20, of which
// the 10:00 patient checked in at 08:40 and the 09:00 one at 08:45; and one patient of another doctor
// at 09:00, checked in at 08:30. The clock stands at 08:50.
//
//	arrival: s10 s09 s0930 s1030   time: s09 s0930 s10 s1030   newest: s1030 s0930 s10 s09
type queueBundle struct {
	*testBundle
	s09, s0930, s10, s1030 scheduling.ID
	other                  *scheduling.Doctor
	otherSession           scheduling.ID
}

func setupQueue(t *testing.T) *queueBundle {
	t.Helper()
	tb := &queueBundle{testBundle: setup(t)}
	c, ctx := tb.clinic, context.Background()
	tb.other = c.AddDoctor(t, tb.Svc, "Rui Costa")
	exam := c.AddExamination(t, tb.Svc, "OTHER", false, tb.other.ID)
	book := func(i int, bookedAt time.Time, hour, minute int, doctor scheduling.ID) scheduling.ID {
		*tb.Clock = bookedAt
		in := c.Booking(c.At(4, hour, minute))
		if in.DoctorID = doctor; doctor != c.Doctor.ID {
			in.ExaminationIDs = []scheduling.ID{exam.ID}
		}
		in.PatientID = c.AddPatient(t, tb.Svc, i).ID
		return schedtest.Must(tb.Svc.Book(ctx, "desk", in))(t).ID
	}
	tb.s09 = book(1, c.At(4, 6, 0), 9, 0, c.Doctor.ID)
	tb.s0930 = book(2, c.At(4, 6, 10), 9, 30, c.Doctor.ID)
	tb.s10 = book(3, c.At(4, 6, 5), 10, 0, c.Doctor.ID)
	tb.s1030 = book(4, c.At(4, 6, 20), 10, 30, c.Doctor.ID)
	tb.otherSession = book(5, c.At(4, 6, 1), 9, 0, tb.other.ID)
	for _, in := range []struct {
		at time.Time
		id scheduling.ID
	}{{c.At(4, 8, 30), tb.otherSession}, {c.At(4, 8, 40), tb.s10}, {c.At(4, 8, 45), tb.s09}} {
		*tb.Clock = in.at
		schedtest.Must(tb.Svc.CheckIn(ctx, "desk", in.id))(t)
	}
	*tb.Clock = c.At(4, 8, 50)
	return tb
}

var rowID = regexp.MustCompile(`<tr class="q-row[^"]*" data-id="(\d+)"`)

// rows are the session ids of a board's rows, top to bottom.
func rows(t *testing.T, p page) []scheduling.ID {
	t.Helper()
	require.Equal(t, http.StatusOK, p.status, p.body)
	var out []scheduling.ID
	for _, m := range rowID.FindAllStringSubmatch(p.body, -1) {
		out = append(out, idOf(m[1]))
	}
	return out
}

func (tb *queueBundle) board(br *browser, query string) page {
	br.t.Helper()
	return br.get("/console/queue?branch=" + tb.clinic.Branch.ID.String() + "&" + query)
}

// order posts a kept order as the board's script does.
func (tb *queueBundle) order(br *browser, token string, ids ...scheduling.ID) page {
	br.t.Helper()
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	return br.do(http.MethodPost, "/console/queue/order", url.Values{"branch": {tb.clinic.Branch.ID.String()},
		"doctor": {tb.clinic.Doctor.ID.String()}, "sort": {"manual"}, "order": {strings.Join(parts, ",")}},
		http.Header{"Accept": {"application/json"}, csrfHeader: {token}})
}

func TestQueueBoardListsEachSortInItsOrder(t *testing.T) {
	t.Parallel()
	tb := setupQueue(t)
	br := tb.signedIn(t, access.Receptionist)
	doctor := "doctor=" + tb.clinic.Doctor.ID.String() + "&sort="
	for sort, want := range map[string][]scheduling.ID{
		"arrival": {tb.s10, tb.s09, tb.s0930, tb.s1030},
		"time":    {tb.s09, tb.s0930, tb.s10, tb.s1030},
		"newest":  {tb.s1030, tb.s0930, tb.s10, tb.s09},
		"manual":  {tb.s10, tb.s09, tb.s0930, tb.s1030},
	} {
		p := tb.board(br, doctor+sort)
		require.Equal(t, want, rows(t, p), sort)
		require.Contains(t, p.body, `aria-current="true">`+sortLabels[sort]+`<`, sort)
	}

	// The whole branch: both doctors; the page says who waits, since when, and who is expected when.
	p := tb.board(br, "")
	require.Equal(t, []scheduling.ID{tb.otherSession, tb.s10, tb.s09, tb.s0930, tb.s1030}, rows(t, p))
	for _, want := range []string{"Rui Costa", "Ana Ferreira", "20 min", "10 min", "Not arrived", "1 ahead", "next",
		"Monday 4 January 2027", ">Check in<", "/cancel?", `href="/console/queue"`, "Call next"} {
		if want == "Call next" {
			require.NotContains(t, p.body, want, "only a doctor calls the next patient")
			continue
		}
		require.Contains(t, p.body, want)
	}
	require.NotContains(t, p.body, ">Open<", "the front desk does not open a session for the doctor")
	require.NotContains(t, p.body, "q-handle", "rows are dragged in the manual order only")

	// The fragment is the board alone, for the live refresh.
	frag := tb.board(br, "sort=time&fragment=1")
	require.Equal(t, []scheduling.ID{tb.s09, tb.otherSession, tb.s0930, tb.s10, tb.s1030}, rows(t, frag))
	require.NotContains(t, frag.body, "<html")

	require.Equal(t, http.StatusBadRequest, tb.board(br, "sort=alphabet").status)
	require.Equal(t, http.StatusBadRequest, br.get("/console/queue?branch=999999").status)
}

func TestQueueReorderIsKeptAndAStaleOrderIsRefused(t *testing.T) {
	t.Parallel()
	tb := setupQueue(t)
	br := tb.signedIn(t, access.Receptionist)
	manual := "doctor=" + tb.clinic.Doctor.ID.String() + "&sort=manual"
	first := tb.board(br, manual)
	require.Contains(t, first.body, "q-handle", "the manual order can be dragged")
	token := csrf(t, first)

	p := tb.order(br, token, tb.s1030, tb.s09, tb.s0930, tb.s10)
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.JSONEq(t, `{"message":"The order is saved."}`, p.body)
	require.Equal(t, []scheduling.ID{tb.s1030, tb.s09, tb.s0930, tb.s10}, rows(t, tb.board(br, manual)), "the order is kept")
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, tb.s0930, tb.s1030}, rows(t, tb.board(br, "doctor="+tb.clinic.Doctor.ID.String())),
		"the other sorts are as they were")

	// The arrows beside a row move it one place, without a script.
	form := url.Values{"csrf": {token}, "branch": {tb.clinic.Branch.ID.String()}, "doctor": {tb.clinic.Doctor.ID.String()},
		"sort": {"manual"}, "order": {strings.Join([]string{tb.s1030.String(), tb.s09.String(), tb.s0930.String(), tb.s10.String()}, ",")},
		"move": {tb.s10.String()}, "dir": {"up"}}
	p = br.post("/console/queue/order", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/queue?branch="+tb.clinic.Branch.ID.String()+"&doctor="+tb.clinic.Doctor.ID.String()+"&sort=manual", p.location())
	after := br.get(p.location())
	require.Equal(t, []scheduling.ID{tb.s1030, tb.s09, tb.s10, tb.s0930}, rows(t, after))
	require.Contains(t, after.body, "The order is saved.")

	// A patient booked meanwhile makes the order the board showed stale: refused whole, with a message.
	in := tb.clinic.Booking(tb.clinic.At(4, 11, 0))
	in.PatientID = tb.clinic.AddPatient(t, tb.Svc, 9).ID
	late := schedtest.Must(tb.Svc.Book(context.Background(), "desk", in))(t).ID
	p = tb.order(br, token, tb.s09, tb.s1030, tb.s10, tb.s0930)
	require.Equal(t, http.StatusConflict, p.status, p.body)
	var refused struct {
		Error struct{ Code, Message string }
	}
	require.NoError(t, json.Unmarshal([]byte(p.body), &refused))
	require.Equal(t, "queue_changed", refused.Error.Code)
	require.Contains(t, refused.Error.Message, "The queue changed while you were ordering it")
	require.Equal(t, []scheduling.ID{tb.s1030, tb.s09, tb.s10, tb.s0930, late}, rows(t, tb.board(br, manual)),
		"the kept order stays, the new patient after it")

	// Without a script the same refusal comes back to the board as a message.
	form.Del("move")
	form.Set("order", strings.Join([]string{tb.s09.String(), tb.s1030.String(), tb.s10.String(), tb.s0930.String()}, ","))
	p = br.post("/console/queue/order", form)
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, br.get(p.location()).body, "please order it again")

	// Bad orders are refused with a reason.
	for _, bad := range []string{"", "x,1", "1,1"} {
		form.Set("order", bad)
		p = br.do(http.MethodPost, "/console/queue/order", form, http.Header{"Accept": {"application/json"}})
		require.Equal(t, http.StatusBadRequest, p.status, bad)
		require.Contains(t, p.body, `"error"`, bad)
	}
}

func TestQueueOrderRefusedToDoctorsAndWithoutCSRF(t *testing.T) {
	t.Parallel()
	tb := setupQueue(t)
	desk := tb.signedIn(t, access.Receptionist)
	token := csrf(t, tb.board(desk, "sort=manual"))

	doc := tb.signedIn(t, access.Doctor)
	docToken := csrf(t, tb.board(doc, "sort=manual"))
	require.NotContains(t, tb.board(doc, "sort=manual").body, "q-handle", "a doctor's board is not dragged")
	p := tb.order(doc, docToken, tb.s1030, tb.s09, tb.s0930, tb.s10)
	require.Equal(t, http.StatusForbidden, p.status)

	for name, header := range map[string]http.Header{
		"missing": {"Accept": {"application/json"}},
		"wrong":   {"Accept": {"application/json"}, csrfHeader: {token + "x"}},
	} {
		p := desk.do(http.MethodPost, "/console/queue/order", url.Values{"branch": {tb.clinic.Branch.ID.String()},
			"doctor": {tb.clinic.Doctor.ID.String()}, "order": {tb.s1030.String() + "," + tb.s09.String() + "," + tb.s0930.String() + "," + tb.s10.String()}}, header)
		require.Equal(t, http.StatusForbidden, p.status, name)
	}
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, tb.s0930, tb.s1030},
		rows(t, tb.board(desk, "doctor="+tb.clinic.Doctor.ID.String()+"&sort=manual")), "no order was kept")

	// The front desk does not open or complete a session; a doctor does not check in.
	open := desk.post("/console/queue/sessions/"+tb.s10.String()+"/open", url.Values{"csrf": {token}})
	require.Equal(t, http.StatusForbidden, open.status)
	checkIn := doc.post("/console/queue/sessions/"+tb.s0930.String()+"/check-in", url.Values{"csrf": {docToken}})
	require.Equal(t, http.StatusForbidden, checkIn.status)
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, tb.s10))
}

func TestQueueDoctorSeesOnlyTheirLineAndCallsTheNextArrivedPatient(t *testing.T) {
	t.Parallel()
	tb := setupQueue(t)
	doc := tb.signedIn(t, access.Doctor)
	// Their own line whatever doctor the address names.
	p := tb.board(doc, "doctor="+tb.other.ID.String())
	require.Equal(t, []scheduling.ID{tb.s10, tb.s09, tb.s0930, tb.s1030}, rows(t, p))
	require.NotContains(t, p.body, "Rui Costa")
	require.Contains(t, p.body, "Your queue")
	require.NotContains(t, p.body, `id="q-doctor"`, "a doctor has no doctor filter")

	// The desk kept an order that puts a patient who has not arrived first: "call next" skips them.
	desk := tb.signedIn(t, access.Receptionist)
	deskToken := csrf(t, tb.board(desk, ""))
	require.Equal(t, http.StatusOK, tb.order(desk, deskToken, tb.s0930, tb.s09, tb.s10, tb.s1030).status)
	p = tb.board(doc, "")
	require.Contains(t, p.body, "Call next: "+tb.name(t, tb.s09))
	token := csrf(t, p)

	// A stale button (it named another patient) calls nobody.
	stale := doc.post("/console/queue/next", url.Values{"csrf": {token}, "branch": {tb.clinic.Branch.ID.String()}, "expect": {tb.s10.String()}})
	require.Equal(t, http.StatusSeeOther, stale.status)
	require.Contains(t, doc.get(stale.location()).body, tb.name(t, tb.s09)+" is next now")
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, tb.s09))

	next := doc.post("/console/queue/next", url.Values{"csrf": {token}, "branch": {tb.clinic.Branch.ID.String()}, "expect": {tb.s09.String()}})
	require.Equal(t, http.StatusSeeOther, next.status, next.body)
	require.Equal(t, sessionLink(tb.s09), next.location(), "the doctor goes to the session they opened")
	require.Equal(t, scheduling.StatusOpen, tb.status(t, tb.s09))
	require.Contains(t, doc.get(next.location()).body, "Called "+tb.name(t, tb.s09))
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, tb.otherSession), "another doctor's patient is never called")

	// With the patient open, the board offers to complete; next is the other arrived patient.
	p = tb.board(doc, "")
	require.Contains(t, p.body, ">Complete<")
	require.Contains(t, p.body, "Call next: "+tb.name(t, tb.s10))

	// The desk does not call patients in for a doctor.
	refused := desk.post("/console/queue/next", url.Values{"csrf": {deskToken}, "branch": {tb.clinic.Branch.ID.String()}})
	require.Equal(t, http.StatusForbidden, refused.status)
}

func TestQueueRowMovesComeBackToTheBoard(t *testing.T) {
	t.Parallel()
	tb := setupQueue(t)
	desk := tb.signedIn(t, access.Receptionist)
	back := url.Values{"branch": {tb.clinic.Branch.ID.String()}, "sort": {"time"}}
	board := tb.board(desk, back.Encode())
	token := csrf(t, board)
	back.Set("csrf", token)

	p := desk.post("/console/queue/sessions/"+tb.s0930.String()+"/check-in", back)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/queue?branch="+tb.clinic.Branch.ID.String()+"&sort=time", p.location())
	require.Contains(t, desk.get(p.location()).body, tb.name(t, tb.s0930)+" checked in.")
	require.Equal(t, scheduling.StatusWaiting, tb.status(t, tb.s0930))

	// The script asks for JSON and gets the message; a refused move says why.
	p = desk.do(http.MethodPost, "/console/queue/sessions/"+tb.s0930.String()+"/check-in", back, http.Header{"Accept": {"application/json"}})
	require.Equal(t, http.StatusConflict, p.status, p.body)
	require.Contains(t, p.body, `"message"`)
	p = desk.do(http.MethodPost, "/console/queue/sessions/999999/check-in", back, http.Header{"Accept": {"application/json"}})
	require.Equal(t, http.StatusNotFound, p.status, p.body)

	// Cancelling asks a reason from the clinic's list, then comes back to the board.
	cancel := desk.get("/console/queue/sessions/" + tb.s1030.String() + "/cancel?" + url.Values{"branch": {tb.clinic.Branch.ID.String()}, "sort": {"time"}}.Encode())
	require.Equal(t, http.StatusOK, cancel.status, cancel.body)
	reasons := schedtest.Must(tb.Svc.CancelReasons(context.Background()))(t)
	require.NotEmpty(t, reasons)
	require.Contains(t, cancel.body, reasons[0])
	form := url.Values{"csrf": {token}, "branch": {tb.clinic.Branch.ID.String()}, "sort": {"time"}}
	p = desk.post("/console/queue/sessions/"+tb.s1030.String()+"/cancel", form)
	require.Equal(t, http.StatusBadRequest, p.status, "a reason is required")
	require.Contains(t, p.body, "Choose a reason")
	form.Set("reason", reasons[0])
	p = desk.post("/console/queue/sessions/"+tb.s1030.String()+"/cancel", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/queue?branch="+tb.clinic.Branch.ID.String()+"&sort=time", p.location())
	after := desk.get(p.location())
	require.Contains(t, after.body, "Cancelled "+tb.name(t, tb.s1030))
	require.NotContains(t, rows(t, after), tb.s1030, "a cancelled session leaves the queue")
}

func TestQueueEventsFollowTheBranch(t *testing.T) {
	t.Parallel()
	tb := setupQueue(t)
	branch := tb.clinic.Branch.ID.String()

	// Without a feed the board works without following changes, and the stream says not to wait.
	base := tb.serveAll(t, tb.deps)
	desk := browserAt(t, base)
	require.Equal(t, http.StatusSeeOther, desk.signin(tb.emails[access.Receptionist], testPassword, "").status)
	require.NotContains(t, tb.board(desk, "").body, "data-stream")
	require.Equal(t, http.StatusNoContent, desk.get("/console/queue/events?branch="+branch).status)

	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	deps := tb.deps
	done := make(chan struct{})
	deps.Done = done
	deps.Feed = changefeed.New(tb.Pool, deps.Logger)
	go deps.Feed.Run(ctx)
	<-deps.Feed.Ready()
	base = tb.serveAll(t, deps)
	desk = browserAt(t, base)
	require.Equal(t, http.StatusSeeOther, desk.signin(tb.emails[access.Receptionist], testPassword, "").status)
	require.Contains(t, tb.board(desk, "").body, `data-stream="/console/queue/events?branch=`+branch+`"`)
	require.Equal(t, http.StatusNotFound, desk.get("/console/queue/events?branch=999999").status)
	require.Equal(t, http.StatusSeeOther, browserAt(t, base).get("/console/queue/events?branch="+branch).status,
		"the stream is for signed-in staff")

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/console/queue/events?branch="+branch, nil)
	require.NoError(t, err)
	resp, err := desk.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	lines := bufio.NewScanner(resp.Body)
	require.True(t, lines.Scan())
	require.Equal(t, "retry: 2000", lines.Text(), "the stream is open before the change")

	schedtest.Must(tb.Svc.CheckIn(context.Background(), "desk", tb.s0930))(t)
	got := make(chan string, 2)
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
	next := func() string {
		select {
		case e := <-got:
			return e
		case <-time.After(10 * time.Second):
			t.Fatal("no event")
			return ""
		}
	}
	require.Equal(t, "event: change data: "+tb.s0930.String(), next(), "a check-in at the branch")

	// A shutting-down server ends the stream; the board reloads and the browser reconnects.
	close(done)
	require.Equal(t, "event: reload data: {}", next())
	_, open := <-got
	require.False(t, open, "the stream ended")
}

// serveAll serves a console's pages and streams and returns its URL.
func (tb *queueBundle) serveAll(t *testing.T, deps Deps) string {
	t.Helper()
	con, err := New(deps)
	require.NoError(t, err)
	r := gin.New()
	con.Mount(r)
	con.MountStreams(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

// name is a session's patient's name, as a page writes it.
func (tb *queueBundle) name(t *testing.T, id scheduling.ID) string {
	t.Helper()
	name := schedtest.Must(tb.Svc.GetSession(context.Background(), id))(t).PatientName
	return strings.ReplaceAll(template.HTMLEscapeString(name), "+", "&#43;")
}
