package console

import "github.com/gin-gonic/gin"

// inboxRoutes mounts the booking inbox: requests by channel and status, the conversation, reply,
// assign, reject and convert.
func (con *Console) inboxRoutes(in *gin.RouterGroup) {
}

// inboxStreamRoutes mounts the inbox's live updates.
func (con *Console) inboxStreamRoutes(g *gin.RouterGroup) {
}
