package console

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

// inboxPageSize is how many requests one page of the list shows.
const inboxPageSize = 25

// inboxTab is one filter of the list with its count: a status or a channel.
type inboxTab struct {
	Value, Label, URL string
	Count             int
	Current           bool
}

// inboxRow is one request in the list.
type inboxRow struct {
	ID                    scheduling.ID
	Link                  string
	Name, Phone           string
	Channel, ChannelLabel string
	Status, StatusLabel   string
	Asked, Message        string
	When                  string
	Assignee              string
}

// inboxListView is the list page and its live fragment.
type inboxListView struct {
	Status, Channel string
	Statuses        []inboxTab
	Channels        []inboxTab
	Rows            []inboxRow
	// Newer goes back to the first page; Older continues after this one.
	Newer, Older string
	// Fragment is the list's own address, which the page's script fetches when the inbox changes;
	// Stream is the change stream ("" without a follower).
	Fragment, Stream string
	// New is how many requests are new, for the top bar's badge.
	New int
}

// listURL is the list's address for a status, channel and cursor.
func listURL(status, channel, cursor string, extra ...string) string {
	v := url.Values{}
	if status != "" {
		v.Set("status", status)
	}
	if channel != "" {
		v.Set("channel", channel)
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return inboxPath
	}
	return inboxPath + "?" + v.Encode()
}

// inboxList shows the requests, newest first, filtered by status and channel with a count on each
// filter; with fragment=1 only the list itself, which the page fetches again as requests arrive.
func (con *Console) inboxList(c *gin.Context) {
	ctx := c.Request.Context()
	status, channel, cursor := c.Query("status"), c.Query("channel"), c.Query("cursor")
	if status != "" && !slices.Contains(inboxStatuses, inbox.Status(status)) {
		con.errorPage(c, http.StatusBadRequest, "Unknown status", "The inbox lists new, in progress, converted, rejected or expired requests.")
		return
	}
	if channel != "" && !slices.Contains(inbox.Channels, inbox.Channel(channel)) {
		con.errorPage(c, http.StatusBadRequest, "Unknown channel", "Requests come from the web form, the chatbot, WhatsApp or Telegram.")
		return
	}
	page, err := con.inbox.List(ctx, inbox.Filter{Status: inbox.Status(status), Channel: inbox.Channel(channel),
		Cursor: cursor, Limit: inboxPageSize})
	if de, ok := asDomain(err); ok && de.Code == "invalid_cursor" {
		c.Redirect(http.StatusSeeOther, listURL(status, channel, ""))
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	cat, err := con.catalog(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	v := inboxListView{Status: status, Channel: channel, Fragment: listURL(status, channel, cursor, "fragment", "1")}
	if con.inboxFeed != nil {
		v.Stream = inboxPath + "/events"
	}
	all := 0
	for _, st := range inboxStatuses {
		all += page.Counts.Status[st]
	}
	v.Statuses = append(v.Statuses, inboxTab{Label: "All", Count: all, Current: status == "", URL: listURL("", channel, "")})
	for _, st := range inboxStatuses {
		v.Statuses = append(v.Statuses, inboxTab{Value: string(st), Label: requestStatusLabels[st], Count: page.Counts.Status[st],
			Current: status == string(st), URL: listURL(string(st), channel, "")})
	}
	all = 0
	for _, ch := range inbox.Channels {
		all += page.Counts.Channel[ch]
	}
	v.Channels = append(v.Channels, inboxTab{Label: "All channels", Count: all, Current: channel == "", URL: listURL(status, "", "")})
	for _, ch := range inbox.Channels {
		v.Channels = append(v.Channels, inboxTab{Value: string(ch), Label: channelLabels[ch], Count: page.Counts.Channel[ch],
			Current: channel == string(ch), URL: listURL(status, string(ch), "")})
	}
	now := con.now()
	for _, l := range page.Items {
		r := l.Request
		v.Rows = append(v.Rows, inboxRow{ID: r.ID, Link: requestLink(r.ID), Name: nameOr(r.Name), Phone: r.Phone,
			Channel: string(r.Channel), ChannelLabel: channelLabels[r.Channel], Status: string(r.Status),
			StatusLabel: requestStatusLabels[r.Status], Asked: cat.asked(r.Requested), Message: firstLine(lastWords(l)),
			When: whenText(r.CreatedAt, now, cat.zone(r.Requested.BranchID)), Assignee: r.Assignee})
	}
	if cursor != "" {
		v.Newer = listURL(status, channel, "")
	}
	if page.NextCursor != "" {
		v.Older = listURL(status, channel, page.NextCursor)
	}
	if v.New, err = con.newRequestCount(ctx); err != nil {
		con.fail(c, err)
		return
	}
	if c.Query("fragment") != "" {
		var buf bytes.Buffer
		if err := con.pages["inbox"].ExecuteTemplate(&buf, "inbox-list", v); err != nil {
			con.log.ErrorContext(ctx, "inbox list failed", "err", err)
			c.String(http.StatusInternalServerError, "The inbox could not be shown. Please reload the page.")
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
		return
	}
	con.render(c, http.StatusOK, "inbox", "Inbox", v)
}

// requestLink is a request's page.
func requestLink(id scheduling.ID) string { return inboxPath + "/" + id.String() }

func nameOr(name string) string {
	if name == "" {
		return "Unnamed patient"
	}
	return name
}

// lastWords is what the patient wrote: the request's message, else their latest message.
func lastWords(l inbox.Lead) string {
	if l.Requested.Text != "" {
		return l.Requested.Text
	}
	for i := len(l.Messages) - 1; i >= 0; i-- {
		if m := l.Messages[i]; m.Direction == inbox.In && m.Text != "" {
			return m.Text
		}
	}
	return ""
}

// firstLine is the start of a text for a one-line summary.
func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			s = s[:i]
			break
		}
	}
	if r := []rune(s); len(r) > 90 {
		return string(r[:89]) + "…"
	}
	return s
}
