package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

func (s *Server) createPatient(c *gin.Context) {
	var in scheduling.PatientInput
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.sched.CreatePatient(c.Request.Context(), in) })
	}
}

// findPatient answers GET /api/v1/patients?q=… (patients whose name or phone contains q, a page at a
// time) and ?phone=… (the one patient with that number, or none).
func (s *Server) findPatient(c *gin.Context) {
	q, byQuery := c.GetQuery("q")
	phone, byPhone := c.GetQuery("phone")
	switch {
	case byQuery && byPhone:
		abort(c, http.StatusUnprocessableEntity, "conflicting_query", "give q or phone, not both")
	case byQuery:
		if limit, ok := queryLimit(c); ok {
			search := scheduling.PatientSearch{Query: q, Cursor: c.Query("cursor"), Limit: limit}
			ok200(c, s, func() (any, error) { return s.sched.SearchPatients(c.Request.Context(), search) })
		}
	case !byPhone:
		abort(c, http.StatusUnprocessableEntity, "missing_query", "give q (part of a name or phone number) or phone")
	case phone == "":
		abort(c, http.StatusUnprocessableEntity, "missing_phone", "phone is required")
	default:
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
}

func (s *Server) getPatient(c *gin.Context) {
	if id, ok := pathID(c, "patient"); ok {
		ok200(c, s, func() (any, error) { return s.sched.GetPatient(c.Request.Context(), id) })
	}
}

// updatePatient answers PATCH /api/v1/patients/{id}: the fields the body names change.
func (s *Server) updatePatient(c *gin.Context) {
	id, ok := pathID(c, "patient")
	var patch scheduling.PatientPatch
	if ok && decode(c, &patch) {
		ok200(c, s, func() (any, error) { return s.sched.UpdatePatient(c.Request.Context(), id, patch) })
	}
}

// patientSessions answers GET /api/v1/patients/{id}/sessions: the patient's visits, newest first.
func (s *Server) patientSessions(c *gin.Context) {
	id, ok := pathID(c, "patient")
	if !ok {
		return
	}
	if limit, ok := queryLimit(c); ok {
		s.pageOfSessions(c, func() (*scheduling.SessionPage, error) {
			return s.sched.PatientSessions(c.Request.Context(), id, c.Query("cursor"), limit)
		})
	}
}
