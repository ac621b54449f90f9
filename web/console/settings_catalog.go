package console

import "github.com/gin-gonic/gin"

// catalogSettingsRoutes serves the managers' settings of branches, their hours and rooms, and doctors
// with their attendance.
func (con *Console) catalogSettingsRoutes(in *gin.RouterGroup) {}
