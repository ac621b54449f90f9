package web

import "github.com/gin-gonic/gin"

// billingRoutes serves invoices, their preview and payments, and patients' packages, insurance and
// loyalty.
func (s *Server) billingRoutes(api *gin.RouterGroup) {}
