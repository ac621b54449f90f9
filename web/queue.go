package web

import "github.com/gin-gonic/gin"

// queueRoutes serves the waiting-room queue of a branch's day.
func (s *Server) queueRoutes(api *gin.RouterGroup) {}
