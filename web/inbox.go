package web

import "github.com/gin-gonic/gin"

// inboxRoutes mounts the staff's booking inbox: GET /api/v1/inbox, assign, reply, reject, convert.
func (s *Server) inboxRoutes(api *gin.RouterGroup) {
}
