package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"clinic/inbox"
)

// BenchmarkInboxPages measures the server's time for the inbox of the demo clinic holding 300
// requests, each with a short WhatsApp conversation: the list's first page with its counts, and a
// request's page with its conversation, the suggested free time and the picker's day. The budget is
// 50 ms a page.
func BenchmarkInboxPages(b *testing.B) {
	d := inboxDemoServer(b)
	consult := d.exams["General consultation"]
	var last *inbox.Request
	for i := range 300 {
		at := demoNow.Add(-time.Duration(300-i) * 10 * time.Minute)
		address := fmt.Sprintf("3519120%05d@s.whatsapp.net", i)
		d.chat(b, inbox.WhatsApp, address, fmt.Sprintf("Patient %d", i), at, "Hello, I need a consultation",
			"> Which examination would you like?", "General consultation")
		last = d.request(b, inbox.NewRequest{Channel: inbox.WhatsApp, Address: address, Key: fmt.Sprintf("wa-%d", i),
			Name: fmt.Sprintf("Patient %d", i), Phone: fmt.Sprintf("+3519120%05d", i),
			Requested: inbox.Requested{ExaminationID: &consult, BranchID: &d.lisbon.ID}}, at.Add(3*time.Minute))
	}
	d.clock.set(demoNow)
	cookies := signinDirect(b, d.handler, d.email, d.password)
	for _, page := range []struct{ name, path string }{
		{"list", "/console/inbox"},
		{"request", "/console/inbox/" + last.ID.String()},
	} {
		b.Run(page.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, page.path, nil)
			for _, c := range cookies {
				req.AddCookie(c)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				d.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s answered %d: %s", page.path, rec.Code, rec.Body)
				}
			}
		})
	}
}
