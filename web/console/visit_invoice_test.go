package console

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// invoiceSetup is setup with sessions that keep their invoices, as the product runs them.
func invoiceSetup(t *testing.T) *testBundle {
	t.Helper()
	tb := &testBundle{clock: &testClock{now: schedtest.Now}, emails: map[access.Role]string{}}
	tb.Bundle = schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{billing.SessionListener}})
	tb.clinic = schedtest.NewClinic(t, tb.Svc)
	rdb, prefix := dbtest.NewRedis(t)
	tb.deps = Deps{Logger: slog.New(slog.DiscardHandler), DB: tb.Pool, Redis: rdb, Scheduling: tb.Svc,
		Access: access.NewStore(tb.Pool, tb.clock.Now), Now: tb.clock.Now,
		Config: Config{ClinicName: "Harbour Clinic", RedisPrefix: prefix}}
	tb.url = tb.serve(t, tb.deps)
	for _, role := range []access.Role{access.Owner, access.Manager, access.Doctor, access.Receptionist} {
		var doctor scheduling.ID
		if role == access.Doctor {
			doctor = tb.clinic.Doctor.ID
		}
		tb.emails[role] = tb.addUser(t, string(role)+"@clinic.test", role, doctor)
	}
	return tb
}

// invoice is the session's invoice as stored.
func (tb *testBundle) invoice(t *testing.T, id scheduling.ID) *billing.SavedInvoice {
	t.Helper()
	inv, err := billing.NewStore(tb.Pool, tb.clock.Now).InvoiceOfSession(context.Background(), id)
	require.NoError(t, err)
	return inv
}

// invoiceForm posts one of the invoice's forms from the session page, with the page's CSRF token.
func (br *browser) invoiceForm(path, action string, form url.Values) page {
	br.t.Helper()
	form.Set("csrf", csrf(br.t, br.get(path)))
	return br.post(path+"/invoice/"+action, form)
}

func TestVisitInvoiceShowsLinesTotalsAndTheirTraceToTheDeskOnly(t *testing.T) {
	t.Parallel()
	tb := invoiceSetup(t)
	_, path := tb.book(t)

	desk := tb.signedIn(t, access.Receptionist).get(path)
	require.Equal(t, http.StatusOK, desk.status, desk.body)
	card := desk.body[strings.Index(desk.body, `id="invoice"`):strings.Index(desk.body, "<h2>History</h2>")]
	for _, want := range []string{"Invoice", "Draft", "Consultation", "€60.00", "How this was priced", "Subtotal",
		"Patient pays", "Paid</dt><dd>€0.00", "Still due</dt><dd>€60.00", "No payment yet.", `value="60.00"`,
		"Record payment", ">Issue now<"} {
		require.Contains(t, card, want)
	}
	require.NotContains(t, card, "Credit note", "an invoice still a draft is not credited")

	manager := tb.signedIn(t, access.Manager).get(path)
	require.Contains(t, manager.body, `id="invoice"`)

	doc := tb.signedIn(t, access.Doctor).get(path)
	require.Equal(t, http.StatusOK, doc.status)
	for _, hidden := range []string{`id="invoice"`, "€60.00", "Still due", "/invoice/payments"} {
		require.NotContains(t, doc.body, hidden, "a doctor sees no money")
	}
}

func TestVisitInvoicePaymentsArePartialAndNeverMoreThanDue(t *testing.T) {
	t.Parallel()
	tb := invoiceSetup(t)
	id, path := tb.book(t)
	desk := tb.signedIn(t, access.Receptionist)

	// Without the CSRF token nothing is recorded.
	p := desk.post(path+"/invoice/payments", url.Values{"amount": {"10"}, "method": {"cash"}})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Zero(t, tb.invoice(t, id).Paid)

	p = desk.invoiceForm(path, "payments", url.Values{"amount": {"12,50"}, "method": {"card"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, path+"#invoice", p.location())
	page := desk.get(path)
	require.Contains(t, page.body, "Payment of €12.50 recorded.")
	require.Contains(t, page.body, "Paid</dt><dd>€12.50")
	require.Contains(t, page.body, "Still due</dt><dd>€47.50")
	require.Contains(t, page.body, `value="47.50"`, "the form offers what is still due")
	require.Equal(t, int64(1250), tb.invoice(t, id).Paid)

	p = desk.invoiceForm(path, "payments", url.Values{"amount": {"7.50"}, "method": {"cash"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, int64(2000), tb.invoice(t, id).Paid)

	// More than is due is refused at the field, the amount kept as typed.
	p = desk.invoiceForm(path, "payments", url.Values{"amount": {"40.01"}, "method": {"cash"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, fieldError(p, "pay-amount"), "€40.01 is more than the €40.00 still due")
	require.Contains(t, p.body, `value="40.01"`)
	require.Equal(t, int64(2000), tb.invoice(t, id).Paid)

	for _, bad := range []struct{ amount, method, field, says string }{
		{"twelve", "cash", "pay-amount", "Write an amount such as"},
		{"", "cash", "pay-amount", "Write the amount paid."},
		{"0", "cash", "pay-amount", "more than zero"},
		{"5", "cheque", "pay-method", "cash, card or transfer"},
	} {
		p = desk.invoiceForm(path, "payments", url.Values{"amount": {bad.amount}, "method": {bad.method}})
		require.Equal(t, http.StatusUnprocessableEntity, p.status, bad.amount)
		require.Contains(t, fieldError(p, bad.field), bad.says, bad.amount)
	}
	require.Equal(t, int64(2000), tb.invoice(t, id).Paid)

	// Paying the rest leaves nothing due, and no form to pay more.
	require.Equal(t, http.StatusSeeOther, desk.invoiceForm(path, "payments", url.Values{"amount": {"40"}, "method": {"transfer"}}).status)
	page = desk.get(path)
	require.Contains(t, page.body, "Still due</dt><dd>€0.00")
	require.NotContains(t, page.body, "Record payment")
	for _, paid := range []string{"card</span> <strong>€12.50", "cash</span> <strong>€7.50", "transfer</span> <strong>€40.00"} {
		require.Contains(t, page.body, paid)
	}

	// A doctor may not take payments.
	require.Equal(t, http.StatusForbidden, tb.signedIn(t, access.Doctor).post(path+"/invoice/payments",
		url.Values{"csrf": {"x"}, "amount": {"1"}, "method": {"cash"}}).status)
}

func TestVisitInvoiceIsIssuedByTheDeskAndCreditedByAManager(t *testing.T) {
	t.Parallel()
	tb := invoiceSetup(t)
	id, path := tb.book(t)
	desk, manager := tb.signedIn(t, access.Receptionist), tb.signedIn(t, access.Manager)

	// Nothing issued, nothing to credit.
	p := manager.invoiceForm(path, "credit-note", url.Values{"reason": {"Wrong patient"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, manager.get(path).body, "only an issued invoice can be credited")

	p = desk.invoiceForm(path, "issue", url.Values{})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	inv := tb.invoice(t, id)
	require.Equal(t, billing.StatusIssued, inv.Status)
	require.NotNil(t, inv.Number)
	page := desk.get(path)
	require.Contains(t, page.body, "Invoice "+*inv.Number+" issued.")
	require.Contains(t, page.body, `<span class="session-invoice-number">`+*inv.Number+`</span>`)
	require.Contains(t, page.body, ">Issued<")
	require.NotContains(t, page.body, ">Issue now<")
	require.NotContains(t, page.body, "credit-note", "a receptionist is not offered a credit note")
	require.Contains(t, page.body, "Record payment", "an issued invoice still takes payments")

	// Issuing twice is refused with a message.
	require.Equal(t, http.StatusSeeOther, desk.post(path+"/invoice/issue", url.Values{"csrf": {csrf(t, page)}}).status)
	require.Contains(t, desk.get(path).body, "only a draft can be issued")

	// A manager is offered the credit note, asked to confirm it.
	require.Contains(t, manager.get(path).body, `data-confirm="Write a credit note?`)

	// The receptionist may not credit; a manager must say why.
	require.Equal(t, http.StatusForbidden, desk.post(path+"/invoice/credit-note",
		url.Values{"csrf": {csrf(t, page)}, "reason": {"Wrong patient"}}).status)
	require.Equal(t, billing.StatusIssued, tb.invoice(t, id).Status)
	p = manager.invoiceForm(path, "credit-note", url.Values{"reason": {"  "}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Equal(t, "A credit note needs a reason.", fieldError(p, "credit-reason"))
	require.Equal(t, billing.StatusIssued, tb.invoice(t, id).Status)

	p = manager.invoiceForm(path, "credit-note", url.Values{"reason": {"Billed the wrong examination"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	inv = tb.invoice(t, id)
	require.Equal(t, billing.StatusCredited, inv.Status)
	require.NotNil(t, inv.CreditNote)
	page = manager.get(path)
	require.Contains(t, page.body, "Credit note "+inv.CreditNote.Number+" written")
	require.Contains(t, page.body, ">Credited<")
	require.Contains(t, page.body, "Billed the wrong examination")
	require.NotContains(t, page.body, "Record payment", "a credited invoice takes no payments")
}
