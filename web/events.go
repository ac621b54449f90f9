package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/sse"
)

// heartbeat keeps idle event streams alive through proxies that close silent connections.
const heartbeat = 15 * time.Second

// events streams a branch's committed session changes as server-sent events:
// GET /api/v1/events?branch_id=. Each change is an `event: session` whose data is the notice
// (session_id, branch_id, day, action). An `event: reload` ends the stream when changes may have been
// missed (the client fell behind, or the server's database connection was lost): reload, then
// reconnect. The stream lives as long as the client stays; it has no request time limit.
func (s *Server) events(c *gin.Context) {
	branch, ok := queryID(c, "branch_id")
	if !ok {
		return
	}
	if branch == 0 {
		abort(c, http.StatusUnprocessableEntity, "missing_branch", "branch_id is required")
		return
	}
	if _, err := s.sched.GetBranch(c.Request.Context(), branch); err != nil {
		s.fail(c, err)
		return
	}
	notices, cancel := s.feed.Subscribe(branch)
	defer cancel()
	stream := sse.Start(c.Writer)
	if !stream.Send(": following branch " + c.Query("branch_id") + "\n\n") {
		return
	}
	sse.Follow(c.Request.Context(), stream, s.done, notices, heartbeat, func(n scheduling.Notice) bool {
		data, err := json.Marshal(n)
		return err == nil && stream.Event("session", string(data))
	})
}
