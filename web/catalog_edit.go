package web

import "github.com/gin-gonic/gin"

// catalogEditRoutes serves the catalog changes beyond creation: examinations' prices, windows, rooms
// and doctors.
func (s *Server) catalogEditRoutes(api *gin.RouterGroup) {}
