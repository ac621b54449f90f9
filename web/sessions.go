package web

import (
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
	slots, err := s.sched.Availability(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"slots": slots})
}

func (s *Server) createPatient(c *gin.Context) {
	var in scheduling.PatientInput
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.sched.CreatePatient(c.Request.Context(), in) })
	}
}

// findPatient looks a patient up by phone: GET /api/v1/patients?phone=…
func (s *Server) findPatient(c *gin.Context) {
	phone := c.Query("phone")
	if phone == "" {
		abort(c, http.StatusUnprocessableEntity, "missing_phone", "phone is required")
		return
	}
	list(c, s, func() (any, error) {
		p, err := s.sched.FindPatientByPhone(c.Request.Context(), phone)
		if scheduling.IsCode(err, scheduling.CodeNotFound) {
			return []scheduling.Patient{}, nil
		}
		if err != nil {
			return nil, err
		}
		return []scheduling.Patient{*p}, nil
	})
}

func (s *Server) getPatient(c *gin.Context) {
	if id, ok := pathID(c, "patient"); ok {
		ok200(c, s, func() (any, error) { return s.sched.GetPatient(c.Request.Context(), id) })
	}
}

// bookSession books a session. With an Idempotency-Key header a retry answers the session the first
// request made (marked Idempotent-Replayed: true) instead of booking twice.
func (s *Server) bookSession(c *gin.Context) {
	var in scheduling.BookingInput
	if !decode(c, &in) {
		return
	}
	in.IdempotencyKey = c.GetHeader("Idempotency-Key")
	sess, err := s.sched.Book(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	if sess.Replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusCreated, sess)
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
		ok200(c, s, func() (any, error) { return s.sched.ListSessions(c.Request.Context(), f) })
	}
}

func (s *Server) getSession(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		ok200(c, s, func() (any, error) { return s.sched.GetSession(c.Request.Context(), id) })
	}
}

func (s *Server) checkIn(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		ok200(c, s, func() (any, error) { return s.sched.CheckIn(c.Request.Context(), actor(c), id) })
	}
}

func (s *Server) openSession(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		ok200(c, s, func() (any, error) { return s.sched.Open(c.Request.Context(), actor(c), id) })
	}
}

func (s *Server) completeSession(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		ok200(c, s, func() (any, error) { return s.sched.Complete(c.Request.Context(), actor(c), id) })
	}
}

func (s *Server) cancelSession(c *gin.Context) {
	id, ok := pathID(c, "session")
	var in struct {
		Reason string `json:"reason"`
	}
	if ok && decode(c, &in) {
		ok200(c, s, func() (any, error) { return s.sched.Cancel(c.Request.Context(), actor(c), id, in.Reason) })
	}
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
		noContent(c, s, s.sched.Delete(c.Request.Context(), actor(c), id))
	}
}
