package console

import "github.com/gin-gonic/gin"

// queueRoutes serves the waiting-room board.
func (con *Console) queueRoutes(in *gin.RouterGroup) {}
