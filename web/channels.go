package web

import "github.com/gin-gonic/gin"

// channelRoutes mounts channel health (GET /api/v1/channels) and the channels' webhooks.
func (s *Server) channelRoutes(bounded, api *gin.RouterGroup) {
}
