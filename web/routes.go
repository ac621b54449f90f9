package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/web/access"
	"clinic/web/console"
)

var (
	anyStaff = []access.Role{access.Owner, access.Manager, access.Doctor, access.Receptionist}
	managers = []access.Role{access.Owner, access.Manager}
	desk     = []access.Role{access.Owner, access.Manager, access.Receptionist}
)

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(requestIDs, s.accessLog, s.recovery, limitBody)
	r.NoRoute(func(c *gin.Context) {
		if s.console != nil && console.Serves(c.Request.URL.Path) {
			s.console.NotFound(c)
			return
		}
		abort(c, http.StatusNotFound, "not_found", "no such endpoint")
	})
	r.NoMethod(func(c *gin.Context) {
		abort(c, http.StatusMethodNotAllowed, "method_not_allowed", "this endpoint does not take "+c.Request.Method)
	})

	bounded := r.Group("", deadline(s.timeout))
	bounded.GET("/healthz", s.health)
	bounded.GET("/api/v1/openapi.json", serveOpenAPI)
	bounded.GET("/api/v1/docs", serveDocs)
	if s.console != nil {
		s.console.Mount(bounded)
	}

	// Long-lived streams: authenticated like the API or the console, without their time limit.
	r.GET("/api/v1/events", s.authenticate, allow(anyStaff...), s.events)
	if s.console != nil {
		s.console.MountStreams(r)
	}

	api := bounded.Group("/api/v1", s.authenticate)
	read := api.Group("", allow(anyStaff...))
	write := api.Group("", allow(managers...))
	front := api.Group("", allow(desk...))

	write.POST("/branches", s.createBranch)
	read.GET("/branches", s.listBranches)
	read.GET("/branches/:id", s.getBranch)
	write.PUT("/branches/:id", s.updateBranch)
	write.POST("/rooms", s.createRoom)
	read.GET("/rooms", s.listRooms)
	write.POST("/doctors", s.createDoctor)
	read.GET("/doctors", s.listDoctors)
	read.GET("/doctors/:id", s.getDoctor)
	write.PUT("/doctors/:id/attendance", s.setAttendance)
	read.GET("/doctors/:id/attendance", s.getAttendance)
	write.POST("/examinations", s.createExamination)
	read.GET("/examinations", s.listExaminations)
	read.GET("/examinations/:id", s.getExamination)
	write.POST("/blocks", s.createBlock)
	read.GET("/blocks", s.listBlocks)
	write.DELETE("/blocks/:id", s.deleteBlock)

	read.GET("/settings/cancel-reasons", s.cancelReasons)
	write.PUT("/settings/cancel-reasons", s.setCancelReasons)

	read.GET("/availability", s.availability)
	read.POST("/patients", s.createPatient)
	read.GET("/patients", s.findPatient)
	read.GET("/patients/:id", s.getPatient)
	read.PATCH("/patients/:id", s.updatePatient)
	read.GET("/patients/:id/sessions", s.patientSessions)
	front.POST("/sessions", s.bookSession)
	read.GET("/sessions", s.listSessions)
	read.GET("/sessions/:id", s.getSession)
	front.POST("/sessions/:id/check-in", s.checkIn)
	read.POST("/sessions/:id/open", s.openSession)
	read.POST("/sessions/:id/complete", s.completeSession)
	front.POST("/sessions/:id/cancel", s.cancelSession)
	front.POST("/sessions/:id/no-show", s.noShow)
	front.POST("/sessions/:id/reschedule", s.rescheduleSession)
	read.PUT("/sessions/:id/examinations", s.setSessionExaminations)
	api.DELETE("/sessions/:id", allow(access.Owner), s.deleteSession)
	s.recordRoutes(api)
	s.catalogEditRoutes(api)
	s.queueRoutes(api)
	s.trackerRoutes(r, bounded, api)
	s.billingRoutes(api)
	s.inboxRoutes(api)
	s.publicBookingRoutes(r, bounded)
	s.chatRoutes(bounded.Group("", publicCORS))
	s.channelRoutes(bounded, api)
	return r
}
