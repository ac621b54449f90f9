package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/web/access"
	"clinic/web/console/browsertest"
)

// ownerServer serves the demo clinic with an owner account, and answers a session of today in Lisbon
// that is still waiting.
func ownerServer(t *testing.T) (base, email, password string, sess scheduling.Session) {
	t.Helper()
	ctx := context.Background()
	base, sched, email, password := demoServerAs(t, access.Owner)
	branches, err := sched.ListBranches(ctx)
	require.NoError(t, err)
	for _, b := range branches {
		loc, err := scheduling.LoadLocation(b.Timezone)
		require.NoError(t, err)
		day := scheduling.DateOf(demoNow.In(loc))
		page, err := sched.ListSessions(ctx, scheduling.SessionFilter{BranchID: b.ID, From: day, To: day,
			Status: scheduling.StatusWaiting, Limit: scheduling.MaxSessionPage})
		require.NoError(t, err)
		if b.Timezone == "Europe/Lisbon" && len(page.Items) > 0 {
			return base, email, password, page.Items[0]
		}
	}
	t.Fatal("the demo clinic has no waiting session in Lisbon today")
	return
}

func TestBrowserSessionRecordIsFilledWithATemplateAndLockedOnCompletion(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 900})
	base, email, password, sess := ownerServer(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	eval := func(js string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		require.NoError(t, err)
	}
	path := fmt.Sprintf("%s/console/sessions/%d", base, sess.ID)

	// Signing in from the session's address comes back to it.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(path),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".moves")),
	))
	require.Equal(t, sess.PatientName, text("h1"))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/open"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".record-form")),
	))
	require.Contains(t, text(".flash"), "The session is open.")

	// The template chooser applies on change and adds the template's fields.
	eval(`(() => { const s = document.getElementById('template-choice');
		s.value = [...s.options].find((o) => o.text === 'General practice').value;
		s.dispatchEvent(new Event('change', { bubbles: true })); })()`)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[name="fields.pain_score"]`))))

	in := func(name string) string { return `[name="` + name + `"]` }
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(in("vitals.systolic"), "124"),
		chromedp.SendKeys(in("vitals.diastolic"), "79"),
		chromedp.SendKeys(in("vitals.pulse"), "68"),
		chromedp.SendKeys(in("vitals.temperature_c"), "36.7"),
		chromedp.SendKeys(in("vitals.spo2"), "98"),
		chromedp.SendKeys(in("vitals.weight_kg"), "70"),
		chromedp.SendKeys(in("vitals.height_cm"), "175"),
		chromedp.SendKeys(in("complaint"), "Sore throat and a mild fever for three days"),
		chromedp.SendKeys(in("findings"), "Red pharynx without exudate; no enlarged nodes"),
		// Typing a code searches the ICD-10 list.
		chromedp.SendKeys(in("diagnoses[0].icd10"), "J06"),
		chromedp.WaitReady(`#icd10-options option[value="J06.9"]`),
		chromedp.SendKeys(in("diagnoses[0].icd10"), ".9"),
		chromedp.SendKeys(in("diagnoses[0].text"), "Viral, self-limiting"),
		chromedp.SendKeys(in("fields.pain_score"), "3"),
		chromedp.SetValue(in("fields.smoking"), "never"),
		chromedp.SetValue(in("fields.follow_up"), "no"),
		chromedp.SendKeys(in("notes"), "Fluids, rest and paracetamol if needed"),
	))
	require.Equal(t, "22.9", text("[data-bmi]"), "BMI follows weight and height as they are typed")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".record-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash-success")),
	))
	require.Contains(t, text(".flash"), "Clinical record saved.")
	require.Equal(t, "22.9", text("[data-bmi]"))
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-session-record.png")

	// Completing locks the record: it is shown, no longer offered for editing.
	eval(`window.confirm = () => true`)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form[action$="/complete"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".status-locked")),
	))
	record := text(".record")
	for _, want := range []string{"Locked", "J06.9", "Viral, self-limiting", "Red pharynx without exudate", "22.9", "never", "NEEDED\nNo\n"} {
		require.Contains(t, record, want)
	}
	forms, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.record-form').length`))
	require.NoError(t, err)
	require.Zero(t, forms)
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024)
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-session-locked.png")

	// The patient's page: found by search, edited, the visit listed.
	fragment := strings.Fields(sess.PatientName)[0]
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//nav//a[text()="Patients"]`)),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), fragment),
		chromedp.Click(chromedp.CSS(".search-form button")),
		chromedp.WaitVisible(chromedp.CSS(".patients-table")),
		chromedp.Click(chromedp.Search(`//table//a[text()="`+sess.PatientName+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/edit"]`)),
	))
	require.Contains(t, text(".table"), "Completed")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.ID("email")),
	))
	eval(`document.getElementById('email').value = ''`)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("email"), "patient@example.com"),
		chromedp.Click(chromedp.CSS(".patient-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash-success")),
	))
	require.Contains(t, text(".facts"), "patient@example.com")
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/console-patient.png")
}
