package console

import "github.com/gin-gonic/gin"

// staffSettingsRoutes serves the owner's page of users and API tokens.
func (con *Console) staffSettingsRoutes(in *gin.RouterGroup) {}
