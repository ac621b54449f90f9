package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/web/sse"
)

// inboxStreamRoutes mounts the inbox's live updates, outside the pages' time limit.
func (con *Console) inboxStreamRoutes(g *gin.RouterGroup) {
	if con.inbox == nil {
		return
	}
	g.GET("/inbox/events", con.inboxEvents)
}

// inboxEvents tells the inbox pages what changed: GET /console/inbox/events streams an
// `event: request` with the id of each request recorded or changed and an `event: conversation` with
// the id of each conversation a message arrived in (or whose message's delivery moved), as they
// commit; it ends with an `event: reload` when changes may have been missed or the server shuts down,
// and the browser reconnects by itself. Without a follower it answers 204, which tells the browser not
// to try again: the pages then work without updating by themselves.
func (con *Console) inboxEvents(c *gin.Context) {
	if con.inboxFeed == nil {
		c.Status(http.StatusNoContent)
		return
	}
	changes, cancel := con.inboxFeed.Subscribe()
	defer cancel()
	stream := sse.Start(c.Writer)
	if !stream.Send("retry: 2000\n: following the inbox\n\n") {
		return
	}
	sse.Follow(c.Request.Context(), stream, con.done, changes, queueHeartbeat, func(ch inbox.Change) bool {
		if ch.RequestID != 0 {
			return stream.Event("request", ch.RequestID.String())
		}
		return stream.Event("conversation", ch.ConversationID.String())
	})
}
