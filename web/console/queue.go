package console

import "github.com/gin-gonic/gin"

// queueRoutes serves the waiting-room board.
func (con *Console) queueRoutes(in *gin.RouterGroup) {}

// queueStreamRoutes serves the board's live updates, outside the pages' time limit.
func (con *Console) queueStreamRoutes(g *gin.RouterGroup) {}
