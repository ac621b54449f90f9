package console

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/web/access"
)

// The money fragments the booking and patient pages embed, and the booking page's fetches answer,
// are partials (templates/partials/billing_*.html).
func init() { fragmentNames = append(fragmentNames, "invoice", "money", "money-field") }

// formField is one labelled input of a money form, with its error.
type formField struct {
	ID, Name, Label, Unit, Value, Error string
}

// fieldOf is the field name of form, its error taken from errs ("form.name").
func fieldOf(form, name, label, unit, value string, errs map[string]string) formField {
	return formField{ID: form + "-" + name, Name: name, Label: label, Unit: unit, Value: value, Error: errs[form+"."+name]}
}

// managerRoles adjust loyalty accounts, as in the API (DESIGN 3.4).
var managerRoles = []access.Role{access.Owner, access.Manager}

// billingRoutes adds the booking page's invoice preview and the patient page's money forms for the
// desk; loyalty adjustments are the managers' and the owner's. Doctors see no money.
func (con *Console) billingRoutes(in *gin.RouterGroup) {
	desk := in.Group("", con.allow(deskRoles...))
	desk.GET("/book/invoice", con.bookInvoice)
	desk.POST("/patients/:id/packages", con.addPackage)
	desk.POST("/patients/:id/insurance", con.setInsurance)
	in.POST("/patients/:id/loyalty", con.allow(managerRoles...), con.adjustLoyalty)
	con.consumablesRoutes(in)
	loyalty := in.Group("/settings/loyalty", con.allow(managerRoles...))
	loyalty.GET("", con.loyaltyRules)
	loyalty.POST("", con.saveLoyaltyRules)
	con.reportRoutes(in)
}

// billingStore is the billing store on the console's database.
func (con *Console) billingStore() (*billing.Store, error) {
	db, ok := con.db.(scheduling.DB)
	if !ok {
		return nil, errors.New("console: billing needs a database that runs transactions")
	}
	return billing.NewStore(db, con.now), nil
}

// fragment renders a fragment of templates/partials into HTML for a page to embed or a fetch to
// answer. Every page is parsed with the partials; the error page, which always exists, runs it.
func (con *Console) fragment(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := con.pages["error"].ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil //nolint:gosec // the output of html/template
}

// bookInvoice answers the booking page's invoice preview for the ticked examinations, the branch,
// the day and the picked patient, as an HTML fragment. It writes nothing, so a GET serves it.
func (con *Console) bookInvoice(c *gin.Context) {
	f := readBookForm(c.Query, c.QueryArray)
	html, status := con.invoicePreview(c.Request.Context(), f)
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", []byte(html))
}

// invoicePreview renders the preview of the booking form's visit, and the status a fetch of it
// answers. What is missing or refused is said in the fragment, never as an error page.
func (con *Console) invoicePreview(ctx context.Context, f bookForm) (template.HTML, int) {
	v, status := con.previewView(ctx, f)
	html, err := con.fragment("invoice", v)
	if err != nil {
		con.log.ErrorContext(ctx, "invoice preview failed", "err", err)
		return `<p class="field-error">The invoice could not be shown. Please try again.</p>`, http.StatusInternalServerError
	}
	return html, status
}

// previewView prices the visit with the same function as the saved invoice (DESIGN 3.4).
func (con *Console) previewView(ctx context.Context, f bookForm) (invoiceView, int) {
	switch {
	case f.Branch == 0:
		return invoiceView{Message: "Choose a branch to see the invoice."}, http.StatusOK
	case len(f.Exams) == 0:
		return invoiceView{Message: "Tick the examinations to see the invoice."}, http.StatusOK
	case f.Patient == 0:
		return invoiceView{Message: "Pick the patient to see what they will pay: their packages, insurance and loyalty count."}, http.StatusOK
	}
	store, err := con.billingStore()
	if err == nil {
		var inv billing.Invoice
		inv, err = store.Preview(ctx, billing.PreviewInput{PatientID: f.Patient, BranchID: f.Branch, ExaminationIDs: f.Exams, Date: f.Day})
		if err == nil {
			return invoiceViewOf(inv), http.StatusOK
		}
	}
	if de, ok := asDomain(err); ok {
		return invoiceView{Message: sentence(de.Message)}, kindStatus[de.Kind]
	}
	if !errors.Is(err, context.Canceled) {
		con.log.ErrorContext(ctx, "invoice preview failed", "err", err)
	}
	return invoiceView{Message: "The invoice could not be worked out right now. Please try again."}, http.StatusInternalServerError
}
