package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/web/access"
)

// fact is one line of what a request asked for.
type fact struct{ Label, Value string }

// bubble is one message of the conversation as the page shows it.
type bubble struct {
	ID       scheduling.ID
	Dir      string // in, out
	Text     string
	By       string
	When     string
	Choices  []string
	Delivery string // received, queued, sent, failed
	Error    string
}

// convertResult is what a conversion made, shown on the page right after it.
type convertResult struct {
	SessionLink, ConfirmURL string
	Replayed                bool
}

// requestView is a request's page.
type requestView struct {
	CSRF   string
	CanAct bool
	// CanResend offers "Send again" under a message that failed.
	CanResend                 bool
	MyID                      int64
	ID                        scheduling.ID
	Name, Phone, Lang         string
	Channel, ChannelLabel     string
	Status, StatusLabel       string
	Created                   string
	Assignee, RejectReason    string
	AssigneeID                int64
	Asked                     []fact
	Open                      bool
	HasConversation, Handover bool
	Messages                  []bubble
	// ReplyKey makes a reply sent twice (a double tap, a resent form) go out once.
	ReplyKey, ReplyText string
	Users               []option
	Suggested           *inboxSlot
	// Asks is the time the patient asked for when the suggestion differs; AsksPast says it has passed
	// (else it is taken).
	Asks         string
	AsksPast     bool
	Picker       pickerView
	Alternatives []inboxSlot
	// Errors by form: "convert", "reply", "reject", "assign", "handback", "whatsapp" (Send again on
	// the WhatsApp card).
	Errors       map[string]string
	Result       *convertResult
	SessionLink  string
	Confirmation string
	// Summary and Thread are the page's live parts; Stream is the change stream ("" without one).
	Summary, Thread, Stream string
	ConversationID          scheduling.ID
	// WhatsApp is the patient's consent to WhatsApp messages given with a form request; nil without.
	WhatsApp *whatsappConsentView
}

// whatsappConsentView is a form request's consent to WhatsApp messages as staff see it: when and how
// it was given, a STOP the patient wrote since, and the confirmation sent there with its delivery.
type whatsappConsentView struct {
	Phone, Given, Via, Wording string
	// Stopped is when the patient wrote STOP on WhatsApp, "" unless that still holds.
	Stopped      string
	Confirmation *bubble
}

// consentVia says how a patient gave their consent to WhatsApp messages.
var consentVia = map[string]string{inbox.ConsentViaForm: "on the booking form", inbox.ConsentViaAPI: "through the booking API"}

// pickerView is the small availability picker: a day's free slots for an examination at a branch.
type pickerView struct {
	Branch, Exam, Doctor scheduling.ID
	Day                  string
	Branches, Exams      []option
	Doctors              []option
	Slots                []inboxSlot
	Note                 string
	// DayLabel names the day whose free times are listed; Open shows the picker unfolded.
	DayLabel string
	Open     bool
}

// inboxRequest shows one request with its whole conversation, or with fragment=summary|thread only
// that part, which the page fetches again when the request or its conversation changes.
func (con *Console) inboxRequest(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	switch part := c.Query("fragment"); part {
	case "summary", "thread":
		v, _, _, err := con.requestParts(c, id)
		if err != nil {
			con.fail(c, err)
			return
		}
		var buf bytes.Buffer
		if err := con.pages["inbox_request"].ExecuteTemplate(&buf, "ir-"+part, v); err != nil {
			con.log.ErrorContext(c.Request.Context(), "inbox request part failed", "part", part, "err", err)
			c.String(http.StatusInternalServerError, "This part of the page could not be shown. Please reload the page.")
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
		return
	}
	v, err := con.requestView(c, id, c.Query)
	if err != nil {
		con.fail(c, err)
		return
	}
	v.bindSlots()
	con.render(c, http.StatusOK, "inbox_request", "Request from "+v.Name, v)
}

// requestView loads the request's page: its live parts (requestParts), what it asked for, a form
// request's WhatsApp consent and, for the desk while it is open, the suggested slot and the picker's
// day (its branch, examination, doctor and day from get, else the request's).
func (con *Console) requestView(c *gin.Context, id scheduling.ID, get func(string) string) (*requestView, error) {
	ctx := c.Request.Context()
	v, r, cat, err := con.requestParts(c, id)
	if err != nil {
		return nil, err
	}
	v.Asked = askedFacts(cat, r)
	if r.ConversationID == nil {
		if v.WhatsApp, err = con.whatsappConsent(ctx, r.ID, cat.zone(r.Requested.BranchID)); err != nil {
			return nil, err
		}
	}
	if !v.CanAct {
		return v, nil
	}
	if v.Users, err = con.assignable(ctx, r.AssigneeID); err != nil {
		return nil, err
	}
	if v.Open {
		if err := con.pickSlots(ctx, v, cat, r, get); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// requestParts loads what the page's live parts show, which the page fetches again on every change
// it hears: the request's summary and its conversation.
func (con *Console) requestParts(c *gin.Context, id scheduling.ID) (*requestView, inbox.Request, *catalog, error) {
	ctx := c.Request.Context()
	a := signedIn(c)
	lead, err := con.inbox.Get(ctx, id)
	if err != nil {
		return nil, inbox.Request{}, nil, err
	}
	cat, err := con.catalog(ctx)
	if err != nil {
		return nil, inbox.Request{}, nil, err
	}
	r := lead.Request
	loc, now := cat.zone(r.Requested.BranchID), con.now()
	v := &requestView{CSRF: a.CSRF, CanAct: slices.Contains(deskRoles, a.Role), MyID: a.UserID, ID: r.ID,
		Name: nameOr(r.Name), Phone: r.Phone, Lang: r.Lang, Channel: string(r.Channel), ChannelLabel: channelLabels[r.Channel],
		Status: string(r.Status), StatusLabel: requestStatusLabels[r.Status], Created: whenText(r.CreatedAt, now, loc),
		Assignee: r.Assignee, RejectReason: r.RejectReason, Confirmation: r.Confirmation, Errors: map[string]string{},
		Open:    r.Status == inbox.StatusNew || r.Status == inbox.StatusInProgress || r.Status == inbox.StatusExpired,
		Summary: requestLink(id) + "?fragment=summary", Thread: requestLink(id) + "?fragment=thread", ReplyKey: replyKey()}
	if r.AssigneeID != nil {
		v.AssigneeID = int64(*r.AssigneeID)
	}
	if r.SessionID != nil {
		v.SessionLink = sessionLink(*r.SessionID)
	}
	if con.inboxFeed != nil {
		v.Stream = inboxPath + "/events"
	}
	v.CanResend = v.CanAct && con.resend != nil
	if r.ConversationID != nil {
		v.HasConversation, v.ConversationID = true, *r.ConversationID
		conv, err := con.inbox.Conversation(ctx, *r.ConversationID)
		if err != nil {
			return nil, inbox.Request{}, nil, err
		}
		v.Handover = conv.Handover
		if v.Phone == "" {
			v.Phone = conv.Phone
		}
	}
	for _, m := range lead.Messages {
		v.Messages = append(v.Messages, bubbleOf(m, now, loc))
	}
	return v, r, cat, nil
}

// whatsappConsent is the consent to WhatsApp messages given with form request id as staff see it;
// nil when none was given.
func (con *Console) whatsappConsent(ctx context.Context, id scheduling.ID, loc *time.Location) (*whatsappConsentView, error) {
	wa, err := con.inbox.WhatsAppConsentOf(ctx, id)
	if err != nil || wa == nil {
		return nil, err
	}
	now := con.now()
	v := &whatsappConsentView{Phone: wa.Phone, Given: whenText(wa.GivenAt, now, loc), Via: consentVia[wa.Via], Wording: wa.Wording}
	if !wa.OptedOut.IsZero() {
		v.Stopped = whenText(wa.OptedOut, now, loc)
	}
	if wa.Confirmation != nil {
		b := bubbleOf(*wa.Confirmation, now, loc)
		v.Confirmation = &b
	}
	return v, nil
}

// bubbleOf is a message as the page shows it.
func bubbleOf(m inbox.Message, now time.Time, loc *time.Location) bubble {
	b := bubble{ID: m.ID, Dir: string(m.Direction), Text: m.Text, By: m.By, When: whenText(m.At, now, loc),
		Delivery: string(m.Delivery), Error: m.Error}
	if b.Dir == string(inbox.Out) && b.By == "" {
		b.By = "Bot"
	}
	for _, ch := range m.Choices {
		b.Choices = append(b.Choices, ch.Label)
	}
	return b
}

// askedFacts lists what the request asked for, its custom fields in name order.
func askedFacts(cat *catalog, r inbox.Request) []fact {
	var out []fact
	add := func(label, value string) {
		if value != "" {
			out = append(out, fact{label, value})
		}
	}
	q := r.Requested
	if q.ExaminationID != nil {
		add("Examination", cat.exams[*q.ExaminationID])
	}
	if q.BranchID != nil {
		add("Branch", cat.branchName(*q.BranchID))
	}
	if q.DoctorID != nil {
		add("Doctor", cat.doctors.names[*q.DoctorID])
	}
	if q.Start != nil {
		add("Preferred time", q.Start.In(cat.zone(q.BranchID)).Format("Monday 2 January 2006, 15:04"))
	}
	add("Message", q.Text)
	keys := make([]string, 0, len(q.Fields))
	for k := range q.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(k, q.Fields[k])
	}
	return out
}

// assignable are the users a request can be given to: the desk roles who may sign in.
func (con *Console) assignable(ctx context.Context, current *scheduling.ID) ([]option, error) {
	users, err := con.acc.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, u := range users {
		if u.DisabledAt != nil || u.Role == access.Doctor {
			continue
		}
		out = append(out, option{ID: scheduling.ID(u.ID), Name: u.Email, Selected: current != nil && *current == scheduling.ID(u.ID)})
	}
	return out, nil
}

func replyKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
