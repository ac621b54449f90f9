package console

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/sse"
)

// queueHeartbeat keeps an idle board's stream alive through proxies that close silent connections.
const queueHeartbeat = 15 * time.Second

// queueStreamRoutes serves the board's live updates, outside the pages' time limit.
func (con *Console) queueStreamRoutes(g *gin.RouterGroup) {
	g.GET("/queue/events", con.queueEvents)
}

// queueEvents tells a board that its branch's queue changed: GET /console/queue/events?branch=ID
// streams an `event: change` for each committed session change of the branch (the board then
// fetches itself again) and ends with an `event: reload` when changes may have been missed or the
// server shuts down; the browser reconnects by itself. Without a change feed it answers 204, which tells the browser not to
// try again: the board then works without updating by itself.
func (con *Console) queueEvents(c *gin.Context) {
	if con.feed == nil {
		c.Status(http.StatusNoContent)
		return
	}
	branch := idOf(c.Query("branch"))
	branches, err := con.sched.ListBranches(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	if !slices.ContainsFunc(branches, func(b scheduling.Branch) bool { return b.ID == branch }) {
		con.errorPage(c, http.StatusNotFound, "Unknown branch", "There is no such branch.")
		return
	}
	notices, cancel := con.feed.Subscribe(branch)
	defer cancel()
	stream := sse.Start(c.Writer)
	// retry: how long the browser waits before it reconnects after the stream ends.
	if !stream.Send("retry: 2000\n: following the queue\n\n") {
		return
	}
	sse.Follow(c.Request.Context(), stream, con.done, notices, queueHeartbeat, func(n scheduling.Notice) bool {
		return stream.Event("change", n.SessionID.String())
	})
}
