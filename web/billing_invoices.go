package web

import (
	"context"
	"slices"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

// invoiceRoutes serves a session's invoice and what the desk does with it: take payments, issue it
// before the visit ends, and correct an issued one with a credit note (owner and managers only).
func (h billingHandlers) invoiceRoutes(api *gin.RouterGroup) {
	api.GET("/sessions/:id/invoice", allow(desk...), h.sessionInvoice)
	api.GET("/invoices/:id", allow(desk...), h.getInvoice)
	api.POST("/invoices/:id/payments", allow(desk...), h.addPayment)
	api.POST("/invoices/:id/issue", allow(desk...), h.issue)
	api.POST("/invoices/:id/credit-note", allow(managers...), h.creditNote)
}

func (h billingHandlers) sessionInvoice(c *gin.Context) {
	if id, ok := pathID(c, "session"); ok {
		ok200(c, h.s, func() (any, error) { return h.store.InvoiceOfSession(c.Request.Context(), id) })
	}
}

func (h billingHandlers) getInvoice(c *gin.Context) {
	if id, ok := pathID(c, "invoice"); ok {
		ok200(c, h.s, func() (any, error) { return h.store.GetInvoice(c.Request.Context(), id) })
	}
}

func (h billingHandlers) addPayment(c *gin.Context) {
	id, ok := pathID(c, "invoice")
	var in billing.PaymentInput
	if ok && decode(c, &in) {
		created(c, h.s, func() (any, error) { return h.store.AddPayment(c.Request.Context(), actor(c), id, in) })
	}
}

func (h billingHandlers) issue(c *gin.Context) {
	if id, ok := pathID(c, "invoice"); ok {
		ok200(c, h.s, func() (any, error) { return h.store.Issue(c.Request.Context(), actor(c), id) })
	}
}

func (h billingHandlers) creditNote(c *gin.Context) {
	id, ok := pathID(c, "invoice")
	var in billing.CreditNoteInput
	if ok && decode(c, &in) {
		created(c, h.s, func() (any, error) { return h.store.Credit(c.Request.Context(), actor(c), id, in) })
	}
}

// capturing makes the request's context keep the draft invoice a booking builds, for answerSession.
func (s *Server) capturing(c *gin.Context) context.Context {
	if !slices.Contains(desk, principal(c).Role) {
		return c.Request.Context()
	}
	ctx, _ := billing.WithCapture(c.Request.Context())
	c.Request = c.Request.WithContext(ctx)
	return ctx
}

// answerSession answers a session with its invoice. The invoice is money: the desk sees it, a
// doctor's answer carries null, as doctors see none of a patient's money records.
func (s *Server) answerSession(c *gin.Context, status int, sess *scheduling.Session) {
	out := sessionView(sess)
	if inv := billing.CapturedFrom(c.Request.Context()).Invoice(sess.ID); inv != nil {
		out.Invoice = inv
	} else if slices.Contains(desk, principal(c).Role) {
		inv, err := billing.NewStore(s.pool, s.sched.Now).SessionInvoice(c.Request.Context(), sess.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		if inv != nil {
			out.Invoice = inv
		}
	}
	c.JSON(status, out)
}
