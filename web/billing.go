package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"clinic/billing"
)

// billingRoutes serves invoices, their preview and payments, and patients' packages, insurance and
// loyalty. The front desk previews invoices, sells packages and records insurance; loyalty points
// and tiers are adjusted by managers and the owner. Doctors see none of a patient's money records.
func (s *Server) billingRoutes(api *gin.RouterGroup) {
	// The clock is read through the server at each call: routes are also built without services, to
	// list them.
	h := billingHandlers{s: s, store: billing.NewStore(s.pool, func() time.Time { return s.sched.Now() })}
	api.POST("/invoices/preview", allow(desk...), h.preview)
	api.POST("/patients/:id/packages", allow(desk...), h.addPackage)
	api.PUT("/patients/:id/insurance", allow(desk...), h.putInsurance)
	api.PUT("/patients/:id/loyalty", allow(managers...), h.putLoyalty)
	api.GET("/patients/:id/packages", allow(desk...), h.listPackages)
	api.GET("/patients/:id/insurance", allow(desk...), h.getInsurance)
	api.GET("/patients/:id/loyalty", allow(desk...), h.getLoyalty)
	api.GET("/settings/loyalty", allow(desk...), h.getLoyaltyRules)
	api.PUT("/settings/loyalty", allow(managers...), h.putLoyaltyRules)
	h.invoiceRoutes(api)
	s.reportRoutes(api)
}

// billingHandlers holds the billing store the handlers call.
type billingHandlers struct {
	s     *Server
	store *billing.Store
}

// preview answers POST /api/v1/invoices/preview: the invoice as it would be saved, nothing written.
func (h billingHandlers) preview(c *gin.Context) {
	var in billing.PreviewInput
	if decode(c, &in) {
		ok200(c, h.s, func() (any, error) { return h.store.Preview(c.Request.Context(), in) })
	}
}

func (h billingHandlers) addPackage(c *gin.Context) {
	id, ok := pathID(c, "patient")
	var in billing.PackageInput
	if ok && decode(c, &in) {
		created(c, h.s, func() (any, error) { return h.store.AddPackage(c.Request.Context(), actor(c), id, in) })
	}
}

func (h billingHandlers) putInsurance(c *gin.Context) {
	id, ok := pathID(c, "patient")
	var in billing.PolicyInput
	if ok && decode(c, &in) {
		ok200(c, h.s, func() (any, error) { return h.store.PutInsurance(c.Request.Context(), actor(c), id, in) })
	}
}

func (h billingHandlers) putLoyalty(c *gin.Context) {
	id, ok := pathID(c, "patient")
	var in billing.LoyaltyInput
	if ok && decode(c, &in) {
		ok200(c, h.s, func() (any, error) { return h.store.PutLoyalty(c.Request.Context(), actor(c), id, in) })
	}
}

func (h billingHandlers) listPackages(c *gin.Context) {
	if id, ok := pathID(c, "patient"); ok {
		list(c, h.s, func() (any, error) { return h.store.Packages(c.Request.Context(), id) })
	}
}

func (h billingHandlers) getInsurance(c *gin.Context) {
	if id, ok := pathID(c, "patient"); ok {
		ok200(c, h.s, func() (any, error) { return h.store.Insurance(c.Request.Context(), id) })
	}
}

func (h billingHandlers) getLoyalty(c *gin.Context) {
	if id, ok := pathID(c, "patient"); ok {
		ok200(c, h.s, func() (any, error) { return h.store.Loyalty(c.Request.Context(), id) })
	}
}

// getLoyaltyRules answers GET /api/v1/settings/loyalty: the points rate and the tiers.
func (h billingHandlers) getLoyaltyRules(c *gin.Context) {
	ok200(c, h.s, func() (any, error) { return h.store.LoyaltyRules(c.Request.Context()) })
}

// putLoyaltyRules answers PUT /api/v1/settings/loyalty: the fields given replace the rules'.
func (h billingHandlers) putLoyaltyRules(c *gin.Context) {
	var in billing.LoyaltyRulesInput
	if decode(c, &in) {
		ok200(c, h.s, func() (any, error) { return h.store.PutLoyaltyRules(c.Request.Context(), in) })
	}
}
