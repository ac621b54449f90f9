package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// doctorsPage lists the doctors with where they work, and the form that adds one.
type doctorsPage struct {
	Doctors []doctorRow
	// Name and Specialty are the new doctor's, as typed.
	Name, Specialty string
	Errors          map[string]string
	CSRF            string
}

type doctorRow struct {
	ID              scheduling.ID
	Name, Specialty string
	// Attends lists the branches with weekly hours, with the hours briefly.
	Attends []string
}

// doctors lists the doctors.
func (con *Console) doctors(c *gin.Context) {
	page, ok := con.doctorList(c)
	if !ok {
		return
	}
	con.render(c, http.StatusOK, "settings_doctors", "Doctors", page)
}

// doctorList is the doctors page without a form typed in.
func (con *Console) doctorList(c *gin.Context) (doctorsPage, bool) {
	ctx := c.Request.Context()
	doctors, err := con.sched.ListDoctors(ctx)
	if err != nil {
		con.fail(c, err)
		return doctorsPage{}, false
	}
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		con.fail(c, err)
		return doctorsPage{}, false
	}
	page := doctorsPage{CSRF: signedIn(c).CSRF, Errors: map[string]string{}}
	for _, d := range doctors {
		row := doctorRow{ID: d.ID, Name: d.Name, Specialty: d.Specialty}
		for _, b := range branches {
			a, err := con.sched.GetAttendance(ctx, d.ID, b.ID)
			if err != nil {
				con.fail(c, err)
				return doctorsPage{}, false
			}
			if len(a.Weekly) > 0 {
				row.Attends = append(row.Attends, b.Name+": "+weekSummary(a.Weekly))
			}
		}
		page.Doctors = append(page.Doctors, row)
	}
	return page, true
}

// createDoctor adds a doctor and opens their page, where their attendance is set.
func (con *Console) createDoctor(c *gin.Context) {
	name, specialty := strings.TrimSpace(c.PostForm("name")), strings.TrimSpace(c.PostForm("specialty"))
	d, err := con.sched.CreateDoctor(c.Request.Context(), name, specialty)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, d.Name+" is added. Set the hours they attend each branch.")
		c.Redirect(http.StatusSeeOther, Prefix+"/settings/doctors/"+idPath(d.ID))
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden:
		con.fail(c, err)
		return
	}
	page, ok := con.doctorList(c)
	if !ok {
		return
	}
	page.Name, page.Specialty = name, specialty
	field, msg := doctorFieldError(de)
	page.Errors[field] = msg
	con.render(c, kindStatus[de.Kind], "settings_doctors", "Doctors", page)
}

// doctorFieldError names the field of a doctor's form that a refusal is about, and what to do.
func doctorFieldError(de *scheduling.Error) (field, message string) {
	switch {
	case de.Code == "missing_name":
		return "name", "Enter the doctor's name."
	case strings.HasPrefix(de.Message, "specialty"):
		return "specialty", textMessage(de)
	}
	return "name", textMessage(de)
}
