package console_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

var firstExam = regexp.MustCompile(`name="exam" value="(\d+)"`)

// BenchmarkBookPage measures the server's time for the booking page of the demo clinic with an
// examination ticked, so that the day's free times of every qualified doctor are computed: the budget
// is 50 ms a page.
func BenchmarkBookPage(b *testing.B) {
	h, email, password := demoHandler(b)
	cookies := signinDirect(b, h, email, password)
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("the booking page answered %d: %s", rec.Code, rec.Body)
		}
		return rec
	}
	m := firstExam.FindStringSubmatch(get("/console/book").Body.String())
	if m == nil {
		b.Fatal("the booking page lists no examination")
	}
	path := "/console/book?exam=" + m[1]
	b.ReportAllocs()
	for b.Loop() {
		get(path)
	}
}
