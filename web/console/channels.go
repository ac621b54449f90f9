package console

import "github.com/gin-gonic/gin"

// channelRoutes mounts the channels page: Telegram's webhook state, WhatsApp's link with its QR code,
// and outbox failures.
func (con *Console) channelRoutes(in *gin.RouterGroup) {
}
