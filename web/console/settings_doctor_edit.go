package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// doctorEditPage is the form that changes a doctor's name and specialty.
type doctorEditPage struct {
	ID              scheduling.ID
	Name, Specialty string
	// Was is the name as stored, for the page's heading while a change is refused.
	Was    string
	Errors map[string]string
	CSRF   string
}

// doctorEdit shows the form with the doctor's name and specialty.
func (con *Console) doctorEdit(c *gin.Context) {
	id, ok := con.doctorID(c)
	if !ok {
		return
	}
	d, err := con.sched.GetDoctor(c.Request.Context(), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "settings_doctor_edit", "Edit "+d.Name, doctorEditPage{ID: id, Name: d.Name,
		Specialty: d.Specialty, Was: d.Name, CSRF: signedIn(c).CSRF})
}

// saveDoctor changes the doctor's name and specialty, and goes back to the doctor's page.
func (con *Console) saveDoctor(c *gin.Context) {
	id, ok := con.doctorID(c)
	if !ok {
		return
	}
	page := doctorEditPage{ID: id, Name: strings.TrimSpace(c.PostForm("name")),
		Specialty: strings.TrimSpace(c.PostForm("specialty")), Was: c.PostForm("was"), CSRF: signedIn(c).CSRF}
	d, err := con.sched.UpdateDoctor(c.Request.Context(), id, page.Name, page.Specialty)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, "Saved: the doctor is now "+d.Name+".")
		c.Redirect(http.StatusSeeOther, Prefix+"/settings/doctors/"+idPath(id))
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden:
		con.fail(c, err)
		return
	}
	field, msg := doctorFieldError(de)
	page.Errors = map[string]string{field: msg}
	con.render(c, kindStatus[de.Kind], "settings_doctor_edit", "Edit "+page.Was, page)
}
