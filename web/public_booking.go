package web

import "github.com/gin-gonic/gin"

// publicBookingRoutes mounts the public booking form (/book and its JSON twin) and the confirm link (/c/{token}).
func (s *Server) publicBookingRoutes(r *gin.Engine, bounded *gin.RouterGroup) {
}
