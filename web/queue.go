package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/queue"
)

// queueRoutes serves the waiting-room queue of a branch's day: read by any staff (a doctor their own
// line), ordered by the front desk.
func (s *Server) queueRoutes(api *gin.RouterGroup) {
	api.GET("/queue", allow(anyStaff...), s.getQueue)
	api.PUT("/queue/order", allow(desk...), s.setQueueOrder)
}

// queueCore is the queue on the server's pool, with the scheduling service's clock.
func (s *Server) queueCore() *queue.Service { return queue.New(s.pool, s.sched) }

// getQueue answers GET /api/v1/queue?branch_id=&date=&doctor_id=&sort=.
func (s *Server) getQueue(c *gin.Context) {
	q := queue.Query{Sort: c.Query("sort")}
	if !queryIDs(c, []string{"branch_id", "doctor_id"}, &q.BranchID, &q.DoctorID) {
		return
	}
	if q.BranchID == 0 {
		abort(c, http.StatusBadRequest, "missing_branch_id", "branch_id is required")
		return
	}
	if v, ok := c.GetQuery("date"); ok {
		day, err := scheduling.ParseDate(v)
		if err != nil {
			s.fail(c, err)
			return
		}
		q.Day = day
	}
	// A doctor's token or account sees only that doctor's line.
	if own := principal(c).DoctorID; own != 0 {
		if q.DoctorID != 0 && q.DoctorID != own {
			s.fail(c, scheduling.Forbidden("a doctor sees only their own queue; leave doctor_id out or give your own"))
			return
		}
		q.DoctorID = own
	}
	ok200(c, s, func() (any, error) { return s.queueCore().List(c.Request.Context(), q) })
}

// queueOrderInput is the body of PUT /api/v1/queue/order.
type queueOrderInput struct {
	BranchID   scheduling.ID   `json:"branch_id"`
	Date       string          `json:"date"`
	DoctorID   scheduling.ID   `json:"doctor_id"`
	SessionIDs []scheduling.ID `json:"session_ids"`
}

// setQueueOrder keeps the order the desk dragged the queue into and answers the queue in it.
func (s *Server) setQueueOrder(c *gin.Context) {
	var in queueOrderInput
	if !decode(c, &in) {
		return
	}
	switch {
	case in.BranchID == 0:
		abort(c, http.StatusBadRequest, "missing_branch_id", "branch_id is required")
		return
	case in.Date == "":
		abort(c, http.StatusBadRequest, "missing_date", "date is required (YYYY-MM-DD, the branch's local date)")
		return
	}
	day, err := scheduling.ParseDate(in.Date)
	if err != nil {
		s.fail(c, err)
		return
	}
	ok200(c, s, func() (any, error) {
		return s.queueCore().SetOrder(c.Request.Context(), in.BranchID, day, in.DoctorID, in.SessionIDs)
	})
}
