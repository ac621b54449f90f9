package console

import "testing"

func TestSectionMarksTheNavigationEntryAPageBelongsTo(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"/console/":                   "/console/",
		"/console":                    "/console/",
		"/console/patients":           "/console/patients",
		"/console/patients/12/edit":   "/console/patients",
		"/console/settings/doctors/3": "/console/settings",
		"/console/sessions/9":         "",
		"/console/calendar":           "/console/calendar",
		"/console/calendar-something": "",
		"/console/sign-ins":           "",
	} {
		if got := section(path); got != want {
			t.Errorf("section(%q) = %q, want %q", path, got, want)
		}
	}
}
