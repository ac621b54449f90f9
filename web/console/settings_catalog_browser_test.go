package console_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/web/access"
	"clinic/web/console/browsertest"
)

func TestBrowserManagerEditsADoctorsAttendance(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, browsertest.Options{Width: 1024, Height: 1400})
	base, sched, email, password := demoServerAs(t, access.Manager)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	value := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		require.NoError(t, err)
		return s
	}
	in := func(name string) string { return `[name="` + name + `"]` }

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".branch")),
		chromedp.Click(chromedp.Search(`//nav//a[text()="Settings"]`)),
		chromedp.WaitVisible(chromedp.CSS(".settings-links")),
		chromedp.Click(chromedp.Search(`//a[text()="Doctors"]`)),
		chromedp.WaitVisible(chromedp.CSS(".doctor-form")),
		chromedp.Click(chromedp.Search(`//table//a[text()="Bruno Costa"]`)),
		chromedp.WaitVisible(chromedp.CSS(".attendance-form")),
	))
	require.Equal(t, "Bruno Costa", text("h1"))
	require.Contains(t, text(`.branch-tabs [aria-current="page"]`), "Lisbon Centre")
	require.Contains(t, text(".branch-tabs"), "New York Midtown")
	require.Equal(t, "08:00", value(in("weekly-1-0-start")))

	// Tuesday afternoon in Lisbon is Tuesday morning in New York, where Bruno already works: refused
	// at the Tuesday row, with what was typed kept.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue(in("weekly-2-0-start"), "14:00"),
		chromedp.SetValue(in("weekly-2-0-end"), "18:00"),
		chromedp.Click(chromedp.CSS(".attendance-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("weekly-2-error")),
	))
	require.Contains(t, text("#weekly-2-error"), "Bruno Costa already attends New York Midtown")
	require.Contains(t, text(".form-error"), "cannot be in two branches at once")
	require.Equal(t, "14:00", value(in("weekly-2-0-start")))

	// Tuesday early mornings do not meet New York's hours; a day off on Friday the 22nd is added.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue(in("weekly-2-0-start"), "08:00"),
		chromedp.SetValue(in("weekly-2-0-end"), "12:00"),
	))
	blank, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('.exceptions-table input[type=date]')].find((i) => !i.value).name`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue(in(blank), "2027-01-22"),
		chromedp.Click(chromedp.CSS(".attendance-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".flash-success")),
	))
	require.Contains(t, text(".flash"), "Bruno Costa's hours at Lisbon Centre are saved.")
	require.Equal(t, "08:00", value(in("weekly-2-0-start")))
	require.Contains(t, text(`.branch-tabs [aria-current="page"]`), "Tue 08:00–12:00")

	branches, err := sched.ListBranches(context.Background())
	require.NoError(t, err)
	doctors, err := sched.ListDoctors(context.Background())
	require.NoError(t, err)
	var bruno scheduling.ID
	for _, d := range doctors {
		if d.Name == "Bruno Costa" {
			bruno = d.ID
		}
	}
	a, err := sched.GetAttendance(context.Background(), bruno, branches[0].ID)
	require.NoError(t, err)
	require.Contains(t, a.Weekly, scheduling.WeeklyHours{Weekday: 2, Start: "08:00", End: "12:00"})
	require.Contains(t, a.Exceptions, scheduling.AttendanceException{Date: "2027-01-22", Off: true})

	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	require.NoError(t, err)
	require.LessOrEqual(t, width, 1024)
	browsertest.Screenshot(t, ctx, "../../docs/screenshots/settings-doctor.png")
}
