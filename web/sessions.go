package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

func (s *Server) availability(c *gin.Context) {
	var q scheduling.AvailabilityQuery
	if !queryIDs(c, []string{"branch_id", "doctor_id"}, &q.BranchID, &q.DoctorID) {
		return
	}
	for _, v := range c.QueryArray("examination_id") {
		for _, part := range strings.Split(v, ",") {
			id, ok := scheduling.ParseID(part)
			if !ok {
				abort(c, http.StatusBadRequest, "invalid_id", "examination_id "+part+" is not a valid id")
				return
			}
			q.ExaminationIDs = append(q.ExaminationIDs, id)
		}
	}
	var ok bool
	if q.From, q.To, ok = s.dateRange(c); !ok {
		return
	}
	q.Channel = c.Query("channel")
	q.Cursor = c.Query("cursor")
	if q.Limit, ok = queryLimit(c); !ok {
		return
	}
	page, err := s.sched.AvailabilityPage(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	// Written by hand: a page holds up to thousands of slots.
	c.Data(http.StatusOK, "application/json; charset=utf-8", page.AppendJSON(make([]byte, 0, 64+128*len(page.Slots))))
}

// bookSession books a session. With an Idempotency-Key header a retry answers the session the first
// request made (marked Idempotent-Replayed: true) instead of booking twice.
func (s *Server) bookSession(c *gin.Context) {
	var in scheduling.BookingInput
	if !decode(c, &in) {
		return
	}
	in.IdempotencyKey = c.GetHeader("Idempotency-Key")
	sess, err := s.core(c).Book(s.capturing(c), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	if sess.Replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	s.answerSession(c, http.StatusCreated, sess)
}

// listSessions answers GET /api/v1/sessions?branch_id=&from=&to=[&doctor_id=&status=] or ?patient_id=,
// a page at a time (limit, cursor).
func (s *Server) listSessions(c *gin.Context) {
	var f scheduling.SessionFilter
	if !queryIDs(c, []string{"branch_id", "doctor_id", "patient_id"}, &f.BranchID, &f.DoctorID, &f.PatientID) {
		return
	}
	var ok bool
	if f.BranchID != 0 {
		if f.From, f.To, ok = s.dateRange(c); !ok {
			return
		}
	}
	f.Status = c.Query("status")
	if f.Limit, ok = queryLimit(c); ok {
		f.Cursor = c.Query("cursor")
		s.pageOfSessions(c, func() (*scheduling.SessionPage, error) { return s.sched.ListSessions(c.Request.Context(), f) })
	}
}

func (s *Server) getSession(c *gin.Context) {
	s.onSession(c, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.sched.GetSession(ctx, id)
	})
}

func (s *Server) checkIn(c *gin.Context) {
	s.onSession(c, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).CheckIn(ctx, actor(c), id)
	})
}

func (s *Server) openSession(c *gin.Context) {
	s.onSession(c, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).Open(ctx, actor(c), id)
	})
}

func (s *Server) completeSession(c *gin.Context) {
	s.onSession(c, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).Complete(ctx, actor(c), id)
	})
}

func (s *Server) noShow(c *gin.Context) {
	s.onSession(c, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).NoShow(ctx, actor(c), id)
	})
}

func (s *Server) cancelSession(c *gin.Context) {
	var in struct {
		Reason string `json:"reason"`
	}
	s.withBody(c, &in, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).Cancel(ctx, actor(c), id, in.Reason)
	})
}

func (s *Server) rescheduleSession(c *gin.Context) {
	var in scheduling.RescheduleInput
	s.withBody(c, &in, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).Reschedule(ctx, actor(c), id, in)
	})
}

func (s *Server) setSessionExaminations(c *gin.Context) {
	var in struct {
		ExaminationIDs []scheduling.ID `json:"examination_ids"`
	}
	s.withBody(c, &in, func(ctx context.Context, id scheduling.ID) (*scheduling.Session, error) {
		return s.core(c).SetExaminations(ctx, actor(c), id, in.ExaminationIDs)
	})
}

// withBody decodes the body into in, then runs call on the session named in the path.
func (s *Server) withBody(c *gin.Context, in any, call func(context.Context, scheduling.ID) (*scheduling.Session, error)) {
	if _, ok := pathID(c, "session"); ok && decode(c, in) {
		s.onSession(c, call)
	}
}

// onSession runs call on the session named in the path and answers it with its invoice.
func (s *Server) onSession(c *gin.Context, call func(context.Context, scheduling.ID) (*scheduling.Session, error)) {
	id, ok := pathID(c, "session")
	if !ok {
		return
	}
	sess, err := call(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerSession(c, http.StatusOK, sess)
}

// sessionJSON is a session as the API answers it: the scheduling record composed with its invoice,
// which billing owns (null until there is one, and in lists; see answerSession).
type sessionJSON struct {
	*scheduling.Session
	Invoice any `json:"invoice"`
}

func sessionView(sess *scheduling.Session) sessionJSON { return sessionJSON{Session: sess} }

// core is the scheduling service as the caller may use it: a doctor's token or account acts only on
// that doctor's sessions.
func (s *Server) core(c *gin.Context) *scheduling.Service {
	if d := principal(c).DoctorID; d != 0 {
		return s.sched.AsDoctor(d)
	}
	return s.sched
}

func (s *Server) cancelReasons(c *gin.Context) {
	list(c, s, func() (any, error) { return s.sched.CancelReasons(c.Request.Context()) })
}

func (s *Server) setCancelReasons(c *gin.Context) {
	var in struct {
		Reasons []string `json:"reasons"`
	}
	if decode(c, &in) {
		list(c, s, func() (any, error) { return s.sched.SetCancelReasons(c.Request.Context(), in.Reasons) })
	}
}

func (s *Server) deleteSession(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		noContent(c, s, s.core(c).Delete(c.Request.Context(), actor(c), id))
	}
}
