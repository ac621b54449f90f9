package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// patientEditPage is the form that changes a patient's details, with a message at the field a
// refused change is about.
type patientEditPage struct {
	ID                            scheduling.ID
	Name, Phone, Email, BirthDate string
	Errors                        map[string]string
	// Duplicate is the patient who already has the phone typed, to open instead.
	Duplicate *patientRow
	CSRF      string
}

// patientEdit shows the edit form with the patient's details.
func (con *Console) patientEdit(c *gin.Context) {
	id, ok := con.patientID(c)
	if !ok {
		return
	}
	p, err := con.sched.GetPatient(c.Request.Context(), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	r := patientRowOf(*p)
	con.render(c, http.StatusOK, "patient_edit", "Edit "+p.Name, patientEditPage{ID: id, Name: r.Name, Phone: r.Phone,
		Email: r.Email, BirthDate: r.Born, CSRF: signedIn(c).CSRF})
}

// savePatient changes the patient's details; all of them are saved or none.
func (con *Console) savePatient(c *gin.Context) {
	id, ok := con.patientID(c)
	if !ok {
		return
	}
	page := patientEditPage{ID: id, Name: strings.TrimSpace(c.PostForm("name")), Phone: strings.TrimSpace(c.PostForm("phone")),
		Email: strings.TrimSpace(c.PostForm("email")), BirthDate: strings.TrimSpace(c.PostForm("birth_date")), CSRF: signedIn(c).CSRF}
	opt := func(s string) scheduling.PatchField {
		if s == "" {
			return scheduling.PatchField{Set: true}
		}
		return scheduling.PatchField{Set: true, Value: &s}
	}
	patch := scheduling.PatientPatch{Name: scheduling.PatchField{Set: true, Value: &page.Name},
		Phone: scheduling.PatchField{Set: true, Value: &page.Phone}, Email: opt(page.Email), BirthDate: opt(page.BirthDate)}
	_, err := con.sched.UpdatePatient(c.Request.Context(), id, patch)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, "The patient's details are saved.")
		c.Redirect(http.StatusSeeOther, Prefix+"/patients/"+strconv.FormatInt(int64(id), 10))
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden:
		con.fail(c, err)
		return
	}
	field, msg := patientFieldError(de)
	page.Errors = map[string]string{field: msg}
	if p, ok := de.Details["patient"].(*scheduling.Patient); ok && de.Code == scheduling.CodeDuplicatePhone {
		r := patientRowOf(*p)
		page.Duplicate = &r
	}
	con.render(c, kindStatus[de.Kind], "patient_edit", "Edit "+page.Name, page)
}

// patientFieldError names the form field a refused change is about and says what to do, in the
// front desk's words.
func patientFieldError(de *scheduling.Error) (field, message string) {
	for _, f := range []string{"name", "phone", "email", "birth_date"} {
		if strings.HasPrefix(de.Message, f+" ") || strings.HasPrefix(de.Message, f+":") {
			field = f
		}
	}
	switch de.Code {
	case "missing_name":
		return "name", "Enter the patient's name."
	case "missing_phone":
		return "phone", "Enter a phone number."
	case "invalid_phone":
		if strings.Contains(de.Message, "country code") {
			return "phone", "Start the number with its country code, such as +351."
		}
		return "phone", "This is not a valid phone number."
	case scheduling.CodeDuplicatePhone:
		return "phone", "Another patient already has this phone number."
	case "invalid_email":
		return "email", "This is not an email address."
	case "invalid_date":
		return "birth_date", "This is not a date."
	case "invalid_birth_date":
		return "birth_date", "This birth date is not plausible: check the year."
	case "too_long":
		if field == "" {
			field = "name"
		}
		_, limit, _ := strings.Cut(de.Message, "; ")
		return field, strings.TrimSuffix("This is too long: "+limit, ": ") + "."
	case "invalid_text":
		if field == "" {
			field = "name"
		}
		return field, "This is not valid text."
	}
	if field == "" {
		field = "name"
	}
	return field, de.Message
}
