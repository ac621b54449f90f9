package console_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkSessionAndPatientPages measures the server's time for a session page, a patient search
// and a patient's page of the demo clinic, signed in, without the network: the budget is 50 ms a page.
func BenchmarkSessionAndPatientPages(b *testing.B) {
	h, email, password := demoHandler(b)
	cookies := signinDirect(b, h, email, password)
	for _, path := range []string{"/console/sessions/1", "/console/patients?q=ma", "/console/patients/1"} {
		b.Run(path, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s answered %d: %s", path, rec.Code, rec.Body)
				}
			}
		})
	}
}
