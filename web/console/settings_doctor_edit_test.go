package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

func TestDoctorNameAndSpecialtyAreChanged(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	doctor := "/console/settings/doctors/" + idPath(tb.clinic.Doctor.ID)

	desk := tb.signedIn(t, access.Receptionist)
	deskToken := csrf(t, desk.get("/console/"))
	require.Equal(t, http.StatusForbidden, desk.get(doctor+"/edit").status)
	require.Equal(t, http.StatusForbidden, desk.post(doctor+"/edit", url.Values{"csrf": {deskToken}, "name": {"Mallory"}}).status)

	br := tb.signedIn(t, access.Manager)
	require.Contains(t, br.get(doctor).body, `href="`+doctor+`/edit">Change name or specialty</a>`)
	p := br.get(doctor + "/edit")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `value="Ana Ferreira"`)
	token := csrf(t, p)

	require.Equal(t, http.StatusForbidden, br.post(doctor+"/edit", url.Values{"name": {"Mallory"}}).status, "no CSRF token")
	p = br.post(doctor+"/edit", url.Values{"csrf": {token}, "was": {"Ana Ferreira"}, "name": {"  "}, "specialty": {"Cardiology"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, `id="name-error">Enter the doctor&#39;s name.`)
	require.Contains(t, p.body, `value="Cardiology"`, "the form keeps what was typed")
	require.Contains(t, p.body, ">Ana Ferreira</a></p>", "the heading still names the doctor as saved")
	require.Equal(t, "Ana Ferreira", schedtest.Must(tb.Svc.GetDoctor(ctx, tb.clinic.Doctor.ID))(t).Name)

	p = br.post(doctor+"/edit", url.Values{"csrf": {token}, "was": {"Ana Ferreira"}, "name": {"Ana Ferreira Lopes"},
		"specialty": {"General practice"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, doctor, p.location())
	p = br.get(doctor)
	require.Contains(t, p.body, "Saved: the doctor is now Ana Ferreira Lopes.")
	require.Contains(t, p.body, "<h1>Ana Ferreira Lopes</h1>")
	d := schedtest.Must(tb.Svc.GetDoctor(ctx, tb.clinic.Doctor.ID))(t)
	require.Equal(t, "General practice", d.Specialty)

	require.Equal(t, http.StatusNotFound, br.get("/console/settings/doctors/99999/edit").status)
	require.Equal(t, http.StatusNotFound, br.post("/console/settings/doctors/99999/edit",
		url.Values{"csrf": {token}, "name": {"Nobody"}}).status)
}
