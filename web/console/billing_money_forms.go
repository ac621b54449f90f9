package console

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

// moneyPage is the patient's Money section on a page of its own, shown when one of its forms is
// refused: the forms as typed, the errors at their fields.
type moneyPage struct {
	ID    scheduling.ID
	Name  string
	Money template.HTML
}

// moneyForm starts a money form: the patient, and the section as it was sent.
func (con *Console) moneyForm(c *gin.Context) (scheduling.ID, *moneyView, *billing.Store, bool) {
	id, ok := con.patientID(c)
	if !ok {
		return 0, nil, nil, false
	}
	store, err := con.billingStore()
	if err == nil {
		_, err = con.sched.GetPatient(c.Request.Context(), id)
	}
	mv := &moneyView{Errors: map[string]string{}}
	if err == nil {
		mv.Currency, err = con.clinicCurrency(c.Request.Context())
	}
	if err != nil {
		con.fail(c, err)
		return 0, nil, nil, false
	}
	return id, mv, store, true
}

// moneyDone answers a money form: saved, back to the patient's page with a message; refused, the
// section again with the errors at their fields (fields maps error codes to fields).
func (con *Console) moneyDone(c *gin.Context, id scheduling.ID, mv *moneyView, err error, form string, fields map[string]string, saved string) {
	ctx := c.Request.Context()
	if err == nil && len(mv.Errors) == 0 {
		con.flash(c, flashSuccess, saved)
		c.Redirect(http.StatusSeeOther, Prefix+"/patients/"+idPath(id)+"#money")
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		de, ok := asDomain(err)
		if !ok || de.Kind == scheduling.KindNotFound && !strings.HasPrefix(de.Message, "examination") {
			con.fail(c, err)
			return
		}
		field := fields[de.Code]
		if field == "" {
			field = "exams" // the examinations named are the only other ids a form sends
		}
		message, ok := moneyMessages[de.Code]
		if !ok {
			message = sentence(de.Message)
		}
		mv.Errors[form+"."+field] = message
		status = kindStatus[de.Kind]
	}
	p, err := con.sched.GetPatient(ctx, id)
	if err != nil {
		con.fail(c, err)
		return
	}
	html, err := con.moneySection(ctx, signedIn(c), id, mv)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, status, "billing_patient", p.Name+" · Money", moneyPage{ID: id, Name: p.Name, Money: html})
}

// moneyMessages say the store's refusals in the words of the page's fields.
var moneyMessages = map[string]string{
	"expires_in_past":  "That day is past: the package could never be used.",
	"policy_expired":   "That day is past: the policy would cover no visit.",
	"invalid_validity": "The policy must end on or after the day it starts.",
	"invalid_date":     "Choose a date.",
}

// addPackage sells a prepaid package to the patient.
func (con *Console) addPackage(c *gin.Context) {
	id, mv, store, ok := con.moneyForm(c)
	if !ok {
		return
	}
	f := packageForm{Name: c.PostForm("name"), Uses: strings.TrimSpace(c.PostForm("uses")),
		Expires: strings.TrimSpace(c.PostForm("expires_on")), Exams: idsOf(c.PostFormArray("exam"))}
	mv.Package = f
	if strings.TrimSpace(f.Name) == "" {
		mv.Errors["package.name"] = "Name the package, such as 10 physiotherapy sessions."
	}
	if f.Uses == "" {
		mv.Errors["package.uses"] = "Write how many uses the package holds."
	}
	if len(f.Exams) == 0 {
		mv.Errors["package.exams"] = "Tick the examinations the package covers."
	}
	in := billing.PackageInput{Name: f.Name, ExaminationIDs: f.Exams}
	if n, err := strconv.ParseInt(f.Uses, 10, 64); err == nil {
		in.Uses = &n
	} else if f.Uses != "" {
		mv.Errors["package.uses"] = "Write the number of uses as a whole number, such as 10."
	}
	if f.Expires != "" {
		in.ExpiresOn = &f.Expires
	}
	var err error
	if len(mv.Errors) == 0 {
		_, err = store.AddPackage(c.Request.Context(), consoleActor(signedIn(c)), id, in)
	}
	con.moneyDone(c, id, mv, err, "package", map[string]string{"missing_name": "name", "too_long": "name", "invalid_text": "name",
		"missing_uses": "uses", "invalid_uses": "uses", "invalid_date": "expires", "expires_in_past": "expires", "out_of_range": "expires"},
		"Package "+strings.TrimSpace(f.Name)+" added.")
}

// setInsurance sets the patient's insurance policy, replacing the one they have.
func (con *Console) setInsurance(c *gin.Context) {
	id, mv, store, ok := con.moneyForm(c)
	if !ok {
		return
	}
	f := insuranceForm{Insurer: c.PostForm("insurer"), Coverage: strings.TrimSpace(c.PostForm("coverage")),
		Deductible: strings.TrimSpace(c.PostForm("deductible")), Limit: strings.TrimSpace(c.PostForm("limit")),
		From: strings.TrimSpace(c.PostForm("valid_from")), To: strings.TrimSpace(c.PostForm("valid_to")),
		Exams: idsOf(c.PostFormArray("exam"))}
	mv.Insurance = f
	for key, missing := range map[string]string{"insurer": f.Insurer, "coverage": f.Coverage, "valid_from": f.From, "valid_to": f.To} {
		if strings.TrimSpace(missing) == "" {
			mv.Errors["insurance."+key] = "This is required."
		}
	}
	in := billing.PolicyInput{Insurer: f.Insurer, ValidFrom: f.From, ValidTo: f.To, ExaminationIDs: f.Exams}
	in.CoverageBP = readPercent(f.Coverage, "insurance.coverage", mv.Errors)
	in.AnnualDeductible = readAmount(f.Deductible, mv.Currency, "insurance.deductible", mv.Errors)
	if f.Deductible == "" {
		zero := int64(0)
		in.AnnualDeductible = &zero // no deductible
	}
	in.AnnualLimit = readAmount(f.Limit, mv.Currency, "insurance.limit", mv.Errors)
	var err error
	if len(mv.Errors) == 0 {
		_, err = store.PutInsurance(c.Request.Context(), consoleActor(signedIn(c)), id, in)
	}
	con.moneyDone(c, id, mv, err, "insurance", map[string]string{"missing_insurer": "insurer", "too_long": "insurer",
		"invalid_text": "insurer", "missing_coverage": "coverage", "invalid_coverage": "coverage", "negative_amount": "deductible",
		"missing_valid_from": "valid_from", "missing_valid_to": "valid_to", "invalid_validity": "valid_to",
		"policy_expired": "valid_to", "invalid_date": "valid_from", "out_of_range": "valid_from"}, "Insurance saved.")
}

// adjustLoyalty sets the patient's points and tier discount; a field left empty keeps its value.
func (con *Console) adjustLoyalty(c *gin.Context) {
	id, mv, store, ok := con.moneyForm(c)
	if !ok {
		return
	}
	f := loyaltyForm{Points: strings.TrimSpace(c.PostForm("points")), Tier: strings.TrimSpace(c.PostForm("tier"))}
	mv.Loyalty = f
	var in billing.LoyaltyInput
	if f.Points != "" {
		if n, err := strconv.ParseInt(f.Points, 10, 64); err == nil {
			in.Points = &n
		} else {
			mv.Errors["loyalty.points"] = "Write the points as a whole number, such as 250."
		}
	}
	in.TierDiscountBP = readPercent(f.Tier, "loyalty.tier", mv.Errors)
	var err error
	if len(mv.Errors) == 0 {
		_, err = store.PutLoyalty(c.Request.Context(), consoleActor(signedIn(c)), id, in)
	}
	fields := map[string]string{"negative_amount": "points", "out_of_range": "points"}
	if de, ok := asDomain(err); ok && strings.HasPrefix(de.Message, "tier") {
		fields = map[string]string{de.Code: "tier"}
	}
	con.moneyDone(c, id, mv, err, "loyalty", fields, "Loyalty account saved.")
}

// readPercent reads "80", "80.5" or "80 %" as basis points; empty is nil, anything else an error at key.
func readPercent(s, key string, errs map[string]string) *int64 {
	if s == "" {
		return nil
	}
	bp, ok := parsePrice(strings.TrimSpace(strings.TrimSuffix(s, "%")), "EUR")
	if !ok || bp > billing.BasisPoints {
		errs[key] = "Write a percentage between 0 and 100, such as 80 or 12.5."
		return nil
	}
	return &bp
}

// readAmount reads money as typed; empty is nil, anything else an error at key.
func readAmount(s, currency, key string, errs map[string]string) *int64 {
	if s == "" {
		return nil
	}
	minor, ok := parsePrice(s, currency)
	if !ok {
		errs[key] = "Write an amount such as " + priceInput(150000, currency) + "."
		return nil
	}
	return &minor
}
