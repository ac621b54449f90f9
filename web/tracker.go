package web

import "github.com/gin-gonic/gin"

// trackerRoutes serves the patient's public view of their place in the queue, and the clinic's
// privacy settings that mask it. Public routes hang off r or bounded, without authentication.
func (s *Server) trackerRoutes(r *gin.Engine, bounded, api *gin.RouterGroup) {}
