package web

import (
	"bytes"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

// inboxRoutes mounts the staff's booking inbox (DESIGN 3.5): the list with its counts, one request
// with its conversation, assign, reply, reject, hand back and convert, and the inbox settings. The
// front desk acts; doctors read. Without an inbox store the routes answer 503, so the API's
// description stays true of every server.
func (s *Server) inboxRoutes(api *gin.RouterGroup) {
	h := inboxHandlers{s: s}
	read := api.Group("", allow(anyStaff...), h.need)
	act := api.Group("", allow(desk...), h.need)
	read.GET("/inbox", h.list)
	read.GET("/inbox/:id", h.get)
	act.POST("/inbox/:id/assign", h.assign)
	act.POST("/inbox/:id/reply", h.reply)
	act.POST("/inbox/:id/reject", h.reject)
	act.POST("/inbox/:id/handback", h.handback)
	act.POST("/inbox/:id/convert", h.convert)
	read.GET("/settings/inbox", h.getSettings)
	api.PUT("/settings/inbox", allow(managers...), h.need, h.putSettings)
}

// inboxHandlers serve the inbox API from the server's inbox store.
type inboxHandlers struct{ s *Server }

// need answers 503 when the server runs without an inbox store.
func (h inboxHandlers) need(c *gin.Context) {
	if h.s.inbox == nil {
		abort(c, http.StatusServiceUnavailable, "inbox_unavailable", "the booking inbox is not running on this server")
		return
	}
	c.Next()
}

// list answers GET /api/v1/inbox?status=&channel=&assignee=&cursor=&limit=; assignee is a user id,
// "me" or "none".
func (h inboxHandlers) list(c *gin.Context) {
	f := inbox.Filter{Status: inbox.Status(c.Query("status")), Channel: inbox.Channel(c.Query("channel")), Cursor: c.Query("cursor")}
	switch a := c.Query("assignee"); a {
	case "":
	case "none":
		f.Unassigned = true
	case "me":
		id, ok := me(c)
		if !ok {
			return
		}
		f.AssigneeID = &id
	default:
		id, ok := queryID(c, "assignee")
		if !ok {
			return
		}
		f.AssigneeID = &id
	}
	limit, ok := queryLimit(c)
	if !ok {
		return
	}
	f.Limit = limit
	ok200(c, h.s, func() (any, error) {
		page, err := h.s.inbox.List(c.Request.Context(), f)
		if err != nil {
			return nil, err
		}
		out := inboxPage{Items: make([]leadJSON, len(page.Items)), Counts: page.Counts, NextCursor: page.NextCursor}
		for i := range page.Items {
			out.Items[i] = leadView(&page.Items[i])
		}
		return out, nil
	})
}

func (h inboxHandlers) get(c *gin.Context) {
	if id, ok := pathID(c, "request"); ok {
		ok200(c, h.s, func() (any, error) { return h.lead(c, id) })
	}
}

// lead answers one request with its whole conversation.
func (h inboxHandlers) lead(c *gin.Context, id scheduling.ID) (any, error) {
	l, err := h.s.inbox.Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return leadView(l), nil
}

// me is the calling user's id; an API token belongs to no user and answers 422.
func me(c *gin.Context) (scheduling.ID, bool) {
	p := principal(c)
	if p.Kind != "user" {
		abort(c, http.StatusUnprocessableEntity, "no_user", "an API token belongs to no user; name the user by id")
		return 0, false
	}
	return scheduling.ID(p.ID), true
}

// staff names the caller for the inbox: their user account, if any, and their name.
func staff(c *gin.Context) inbox.Staff {
	p := principal(c)
	st := inbox.Staff{Name: p.Name, Actor: actor(c)}
	if p.Kind == "user" {
		id := scheduling.ID(p.ID)
		st.UserID = &id
	}
	if st.Name == "" {
		st.Name = string(p.Role)
	}
	return st
}

// optionalBody decodes a JSON body into v when there is one; an empty body leaves v as it is.
func optionalBody(c *gin.Context, v any) bool {
	if c.Request.Body == nil {
		return true
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err == nil && len(bytes.TrimSpace(raw)) == 0 {
		return true
	}
	// decode reads it again, and meets the same error if reading failed.
	c.Request.Body = io.NopCloser(io.MultiReader(bytes.NewReader(raw), errorReader{err}))
	return decode(c, v)
}

// errorReader fails with err, or ends when err is nil.
type errorReader struct{ err error }

func (r errorReader) Read([]byte) (int, error) {
	if r.err == nil {
		return 0, io.EOF
	}
	return 0, r.err
}

type assignInput struct {
	UserID   *scheduling.ID `json:"user_id"`
	Unassign bool           `json:"unassign"`
}

// assign answers POST /api/v1/inbox/{id}/assign {user_id?, unassign?}: to the user named, to nobody
// with unassign, or else to the caller.
func (h inboxHandlers) assign(c *gin.Context) {
	id, ok := pathID(c, "request")
	var in assignInput
	if !ok || !optionalBody(c, &in) {
		return
	}
	user := in.UserID
	switch {
	case in.Unassign && user != nil:
		abort(c, http.StatusBadRequest, "invalid_field", "give either user_id or unassign, not both")
		return
	case in.Unassign:
	case user == nil:
		mine, ok := me(c)
		if !ok {
			return
		}
		user = &mine
	}
	ok200(c, h.s, func() (any, error) {
		if _, err := h.s.inbox.Assign(c.Request.Context(), id, user); err != nil {
			return nil, err
		}
		return h.lead(c, id)
	})
}

// reply answers POST /api/v1/inbox/{id}/reply {text} with 202: the message is recorded and queued on
// the request's channel. An Idempotency-Key header makes a retry send once.
func (h inboxHandlers) reply(c *gin.Context) {
	id, ok := pathID(c, "request")
	var in struct {
		Text string `json:"text"`
	}
	if ok && decode(c, &in) {
		respond(c, h.s, http.StatusAccepted, func() (any, error) {
			return h.s.inbox.Reply(c.Request.Context(), id, staff(c), in.Text, c.GetHeader("Idempotency-Key"))
		})
	}
}

// reject answers POST /api/v1/inbox/{id}/reject {reason}.
func (h inboxHandlers) reject(c *gin.Context) {
	id, ok := pathID(c, "request")
	var in struct {
		Reason string `json:"reason"`
	}
	if ok && decode(c, &in) {
		ok200(c, h.s, func() (any, error) {
			if _, err := h.s.inbox.Reject(c.Request.Context(), id, in.Reason); err != nil {
				return nil, err
			}
			return h.lead(c, id)
		})
	}
}

// handback answers POST /api/v1/inbox/{id}/handback: the bot answers the patient again.
func (h inboxHandlers) handback(c *gin.Context) {
	if id, ok := pathID(c, "request"); ok {
		ok200(c, h.s, func() (any, error) {
			l, err := h.s.inbox.Handback(c.Request.Context(), id)
			if err != nil {
				return nil, err
			}
			return leadView(l), nil
		})
	}
}

// leadJSON is a request as the API answers it.
type leadJSON struct {
	ID             scheduling.ID   `json:"id"`
	Channel        inbox.Channel   `json:"channel"`
	Status         inbox.Status    `json:"status"`
	Name           string          `json:"name"`
	Phone          string          `json:"phone"`
	Lang           string          `json:"lang"`
	Requested      inbox.Requested `json:"requested"`
	Assignee       *assigneeJSON   `json:"assignee"`
	RejectReason   string          `json:"reject_reason,omitempty"`
	PatientID      *scheduling.ID  `json:"patient_id"`
	SessionID      *scheduling.ID  `json:"session_id"`
	ConversationID *scheduling.ID  `json:"conversation_id"`
	Handover       bool            `json:"handover"`
	Confirmation   string          `json:"confirmation,omitempty"`
	CreatedAt      string          `json:"created_at"`
	UpdatedAt      string          `json:"updated_at"`
	ConvertedAt    string          `json:"converted_at,omitempty"`
	Messages       []inbox.Message `json:"messages"`
}

// assigneeJSON is the staff user a request is assigned to.
type assigneeJSON struct {
	ID    scheduling.ID `json:"id"`
	Email string        `json:"email"`
}

type inboxPage struct {
	Items      []leadJSON   `json:"items"`
	Counts     inbox.Counts `json:"counts"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

func leadView(l *inbox.Lead) leadJSON {
	out := leadJSON{ID: l.ID, Channel: l.Channel, Status: l.Status, Name: l.Name, Phone: l.Phone, Lang: l.Lang,
		Requested: l.Requested, RejectReason: l.RejectReason, PatientID: l.PatientID, SessionID: l.SessionID,
		ConversationID: l.ConversationID, Handover: l.Handover, Confirmation: l.Confirmation,
		CreatedAt: l.CreatedAt.Format(inboxTime), UpdatedAt: l.UpdatedAt.Format(inboxTime), Messages: l.Messages}
	if l.AssigneeID != nil {
		out.Assignee = &assigneeJSON{ID: *l.AssigneeID, Email: l.Assignee}
	}
	if l.ConvertedAt != nil {
		out.ConvertedAt = l.ConvertedAt.Format(inboxTime)
	}
	if out.Messages == nil {
		out.Messages = []inbox.Message{}
	}
	return out
}

// inboxTime writes the inbox's times: RFC 3339 in UTC to the second.
const inboxTime = "2006-01-02T15:04:05Z07:00"
