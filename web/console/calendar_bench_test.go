package console_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCalendarPages measures the server's time for the calendar's views of the demo clinic's
// Lisbon branch, signed in, without the network: the budget is 50 ms a page.
func BenchmarkCalendarPages(b *testing.B) {
	h, email, password := demoHandler(b)
	cookies := signinDirect(b, h, email, password)
	for _, view := range []string{"day", "week", "rooms"} {
		b.Run(view, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/console/calendar?view="+view, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("the %s view answered %d: %s", view, rec.Code, rec.Body)
				}
			}
		})
	}
}
