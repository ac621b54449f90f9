package web

import (
	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// catalogEditRoutes serves the catalog changes beyond creation: examinations' prices, windows, rooms
// and doctors.
func (s *Server) catalogEditRoutes(api *gin.RouterGroup) {
	api.PUT("/examinations/:id", allow(managers...), s.updateExamination)
}

// examinationReplacement is the body of PUT /api/v1/examinations/{id}: the whole examination as on
// create, and optionally the currency its prices are written in.
type examinationReplacement struct {
	scheduling.ExaminationInput
	Currency string `json:"currency"`
}

// updateExamination replaces an examination whole; every part left out is emptied or refused as on
// create, never kept.
func (s *Server) updateExamination(c *gin.Context) {
	id, ok := pathID(c, "examination")
	var in examinationReplacement
	if ok && decode(c, &in) {
		ok200(c, s, func() (any, error) {
			return s.sched.UpdateExaminationPricedIn(c.Request.Context(), id, in.ExaminationInput, in.Currency)
		})
	}
}
