package console

import (
	"context"
	"slices"
	"time"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/web/access"
)

// visitInvoice is the session's invoice as the desk works with it on the session page: its lines and
// totals as priced, what has been paid and is still due, and the forms the status and role allow.
type visitInvoice struct {
	// Missing says the session keeps no invoice (booked before invoices were kept).
	Missing             bool
	Number              string
	Status, StatusLabel string
	Issued              string
	View                invoiceView
	Paid, Due           string
	Payments            []paymentRow
	Credit              *creditRow
	// CanPay, CanIssue and CanCredit offer the forms the status and the viewer's role allow.
	CanPay, CanIssue, CanCredit bool
	// Amount, Method and Reason are the forms as typed, shown again with Errors at their fields.
	Amount, Method, Reason string
	Methods                []string
	Errors                 map[string]string
}

// paymentRow is one payment as listed.
type paymentRow struct{ At, Method, Amount string }

// creditRow is the credit note that reversed the invoice.
type creditRow struct{ Number, Amount, Reason, At string }

// invoiceStatusLabels say an invoice's status in words.
var invoiceStatusLabels = map[string]string{
	billing.StatusDraft:    "Draft",
	billing.StatusIssued:   "Issued",
	billing.StatusCredited: "Credited",
	billing.StatusVoid:     "Void",
}

// paymentMethods are the ways a patient pays, with their labels.
var paymentMethods = []string{"cash", "card", "transfer"}

// invoiceOfVisit reads the session's invoice for the viewer: nil for a role that sees no money
// (doctors, DESIGN 3.4).
func (con *Console) invoiceOfVisit(ctx context.Context, a account, id scheduling.ID, loc *time.Location) (*visitInvoice, error) {
	if !slices.Contains(deskRoles, a.Role) {
		return nil, nil
	}
	store, err := con.billingStore()
	if err != nil {
		return nil, err
	}
	inv, err := store.SessionInvoice(ctx, id)
	if err != nil || inv == nil {
		return &visitInvoice{Missing: true}, err
	}
	return visitInvoiceOf(inv, a, loc), nil
}

// visitInvoiceOf builds the card of a saved invoice, times in the branch's zone loc.
func visitInvoiceOf(inv *billing.SavedInvoice, a account, loc *time.Location) *visitInvoice {
	money := func(v int64) string { return priceText(v, inv.Currency) }
	at := func(t time.Time) string { return t.In(loc).Format("2 Jan 2006 15:04") }
	v := &visitInvoice{Status: inv.Status, StatusLabel: invoiceStatusLabels[inv.Status], View: invoiceViewOf(inv.Invoice),
		Paid: money(inv.Paid), Due: money(inv.Due), Method: "cash", Methods: paymentMethods, Errors: map[string]string{}}
	if inv.Number != nil {
		v.Number = *inv.Number
	}
	if inv.IssuedAt != nil {
		v.Issued = at(*inv.IssuedAt)
	}
	for _, p := range inv.Payments {
		v.Payments = append(v.Payments, paymentRow{At: at(p.CreatedAt), Method: p.Method, Amount: money(p.Amount)})
	}
	if n := inv.CreditNote; n != nil {
		v.Credit = &creditRow{Number: n.Number, Amount: money(n.Amount), Reason: n.Reason, At: at(n.CreatedAt)}
	}
	open := inv.Status == billing.StatusDraft || inv.Status == billing.StatusIssued
	v.CanPay = open && inv.Due > 0
	v.CanIssue = inv.Status == billing.StatusDraft
	v.CanCredit = inv.Status == billing.StatusIssued && (a.Role == access.Owner || a.Role == access.Manager)
	if inv.Due > 0 {
		v.Amount = priceInput(inv.Due, inv.Currency)
	}
	return v
}
