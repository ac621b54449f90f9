package console

import "github.com/gin-gonic/gin"

// formSettingsRoutes mounts the settings of the public booking form: which fields show, which are
// required, and the clinic's custom fields.
func (con *Console) formSettingsRoutes(in *gin.RouterGroup) {
}
