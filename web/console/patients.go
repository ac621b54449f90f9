package console

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

func init() {
	pageNames = append(pageNames, "patients", "patient", "patient_edit")
	// Patients comes before the owner's own pages in the top bar.
	at := slices.IndexFunc(navigation, func(n navItem) bool { return n.Name == "Sign-ins" })
	if at < 0 {
		at = len(navigation)
	}
	navigation = slices.Insert(navigation, at, navItem{Name: "Patients", Path: Prefix + "/patients", Roles: allStaff})
}

// patientsPageSize is how many patients a search page lists, and how many visits a patient's page.
const patientsPageSize = 20

// patientsPage is the patient search: a fragment of a name or a phone, a page of matches at a time.
type patientsPage struct {
	Query, Error string
	Searched     bool
	Patients     []patientRow
	// Next is the address of the next page; empty on the last.
	Next string
	// More is set after the first page, to offer going back to it.
	More bool
}

type patientRow struct {
	ID                       scheduling.ID
	Name, Phone, Email, Born string
}

// patientRoutes adds the patient search, the patient's page and its edit form, for every role.
func (con *Console) patientRoutes(in *gin.RouterGroup) {
	in.GET("/patients", con.patients)
	in.GET("/patients/:id", con.patient)
	in.GET("/patients/:id/edit", con.patientEdit)
	in.POST("/patients/:id", con.savePatient)
}

// patients searches the patients by name or phone fragment.
func (con *Console) patients(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	page := patientsPage{Query: q, More: c.Query("cursor") != ""}
	status := http.StatusOK
	if q != "" {
		page.Searched = true
		res, err := con.sched.SearchPatients(c.Request.Context(),
			scheduling.PatientSearch{Query: q, Cursor: c.Query("cursor"), Limit: patientsPageSize})
		var de *scheduling.Error
		switch {
		case errors.As(err, &de) && (de.Kind == scheduling.KindRule || de.Kind == scheduling.KindInvalid):
			page.Error, status = searchMessage(de), kindStatus[de.Kind]
		case err != nil:
			con.fail(c, err)
			return
		default:
			for _, p := range res.Items {
				page.Patients = append(page.Patients, patientRowOf(p))
			}
			if res.NextCursor != "" {
				page.Next = Prefix + "/patients?" + url.Values{"q": {q}, "cursor": {res.NextCursor}}.Encode()
			}
		}
	}
	con.render(c, status, "patients", "Patients", page)
}

// searchMessage says why a search was refused, for the search field.
func searchMessage(de *scheduling.Error) string {
	switch de.Code {
	case "too_long":
		return "That is longer than any name. Type part of a name or a phone number."
	case "invalid_text":
		return "That is not text that can be searched. Type part of a name or a phone number."
	case "invalid_cursor":
		return "That page of results is no longer valid. Search again."
	}
	return "Type at least " + strconv.Itoa(scheduling.MinNameQuery) + " letters of a name or " +
		strconv.Itoa(scheduling.MinPhoneQuery) + " digits of a phone number."
}

func patientRowOf(p scheduling.Patient) patientRow {
	r := patientRow{ID: p.ID, Name: p.Name, Phone: p.Phone}
	if p.Email != nil {
		r.Email = *p.Email
	}
	if p.BirthDate != nil {
		r.Born = *p.BirthDate
	}
	return r
}

// patientPage is one patient: details and visit history, newest first.
type patientPage struct {
	patientRow
	Visits []patientVisit
	Next   string
	More   bool
	// Money is the patient's packages, insurance and loyalty, for the desk (billing_money.go).
	Money template.HTML
}

type patientVisit struct {
	ID                               scheduling.ID
	Date, Time, Doctor, Examinations string
	Status, StatusLabel              string
}

// patientID reads the :id of the path; a malformed id answers the not-found page.
func (con *Console) patientID(c *gin.Context) (scheduling.ID, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		con.errorPage(c, http.StatusNotFound, "No such patient", "There is no patient at this address. Find them with the patient search.")
		return 0, false
	}
	return scheduling.ID(id), true
}

// patient shows a patient's details and visits.
func (con *Console) patient(c *gin.Context) {
	id, ok := con.patientID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p, err := con.sched.GetPatient(ctx, id)
	if err != nil {
		con.fail(c, err)
		return
	}
	visits, err := con.sched.PatientSessions(ctx, id, c.Query("cursor"), patientsPageSize)
	var de *scheduling.Error
	if errors.As(err, &de) && de.Kind == scheduling.KindInvalid {
		c.Redirect(http.StatusSeeOther, Prefix+"/patients/"+strconv.FormatInt(int64(id), 10))
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	page := patientPage{patientRow: patientRowOf(*p), More: c.Query("cursor") != ""}
	for _, s := range visits.Items {
		row := todayRowOf(s)
		page.Visits = append(page.Visits, patientVisit{ID: s.ID, Date: s.Start.Format("Mon 2 Jan 2006"), Time: row.Time,
			Doctor: row.Doctor, Examinations: row.Examinations, Status: row.Status, StatusLabel: row.StatusLabel})
	}
	if visits.NextCursor != "" {
		page.Next = "?" + url.Values{"cursor": {visits.NextCursor}}.Encode()
	}
	// billing: the Money section, which doctors do not see.
	if page.Money, err = con.moneySection(ctx, signedIn(c), id, nil); err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "patient", p.Name, page)
}
