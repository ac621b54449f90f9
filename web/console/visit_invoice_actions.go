package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

// invoiceRoutes adds what the desk does with a session's invoice from the session page: take a
// payment and issue a draft; a credit note is the managers' and the owner's (DESIGN 3.4).
func (con *Console) invoiceRoutes(in *gin.RouterGroup) {
	in.POST("/sessions/:id/invoice/payments", con.allow(deskRoles...), con.payInvoice)
	in.POST("/sessions/:id/invoice/issue", con.allow(deskRoles...), con.issueInvoice)
	in.POST("/sessions/:id/invoice/credit-note", con.allow(managerRoles...), con.creditInvoice)
}

// sessionInvoice starts an invoice action: the session, the billing store and the session's invoice.
func (con *Console) sessionInvoice(c *gin.Context) (scheduling.ID, *billing.Store, *billing.SavedInvoice, bool) {
	id, ok := con.sessionID(c)
	if !ok {
		return 0, nil, nil, false
	}
	store, err := con.billingStore()
	var inv *billing.SavedInvoice
	if err == nil {
		inv, err = store.InvoiceOfSession(c.Request.Context(), id)
	}
	if err != nil {
		con.fail(c, err)
		return 0, nil, nil, false
	}
	return id, store, inv, true
}

// payInvoice records a payment typed as money ("12,50" or "12.50"). A refused one shows the page
// again with the reason at its field: never more than is still due.
func (con *Console) payInvoice(c *gin.Context) {
	id, store, inv, ok := con.sessionInvoice(c)
	if !ok {
		return
	}
	amount, method := strings.TrimSpace(c.PostForm("amount")), c.PostForm("method")
	errs := map[string]string{}
	var minor *int64
	if amount == "" {
		errs["amount"] = "Write the amount paid."
	} else {
		minor = readAmount(amount, inv.Currency, "amount", errs)
	}
	var err error
	if len(errs) == 0 {
		a := signedIn(c)
		_, err = store.AddPayment(c.Request.Context(), a.actor(), inv.ID,
			billing.PaymentInput{Amount: minor, Method: method, Currency: inv.Currency})
	}
	if err == nil && len(errs) == 0 {
		con.flash(c, flashSuccess, "Payment of "+priceText(*minor, inv.Currency)+" recorded.")
		c.Redirect(http.StatusSeeOther, sessionLink(id)+"#invoice")
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		de, ok := asDomain(err)
		if !ok || de.Kind == scheduling.KindNotFound {
			con.fail(c, err)
			return
		}
		field := "amount"
		if strings.Contains(de.Code, "method") {
			field = "method"
		}
		errs[field] = sentence(de.Message)
		if de.Code == "more_than_due" {
			// Said with what is due now: another desk may have taken a payment since the page was shown.
			if now, err := store.GetInvoice(c.Request.Context(), inv.ID); err == nil {
				errs[field] = priceText(*minor, inv.Currency) + " is more than the " + priceText(now.Due, inv.Currency) +
					" still due: take at most that, or part of it."
			}
		}
		status = kindStatus[de.Kind]
	}
	con.invoiceRefused(c, id, status, func(v *visitInvoice) {
		v.Amount, v.Method, v.Errors = amount, method, errs
	})
}

// issueInvoice issues the session's draft before the visit ends.
func (con *Console) issueInvoice(c *gin.Context) {
	id, store, inv, ok := con.sessionInvoice(c)
	if !ok {
		return
	}
	issued, err := store.Issue(c.Request.Context(), signedIn(c).actor(), inv.ID)
	if con.invoiceMoveFailed(c, err) {
		return
	}
	con.flash(c, flashSuccess, "Invoice "+deref(issued.Number)+" issued.")
	c.Redirect(http.StatusSeeOther, sessionLink(id)+"#invoice")
}

// creditInvoice writes a credit note reversing the issued invoice; its reason is required.
func (con *Console) creditInvoice(c *gin.Context) {
	id, store, inv, ok := con.sessionInvoice(c)
	if !ok {
		return
	}
	reason := c.PostForm("reason")
	note, err := store.Credit(c.Request.Context(), signedIn(c).actor(), inv.ID, billing.CreditNoteInput{Reason: reason})
	if de, ok := asDomain(err); ok && (de.Kind == scheduling.KindRule || de.Kind == scheduling.KindInvalid) {
		con.invoiceRefused(c, id, kindStatus[de.Kind], func(v *visitInvoice) {
			v.Reason, v.Errors = reason, map[string]string{"reason": sentence(de.Message)}
		})
		return
	}
	if con.invoiceMoveFailed(c, err) {
		return
	}
	con.flash(c, flashSuccess, "Credit note "+note.Number+" written: the invoice is credited.")
	c.Redirect(http.StatusSeeOther, sessionLink(id)+"#invoice")
}

// invoiceMoveFailed answers a refused issue or credit note with a message on the session page, and
// anything else with the error page; false when err is nil.
func (con *Console) invoiceMoveFailed(c *gin.Context, err error) bool {
	if err == nil {
		return false
	}
	de, ok := asDomain(err)
	if !ok || de.Kind == scheduling.KindNotFound {
		con.fail(c, err)
		return true
	}
	con.flash(c, flashError, sentence(de.Message))
	id, _ := con.sessionID(c)
	c.Redirect(http.StatusSeeOther, sessionLink(id)+"#invoice")
	return true
}

// invoiceRefused shows the session page again with the invoice's form as typed and its errors.
func (con *Console) invoiceRefused(c *gin.Context, id scheduling.ID, status int, typed func(*visitInvoice)) {
	page, err := con.visitPageOf(c, id)
	if err == nil && page.Record != nil {
		err = con.loadRecord(c, page)
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	if page.Invoice != nil {
		typed(page.Invoice)
	}
	con.render(c, status, "visit", "Session of "+page.Patient, page)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
