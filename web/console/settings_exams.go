package console

import "github.com/gin-gonic/gin"

// examSettingsRoutes serves the managers' settings of examinations, cancellation reasons and record
// templates.
func (con *Console) examSettingsRoutes(in *gin.RouterGroup) {}
