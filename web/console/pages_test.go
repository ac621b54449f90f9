package console

import (
	"context"
	"io/fs"
	"net/http"
	"regexp"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// withoutFile is the embedded templates less one file, or with one file replaced.
func withoutFile(t *testing.T, name string, replace []byte) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	}))
	delete(m, name)
	if replace != nil {
		m[name] = &fstest.MapFile{Data: replace}
	}
	return m
}

func TestAMissingOrBrokenTemplateStopsStartUp(t *testing.T) {
	t.Parallel()
	a, err := loadAssets(assetFS)
	require.NoError(t, err)
	_, err = parsePages(templateFS, a)
	require.NoError(t, err, "the embedded templates parse")

	for name, tc := range map[string]struct {
		file    string
		replace []byte
	}{
		"a missing page":         {file: "templates/today.html"},
		"a missing layout":       {file: "templates/layout.html"},
		"a page without content": {file: "templates/signins.html", replace: []byte(`{{define "body"}}x{{end}}`)},
		"a page that is broken":  {file: "templates/error.html", replace: []byte(`{{define "content"}}{{if}}{{end}}`)},
	} {
		_, err := parsePages(withoutFile(t, tc.file, tc.replace), a)
		require.Errorf(t, err, name)
	}
}

func TestAssetsHaveContentHashURLsCachedForever(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	page := tb.browser(t).get("/console/signin")
	css := regexp.MustCompile(`href="(/console/assets/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(page.body)
	js := regexp.MustCompile(`src="(/console/assets/app\.[0-9a-f]{12}\.js)"`).FindStringSubmatch(page.body)
	require.NotNil(t, css, page.body)
	require.NotNil(t, js, page.body)
	for _, u := range []string{css[1], js[1]} {
		p := tb.browser(t).get(u)
		require.Equal(t, http.StatusOK, p.status)
		require.Equal(t, "public, max-age=31536000, immutable", p.resp.Header.Get("Cache-Control"))
		require.NotEmpty(t, p.body)
	}
	require.Contains(t, tb.browser(t).get(css[1]).resp.Header.Get("Content-Type"), "text/css")
	require.Equal(t, http.StatusNotFound, tb.browser(t).get("/console/assets/app.000000000000.css").status)

	// Another content, another URL.
	one, err := loadAssets(fstest.MapFS{"assets/app.css": {Data: []byte("a{}")}})
	require.NoError(t, err)
	two, err := loadAssets(fstest.MapFS{"assets/app.css": {Data: []byte("b{}")}})
	require.NoError(t, err)
	require.NotEqual(t, one.urls["app.css"], two.urls["app.css"])
}

func TestPagesCarrySecurityHeadersAndAreNotCached(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, p := range []page{tb.browser(t).get("/console/signin"), tb.signedIn(t, access.Owner).get("/console/")} {
		require.Equal(t, http.StatusOK, p.status)
		require.Contains(t, p.resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		require.Equal(t, "nosniff", p.resp.Header.Get("X-Content-Type-Options"))
		require.Equal(t, "no-store", p.resp.Header.Get("Cache-Control"))
	}
}

func TestTodayListsEachBranchsSessions(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	other := schedtest.Must(tb.Svc.CreateDoctor(ctx, "Bruno Costa", "Cardiology"))(t)
	schedtest.Must(tb.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: other.ID, BranchID: c.Branch.ID, Weekly: schedtest.Hours()}))(t)
	_, err := tb.Pool.Exec(ctx, `INSERT INTO examination_doctors (examination_id, doctor_id) VALUES ($1, $2)`, c.Consultation.ID, other.ID)
	require.NoError(t, err)
	joana := schedtest.Must(tb.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Joana Reis", Phone: "+351912345672"}))(t)
	rui := schedtest.Must(tb.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Lopes", Phone: "+351912345673"}))(t)

	schedtest.Must(tb.Svc.Book(ctx, "test", c.Booking(c.At(4, 9, 0))))(t)
	cancelled := schedtest.Must(tb.Svc.Book(ctx, "test", c.Booking(c.At(4, 11, 0))))(t)
	schedtest.Must(tb.Svc.Cancel(ctx, "test", cancelled.ID, "patient asked"))(t)
	in := c.Booking(c.At(4, 10, 0), c.Consultation.ID, c.ECG.ID)
	in.PatientID = joana.ID
	schedtest.Must(tb.Svc.Book(ctx, "test", in))(t)
	theirs := c.Booking(c.At(4, 9, 30))
	theirs.PatientID, theirs.DoctorID = rui.ID, other.ID
	schedtest.Must(tb.Svc.Book(ctx, "test", theirs))(t)
	schedtest.Must(tb.Svc.Book(ctx, "test", c.Booking(c.At(5, 9, 0))))(t) // tomorrow: not listed

	page := tb.signedIn(t, access.Receptionist).get("/console/").body
	require.Contains(t, page, "Lisbon")
	require.Contains(t, page, "Monday 4 January 2027")
	require.Contains(t, page, "3 booked · 0 completed")
	require.Regexp(t, `(?s)09:00–09:30</td>\s*<td class="patient">Maria Silva</td>\s*<td>Consultation</td>\s*<td>Ana Ferreira</td>\s*`+
		`<td><span class="status status-waiting">Waiting</span>`, page)
	require.Regexp(t, `(?s)09:30–10:00.*Rui Lopes.*Bruno Costa.*10:00–10:50.*Joana Reis.*Consultation, ECG.*11:00–11:30.*Maria Silva.*Cancelled`, page)
	require.NotContains(t, page, "Tuesday")

	// A doctor sees only their own sessions.
	tb.clock.advance(time.Minute)
	mine := tb.signedIn(t, access.Doctor).get("/console/").body
	require.Contains(t, mine, "Your sessions today")
	require.Contains(t, mine, "Joana Reis")
	require.NotContains(t, mine, "Rui Lopes")
}
