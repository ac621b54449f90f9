package web

import "github.com/gin-gonic/gin"

// chatRoutes mounts the website chatbot: POST /api/v1/public/chat and the widget's script.
func (s *Server) chatRoutes(bounded *gin.RouterGroup) {
}
