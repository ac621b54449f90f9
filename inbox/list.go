package inbox

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// Filter selects requests in the inbox; zero fields select everything.
type Filter struct {
	Status  Status
	Channel Channel
	// AssigneeID selects the requests of one staff user; Unassigned those of nobody.
	AssigneeID *ID
	Unassigned bool
	// Cursor continues a previous page; Limit is the page size (default 50, at most 200).
	Cursor string
	Limit  int
}

// Lead is a request with its conversation's messages, oldest first.
type Lead struct {
	Request
	Messages []Message `json:"messages"`
}

// Counts are how many requests there are per status and per channel. The status counts respect every
// filter but the status, the channel counts every filter but the channel, so each tab shows what
// choosing it would list.
type Counts struct {
	Status  map[Status]int  `json:"status"`
	Channel map[Channel]int `json:"channel"`
}

// Page is one page of the inbox, newest first.
type Page struct {
	Items      []Lead `json:"items"`
	Counts     Counts `json:"counts"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// listMessages is how many of a conversation's latest messages a list shows; Get shows them all.
const listMessages = 20

// List returns a page of requests, newest first, with counts per status and per channel.
func (s *Store) List(ctx context.Context, f Filter) (*Page, error) {
	if f.Status != "" && !validStatus(f.Status) {
		return nil, invalid("invalid_status", "status %q is not one of new, in_progress, converted, rejected, expired", f.Status)
	}
	if f.Channel != "" && !validChannel(f.Channel) {
		return nil, invalid("invalid_channel", "channel %q is not one of web_form, chatbot, whatsapp, telegram", f.Channel)
	}
	switch {
	case f.Limit == 0:
		f.Limit = 50
	case f.Limit < 0 || f.Limit > 200:
		return nil, rule("invalid_limit", "limit must be between 1 and 200")
	}
	scope := fmt.Sprintf("inbox|%s|%s|%v|%d", f.Status, f.Channel, f.Unassigned, derefID(f.AssigneeID))
	where, args := f.where(true, true)
	if f.Cursor != "" {
		k, err := decodeCursor(scope, f.Cursor)
		if err != nil {
			return nil, err
		}
		args = append(args, k.At, k.ID)
		where += fmt.Sprintf(" AND (r.created_at, r.id) < ($%d, $%d)", len(args)-1, len(args))
	}
	args = append(args, f.Limit+1)
	rows, err := s.pool.Query(ctx, `SELECT `+requestColumns+requestFrom+` WHERE `+where+
		` ORDER BY r.created_at DESC, r.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	reqs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*Request, error) { return scanRequest(row) })
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	page := &Page{Items: make([]Lead, 0, len(reqs))}
	if len(reqs) > f.Limit {
		reqs = reqs[:f.Limit]
		last := reqs[len(reqs)-1]
		page.NextCursor = encodeCursor(scope, cursorKeys{At: last.CreatedAt, ID: last.ID})
	}
	if page.Items, err = s.withMessages(ctx, reqs, listMessages); err != nil {
		return nil, err
	}
	if page.Counts, err = s.counts(ctx, f); err != nil {
		return nil, err
	}
	return page, nil
}

// where is the SQL condition of the filter, with or without its status and channel parts.
func (f Filter) where(status, channel bool) (string, []any) {
	where, args := "true", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if status && f.Status != "" {
		add("r.status = $%d", f.Status)
	}
	if channel && f.Channel != "" {
		add("r.channel = $%d", f.Channel)
	}
	if f.AssigneeID != nil {
		add("r.assignee_id = $%d", *f.AssigneeID)
	}
	if f.Unassigned {
		where += " AND r.assignee_id IS NULL"
	}
	return where, args
}

func (s *Store) counts(ctx context.Context, f Filter) (Counts, error) {
	c := Counts{Status: map[Status]int{}, Channel: map[Channel]int{}}
	for _, st := range statuses {
		c.Status[st] = 0
	}
	for _, ch := range Channels {
		c.Channel[ch] = 0
	}
	byStatus, args := f.where(false, true)
	rows, err := s.pool.Query(ctx, `SELECT r.status, count(*) FROM requests r WHERE `+byStatus+` GROUP BY r.status`, args...)
	if err != nil {
		return c, fmt.Errorf("count requests by status: %w", err)
	}
	var key string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&key, &n}, func() error { c.Status[Status(key)] = n; return nil }); err != nil {
		return c, fmt.Errorf("count requests by status: %w", err)
	}
	byChannel, args := f.where(true, false)
	rows, err = s.pool.Query(ctx, `SELECT r.channel, count(*) FROM requests r WHERE `+byChannel+` GROUP BY r.channel`, args...)
	if err != nil {
		return c, fmt.Errorf("count requests by channel: %w", err)
	}
	if _, err := pgx.ForEachRow(rows, []any{&key, &n}, func() error { c.Channel[Channel(key)] = n; return nil }); err != nil {
		return c, fmt.Errorf("count requests by channel: %w", err)
	}
	return c, nil
}

// withMessages pairs each request with the latest limit messages of its conversation (all when
// limit is 0), oldest first.
func (s *Store) withMessages(ctx context.Context, reqs []*Request, limit int) ([]Lead, error) {
	leads := make([]Lead, len(reqs))
	var convs []ID
	seen := map[ID]bool{}
	for i, r := range reqs {
		leads[i] = Lead{Request: *r, Messages: []Message{}}
		if r.ConversationID != nil && !seen[*r.ConversationID] {
			seen[*r.ConversationID] = true
			convs = append(convs, *r.ConversationID)
		}
	}
	if len(convs) == 0 {
		return leads, nil
	}
	lim := "ALL"
	if limit > 0 {
		lim = strconv.Itoa(limit)
	}
	rows, err := s.pool.Query(ctx, `SELECT l.* FROM unnest($1::bigint[]) AS c(id)
		CROSS JOIN LATERAL (SELECT `+messageColumns+` FROM messages m WHERE m.conversation_id = c.id
			ORDER BY m.id DESC LIMIT `+lim+`) l
		ORDER BY l.id`, convs)
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	msgs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*Message, error) { return scanMessage(row) })
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	byConv := map[ID][]Message{}
	for _, m := range msgs {
		byConv[m.ConversationID] = append(byConv[m.ConversationID], *m)
	}
	for i := range leads {
		if id := leads[i].ConversationID; id != nil && byConv[*id] != nil {
			leads[i].Messages = byConv[*id]
		}
	}
	return leads, nil
}

// Get returns one request with its whole conversation.
func (s *Store) Get(ctx context.Context, id ID) (*Lead, error) {
	r, err := s.request(ctx, nil, id)
	if err != nil {
		return nil, err
	}
	leads, err := s.withMessages(ctx, []*Request{r}, 0)
	if err != nil {
		return nil, err
	}
	return &leads[0], nil
}

var statuses = []Status{StatusNew, StatusInProgress, StatusConverted, StatusRejected, StatusExpired}

func validStatus(st Status) bool {
	for _, s := range statuses {
		if s == st {
			return true
		}
	}
	return false
}
