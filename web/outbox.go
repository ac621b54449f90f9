package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/channels/outbox"
	"clinic/inbox"
)

// outboxRoutes mounts outbound delivery for staff (DESIGN 3.5): the messages that could not be
// delivered, sending one again, and the clinic's reminder and "turn near" settings. Without an outbox
// the routes answer 503, so the API's description stays true of every server.
func (s *Server) outboxRoutes(api *gin.RouterGroup) {
	h := outboxHandlers{s: s}
	api.GET("/outbox/failures", allow(desk...), h.need, h.failures)
	api.POST("/messages/:id/retry", allow(desk...), h.need, h.retry)
	api.GET("/settings/outbox", allow(anyStaff...), h.need, h.getSettings)
	api.PUT("/settings/outbox", allow(managers...), h.need, h.putSettings)
}

// outboxHandlers serve the outbox API from the server's outbox.
type outboxHandlers struct{ s *Server }

// need answers 503 when the server runs without an outbox.
func (h outboxHandlers) need(c *gin.Context) {
	if h.s.outbox == nil {
		abort(c, http.StatusServiceUnavailable, "outbox_unavailable", "outbound delivery is not running on this server")
		return
	}
	c.Next()
}

// failures answers GET /api/v1/outbox/failures?limit=: the messages that could not be delivered,
// newest first.
func (h outboxHandlers) failures(c *gin.Context) {
	limit, ok := queryLimit(c)
	if !ok {
		return
	}
	list(c, h.s, func() (any, error) { return h.s.outbox.Failures(c.Request.Context(), limit) })
}

// retryAnswer is the answer to a retry: the message is queued again.
type retryAnswer struct {
	MessageID inbox.ID       `json:"message_id"`
	Delivery  inbox.Delivery `json:"delivery"`
}

// retry answers POST /api/v1/messages/{id}/retry with 202 once a failed message is queued again.
func (h outboxHandlers) retry(c *gin.Context) {
	id, ok := pathID(c, "message")
	if !ok {
		return
	}
	respond(c, h.s, http.StatusAccepted, func() (any, error) {
		if err := h.s.outbox.Retry(c.Request.Context(), id); err != nil {
			return nil, err
		}
		return retryAnswer{MessageID: id, Delivery: inbox.DeliveryQueued}, nil
	})
}

// getSettings answers GET /api/v1/settings/outbox.
func (h outboxHandlers) getSettings(c *gin.Context) {
	ok200(c, h.s, func() (any, error) { return h.s.outbox.Settings(c.Request.Context()) })
}

// outboxSettingsInput is PUT /api/v1/settings/outbox's body; both fields are required.
type outboxSettingsInput struct {
	ReminderOffsets  *[]int `json:"reminder_offsets_minutes"`
	TurnNearPosition *int   `json:"turn_near_position"`
}

// putSettings answers PUT /api/v1/settings/outbox with the settings as stored.
func (h outboxHandlers) putSettings(c *gin.Context) {
	var in outboxSettingsInput
	if !decode(c, &in) {
		return
	}
	if in.ReminderOffsets == nil || in.TurnNearPosition == nil {
		abort(c, http.StatusBadRequest, "missing_field", "reminder_offsets_minutes and turn_near_position are required")
		return
	}
	ok200(c, h.s, func() (any, error) {
		return h.s.outbox.SaveSettings(c.Request.Context(), outbox.Settings{ReminderOffsets: *in.ReminderOffsets,
			TurnNearPosition: *in.TurnNearPosition})
	})
}
