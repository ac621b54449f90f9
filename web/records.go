package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/scheduling/record"
	"clinic/web/access"
)

// maxICD10Query bounds an ICD-10 search, in characters.
const maxICD10Query = 200

// recordRoutes serves the clinical record, its templates and the ICD-10 list. Health data is private
// (DESIGN 7): a record is read by the owner, managers and the session's doctor, and written by the
// session's doctor and the owner; who viewed it is for managers and the owner.
func (s *Server) recordRoutes(api *gin.RouterGroup) {
	api.GET("/sessions/:id/record", allow(access.Owner, access.Manager, access.Doctor), s.getRecord)
	api.PUT("/sessions/:id/record", allow(access.Owner, access.Doctor), s.putRecord)
	api.GET("/sessions/:id/record/views", allow(managers...), s.recordViews)
	api.GET("/record-templates", allow(anyStaff...), s.listRecordTemplates)
	api.POST("/record-templates", allow(managers...), s.createRecordTemplate)
	api.GET("/record-templates/:id", allow(anyStaff...), s.getRecordTemplate)
	api.GET("/icd10", allow(anyStaff...), s.searchICD10)
}

// recordCaller is the caller as the record store judges it: by role, and a doctor by their doctor.
func recordCaller(c *gin.Context) record.Caller {
	p := principal(c)
	rc := record.Caller{Actor: actor(c)}
	switch p.Role {
	case access.Owner:
		rc.Access = record.WriteAll
	case access.Manager:
		rc.Access = record.ReadAll
	case access.Doctor:
		rc.Access, rc.DoctorID = record.OwnSessions, p.DoctorID
	}
	return rc
}

func (s *Server) getRecord(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		ok200(c, s, func() (any, error) { return s.records.Get(c.Request.Context(), recordCaller(c), id) })
	}
}

func (s *Server) putRecord(c *gin.Context) {
	id, ok := pathID(c, "session")
	var in record.Input
	if ok && decode(c, &in) {
		ok200(c, s, func() (any, error) { return s.records.Put(c.Request.Context(), recordCaller(c), id, in) })
	}
}

func (s *Server) recordViews(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		list(c, s, func() (any, error) { return s.records.Views(c.Request.Context(), recordCaller(c), id) })
	}
}

func (s *Server) listRecordTemplates(c *gin.Context) {
	list(c, s, func() (any, error) { return s.records.ListTemplates(c.Request.Context()) })
}

func (s *Server) createRecordTemplate(c *gin.Context) {
	var in record.TemplateInput
	if decode(c, &in) {
		created(c, s, func() (any, error) { return s.records.CreateTemplate(c.Request.Context(), actor(c), in) })
	}
}

func (s *Server) getRecordTemplate(c *gin.Context) {
	if id, ok := pathID(c, "record template"); ok {
		ok200(c, s, func() (any, error) { return s.records.GetTemplate(c.Request.Context(), id) })
	}
}

// searchICD10 answers GET /api/v1/icd10?q=: codes by code prefix or words of the title.
func (s *Server) searchICD10(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	switch {
	case q == "":
		abort(c, http.StatusUnprocessableEntity, "missing_query", "q is required: the start of a code (J06) or words of a title (sore throat)")
	case !utf8.ValidString(q):
		abort(c, http.StatusBadRequest, "invalid_text", "q is not valid UTF-8 text")
	case utf8.RuneCountInString(q) > maxICD10Query:
		abort(c, http.StatusUnprocessableEntity, "too_long", "q may be at most 200 characters")
	default:
		c.JSON(http.StatusOK, gin.H{"items": record.SearchICD10(q)})
	}
}
