package console

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

func TestPatientsSearchByNameOrPhoneAPageAtATime(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for i := range 25 {
		tb.clinic.AddPatient(t, tb.Svc, i)
	}
	br := tb.signedIn(t, access.Doctor)

	p := br.get("/console/patients")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `<a href="/console/patients" aria-current="page">Patients</a>`)
	require.Contains(t, p.body, "Type part of a name")

	p = br.get("/console/patients?q=silv")
	require.Contains(t, p.body, `<a href="/console/patients/`+strconv.FormatInt(int64(tb.clinic.Patient.ID), 10)+`">Maria Silva</a>`)

	p = br.get("/console/patients?q=" + url.QueryEscape("912 345 7"))
	require.Equal(t, patientsPageSize, strings.Count(p.body, `<td class="phone">`))
	require.Contains(t, p.body, "Next page")
	next := p.body[strings.Index(p.body, `href="/console/patients?cursor=`)+6:]
	next = html.UnescapeString(next[:strings.Index(next, `"`)])
	p = br.get(next)
	require.Equal(t, http.StatusOK, p.status)
	require.Equal(t, 25-patientsPageSize, strings.Count(p.body, `<td class="phone">`))
	require.Contains(t, p.body, "First page")
	require.NotContains(t, p.body, "Next page")

	p = br.get("/console/patients?q=a")
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `id="q-error">Type at least 2 letters`)
	p = br.get("/console/patients?q=zzzz")
	require.Contains(t, p.body, "No patient")
}

func TestPatientPageListsVisitsWithLinks(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	id, path := tb.book(t)
	patient := "/console/patients/" + strconv.FormatInt(int64(tb.clinic.Patient.ID), 10)
	p := tb.signedIn(t, access.Receptionist).get(patient)
	require.Equal(t, http.StatusOK, p.status)
	for _, want := range []string{"<h1>Maria Silva</h1>", "&#43;351912345671", `href="` + path + `">Mon 4 Jan 2027</a>`,
		"10:00–10:30", "Consultation", "Ana Ferreira", "Waiting", patient + "/edit"} {
		require.Contains(t, p.body, want)
	}
	_ = id
	require.Equal(t, http.StatusNotFound, tb.signedIn(t, access.Manager).get("/console/patients/99999").status)
	require.Equal(t, http.StatusNotFound, tb.signedIn(t, access.Manager).get("/console/patients/x").status)
}

func TestPatientEditSavesOrShowsTheErrorAtTheField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	other := tb.clinic.AddPatient(t, tb.Svc, 7)
	path := "/console/patients/" + strconv.FormatInt(int64(tb.clinic.Patient.ID), 10)
	br := tb.signedIn(t, access.Receptionist)
	p := br.get(path + "/edit")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `value="Maria Silva"`)
	token := csrf(t, p)
	form := func(name, phone, email, born string) url.Values {
		return url.Values{"csrf": {token}, "name": {name}, "phone": {phone}, "email": {email}, "birth_date": {born}}
	}
	stored := func() *scheduling.Patient {
		return schedtest.Must(tb.Svc.GetPatient(context.Background(), tb.clinic.Patient.ID))(t)
	}

	// Another patient's phone: shown at the phone field with a link to that patient; nothing saved.
	p = br.post(path, form("Maria S. Silva", other.Phone, "maria@example.com", "1980-02-29"))
	require.Equal(t, http.StatusConflict, p.status)
	require.Contains(t, p.body, `id="phone-error">Another patient already has this phone number.`)
	require.Contains(t, p.body, fmt.Sprintf(`href="/console/patients/%d">Open %s</a>`, other.ID, strings.ReplaceAll(other.Name, "+", "&#43;")))
	require.Contains(t, p.body, `value="Maria S. Silva"`, "what was typed stays in the form")
	require.Equal(t, "Maria Silva", stored().Name)

	for _, c := range []struct {
		form        url.Values
		field, want string
	}{
		{form("", "+351912345671", "", ""), "name", "Enter the patient&#39;s name."},
		{form("Maria", "912345671", "", ""), "phone", "country code"},
		{form("Maria", "+351912345671", "not-an-address", ""), "email", "not an email address"},
		{form("Maria", "+351912345671", "", "31/02/1980"), "birth_date", "This is not a date."},
		{form("Maria", "+351912345671", "", "1780-01-01"), "birth_date", "not plausible"},
	} {
		p = br.post(path, c.form)
		require.GreaterOrEqual(t, p.status, 400, c.field)
		require.Less(t, p.status, 500, c.field)
		require.Contains(t, p.body, `id="`+c.field+`-error">`, c.field)
		require.Contains(t, p.body, c.want, c.field)
		require.NotContains(t, p.body, "YYYY", c.field)
	}
	require.Equal(t, "Maria Silva", stored().Name)

	// Without the CSRF token nothing is saved.
	f := form("Mallory", "+351912345671", "", "")
	f.Del("csrf")
	require.Equal(t, http.StatusForbidden, br.post(path, f).status)

	p = br.post(path, form("Maria S. Silva", "+351 912 000 111", "maria@example.com", "1980-02-29"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, path, p.location())
	got := stored()
	require.Equal(t, "Maria S. Silva", got.Name)
	require.Equal(t, "+351912000111", got.Phone)
	require.Equal(t, "maria@example.com", *got.Email)
	p = br.get(path)
	require.Contains(t, p.body, "The patient&#39;s details are saved.")
	require.Contains(t, p.body, "1980-02-29")

	// Clearing the optional fields clears them.
	require.Equal(t, http.StatusSeeOther, br.post(path, form("Maria S. Silva", "+351912000111", "", "")).status)
	require.Nil(t, stored().Email)
	require.Nil(t, stored().BirthDate)
}
