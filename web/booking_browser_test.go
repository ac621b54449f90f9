package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/channels"
	"clinic/channels/dialogue"
	"clinic/inbox"
	"clinic/inbox/inboxtest"
	"clinic/migrations/dbtest"
	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
	"clinic/web/console/browsertest"
)

// publicSite is a server with the booking form (with the clinic's "Referral from" field) and the
// website chat, as a patient's phone reaches it.
type publicSite struct {
	url   string
	pool  *schedtest.Bundle
	c     *schedtest.Clinic
	inbox *inbox.Store
	holds *dialogue.Holds
}

func setupPublicSite(t *testing.T) *publicSite {
	t.Helper()
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{record.KeepRecords, billing.SessionListener}})
	rdb, prefix := dbtest.NewRedis(t)
	logger := slog.New(slog.DiscardHandler)
	store := inbox.NewStore(b.Pool, logger, b.Svc.Now, b.Svc, &inboxtest.Recorder{}, inbox.Config{BaseURL: "https://clinic.example"})
	engine := dialogue.New(logger, b.Svc.Now, b.Svc, store, rdb, dialogue.Config{Prefix: prefix, BaseURL: "https://clinic.example"})
	srv := httptest.NewServer(NewHandler(Deps{Logger: logger, Pool: b.Pool, Redis: rdb, Scheduling: b.Svc, Feed: startFeed(t, b.Pool),
		Inbox: store, Chat: channels.NewGatewayWith(b.Pool, logger, store, engine), Public: PublicConfig{RedisPrefix: prefix}}))
	t.Cleanup(srv.Close)
	f := inbox.DefaultFormSettings()
	f.Fields = []inbox.CustomField{{Kind: inbox.FieldChoice, Required: true, Label: inbox.Label{EN: "Referral from", AR: "الإحالة من"},
		Options: []inbox.Option{{Label: inbox.Label{EN: "A friend", AR: "صديق"}}, {Label: inbox.Label{EN: "Another doctor", AR: "طبيب آخر"}}}}}
	_, err := store.SetFormSettings(context.Background(), f, "test")
	require.NoError(t, err)
	return &publicSite{url: srv.URL, pool: b, c: schedtest.NewClinic(t, b.Svc), inbox: store, holds: engine.Holds()}
}

func (p *publicSite) requests(t *testing.T, ch inbox.Channel) []inbox.Lead {
	t.Helper()
	page, err := p.inbox.List(context.Background(), inbox.Filter{Channel: ch})
	require.NoError(t, err)
	return page.Items
}

// phone is a browser tab the size of a phone's screen.
type phone struct {
	t   *testing.T
	ctx context.Context
}

func newPhone(t *testing.T) *phone {
	ctx := browsertest.New(t, browsertest.Options{Width: 390, Height: 844})
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)))
	return &phone{t: t, ctx: ctx}
}

func (p *phone) run(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	require.NoError(p.t, chromedp.Do(p.ctx, actions...))
}

func (p *phone) eval(js string) string {
	p.t.Helper()
	out, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`String((function(){ `+js+` })())`))
	require.NoError(p.t, err)
	return out
}

// waitFor polls js (returning text) until it contains want.
func (p *phone) waitFor(js, want string) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := p.eval(js)
		if strings.Contains(got, want) {
			return
		}
		require.True(p.t, time.Now().Before(deadline), "never showed %q; shows %q", want, got)
		time.Sleep(100 * time.Millisecond)
	}
}

// set gives a field a value as a person would, so the page's script sees the change.
func (p *phone) set(sel, value string) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`var e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); return e.value`, sel, value))
}

func (p *phone) shot(name string) {
	p.t.Helper()
	browsertest.Screenshot(p.t, p.ctx, "../docs/screenshots/"+name)
}

// fits checks nothing is wider than the phone.
func (p *phone) fits() {
	p.t.Helper()
	require.Equal(p.t, "true", p.eval(`return document.documentElement.scrollWidth <= 390`), "the page is wider than the phone")
}

// TestBrowserBookingForm fills the form on a phone: a field error, the day's free times, one request
// however often it is sent, the thank-you page; then the Arabic form and the confirm page.
func TestBrowserBookingForm(t *testing.T) {
	t.Parallel()
	site := setupPublicSite(t)
	p := newPhone(t)

	p.run(chromedp.Navigate(site.url+"/book?lang=en"), chromedp.WaitVisible(chromedp.CSS("form[data-slots]")))
	require.Equal(t, "none", p.eval(`return getComputedStyle(document.querySelector("[data-show-times]")).display`),
		"with the script, times are listed without a button")
	p.run(chromedp.SendKeys(chromedp.CSS("#name"), "Rui Costa"), chromedp.SendKeys(chromedp.CSS("#phone"), "912"))
	p.set("#examination_id", site.c.Consultation.ID.String())
	require.Equal(t, site.c.Branch.ID.String(), p.eval(`return document.querySelector("#branch_id").value`), "the one branch is chosen")
	p.set("#date", "2027-01-05")
	p.waitFor(`return document.querySelector("[data-slots-list]").textContent`, "Free times on Tuesday 5 January")
	p.run(chromedp.Click(chromedp.CSS(`input[name=preferred_start][value="2027-01-05T10:00:00Z"]`)))
	p.run(chromedp.SendKeys(chromedp.CSS("#message"), "Back pain since Friday"))
	p.fits()
	p.shot("form-en.png")

	// The phone is wrong and the referral is missing: shown next to each, all else kept.
	p.run(chromedp.Click(chromedp.CSS("button[value=send]")), chromedp.WaitVisible(chromedp.CSS(".field-error")))
	require.Contains(t, p.eval(`return document.querySelector("[data-field=phone] .field-error").textContent`), "not a phone number")
	require.Contains(t, p.eval(`return document.querySelector("[data-field=field_referral_from] .field-error").textContent`), "Please choose one.")
	require.Equal(t, "Rui Costa", p.eval(`return document.querySelector("#name").value`))
	require.Equal(t, "true", p.eval(`return document.querySelector('input[value="2027-01-05T10:00:00Z"]').checked`), "the picked time is kept")
	require.Empty(t, site.requests(t, inbox.WebForm))

	// Sent three times (two posts of the same page, then a double tap): one request.
	p.eval(`document.querySelector("#phone").value = "+351 912 000 111"; return ""`)
	p.set("#field_referral_from", "a_friend")
	for range 2 {
		p.eval(`var f = new URLSearchParams(new FormData(document.querySelector("form[data-slots]"))); f.set("action", "send");
			var x = new XMLHttpRequest(); x.open("POST", "/book", false);
			x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded"); x.send(f.toString()); return x.status`)
	}
	p.eval(`var b = document.querySelector("button[value=send]"); b.click(); b.click(); return ""`)
	p.run(chromedp.WaitVisible(chromedp.CSS(`[data-state=thanks]`)))
	require.Contains(t, p.eval(`return document.body.textContent`), "We contact you on the phone number you gave")
	p.fits()
	reqs := site.requests(t, inbox.WebForm)
	require.Len(t, reqs, 1)
	require.Equal(t, "+351912000111", reqs[0].Phone)
	require.Equal(t, "a_friend", reqs[0].Requested.Fields["referral_from"])
	require.True(t, reqs[0].Requested.Start.Equal(site.c.At(5, 10, 0)))

	// Arabic reads right to left.
	p.run(chromedp.Navigate(site.url+"/book?lang=ar"), chromedp.WaitVisible(chromedp.CSS("form[data-slots]")))
	require.Equal(t, "rtl", p.eval(`return document.documentElement.dir`))
	require.Equal(t, "rtl", p.eval(`return getComputedStyle(document.querySelector("form")).direction`))
	require.Contains(t, p.eval(`return document.body.textContent`), "الإحالة من")
	p.set("#examination_id", site.c.Consultation.ID.String())
	p.set("#date", "2027-01-05")
	p.waitFor(`return document.querySelector("[data-slots-list]").textContent`, "الأوقات المتاحة يوم الثلاثاء")
	p.fits()
	p.shot("form-ar.png")

	// Staff convert the request; the patient opens the confirm link.
	conv, err := site.inbox.Convert(context.Background(), reqs[0].ID, inbox.Staff{Name: "Desk", Actor: "desk"}, inbox.ConvertInput{})
	require.NoError(t, err)
	u, err := url.Parse(conv.ConfirmURL)
	require.NoError(t, err)
	*site.pool.Clock = site.c.At(5, 7, 30)
	p.run(chromedp.Navigate(site.url+u.Path+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(".confirm")))
	body := p.eval(`return document.body.textContent`)
	require.Contains(t, body, "Your visit is confirmed")
	require.Contains(t, body, "Tuesday 5 January · 10:00")
	require.Contains(t, body, "Follow your place in the queue")
	p.fits()
	p.shot("confirm.png")
}

// hostPage is a clinic's site with styles that would wreck any widget they reached.
const hostPage = `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body * { all: unset; }
html, body { display: block; font: 700 40px/1 "Comic Sans MS", cursive !important; color: #f0f !important; background: #ff0 !important; }
div, section, button, input, form { display: block !important; position: static !important; width: 10px !important;
  color: #f00 !important; background: #0f0 !important; font-size: 50px !important; border: 5px dotted blue !important; }
button { visibility: hidden !important; }
p { display: block; margin: 20px; }
</style></head><body><p id="host-text">Welcome to the Harbour Clinic</p>
<script src="%s/chat.js" async></script></body></html>`

// TestBrowserChatWidget chats to a booked request from a widget on another site whose styles are
// aggressive, reloading halfway, and checks the host page's own styles are untouched.
func TestBrowserChatWidget(t *testing.T) {
	t.Parallel()
	site := setupPublicSite(t)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, site.url)
	}))
	t.Cleanup(host.Close)
	hostURL := strings.Replace(host.URL, "127.0.0.1", "localhost", 1) // another origin than the clinic's
	p := newPhone(t)
	shadow := `var r = document.getElementById("clinic-chat-root"); var s = r && r.shadowRoot; `
	log := shadow + `return s ? s.querySelector(".log").textContent : ""`
	pick := func(label string) {
		t.Helper()
		p.waitFor(shadow+`return s ? Array.from(s.querySelectorAll(".choice")).map(b => b.textContent).join("|") : ""`, label)
		p.eval(shadow + fmt.Sprintf(`Array.from(s.querySelectorAll(".choice")).find(b => b.textContent === %q).click(); return ""`, label))
	}
	write := func(text string) {
		t.Helper()
		p.eval(shadow + fmt.Sprintf(`var i = s.querySelector("input"); i.value = %q; s.querySelector("form").requestSubmit(); return ""`, text))
	}

	p.run(chromedp.Navigate(hostURL), chromedp.WaitVisible(chromedp.CSS("#host-text")))
	p.waitFor(shadow+`return s ? s.querySelector(".open").textContent : ""`, "Chat with us")
	require.Equal(t, "rgb(15, 94, 110)", p.eval(shadow+`return getComputedStyle(s.querySelector(".open")).backgroundColor`),
		"the host's styles do not reach into the widget")
	require.Equal(t, "visible", p.eval(shadow+`return getComputedStyle(s.querySelector(".open")).visibility`))
	require.Equal(t, "rgb(255, 0, 255)", p.eval(`return getComputedStyle(document.querySelector("#host-text")).color`),
		"the widget's styles do not leak onto the host page")

	p.eval(shadow + `s.querySelector(".open").click(); return ""`)
	p.waitFor(log, "What would you like to book?")
	require.Equal(t, "390", p.eval(shadow+`return Math.round(s.querySelector(".panel").getBoundingClientRect().width)`),
		"full screen on a phone")
	pick("Consultation")
	pick("Tue 5 Jan")
	p.waitFor(log, "These times are free on Tue 5 Jan")

	// A reload halfway: the conversation is drawn again and carries on.
	p.run(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#host-text")))
	p.waitFor(log, "These times are free on Tue 5 Jan")
	require.Contains(t, p.eval(log), "What would you like to book?Consultation", "the whole conversation is back, with the patient's picks")
	p.waitFor(shadow+`return s.querySelectorAll(".choice").length`, "5")
	screenshot(t, p.ctx, "../docs/screenshots/chat-widget.png")
	pick("10:00")
	p.waitFor(log, "What is your full name?")
	write("Ana Lima")
	p.waitFor(log, "phone number")
	write("+351912000777")
	p.waitFor(log, "We have your request")

	reqs := site.requests(t, inbox.Chatbot)
	require.Len(t, reqs, 1)
	require.Equal(t, "Ana Lima", reqs[0].Name)
	require.True(t, reqs[0].Requested.Start.Equal(site.c.At(5, 10, 0)))
}

// TestBrowserChatWidgetUnavailable: on a server whose chat cannot answer, the widget says so and
// offers the booking form instead.
func TestBrowserChatWidgetUnavailable(t *testing.T) {
	t.Parallel()
	base := bareServer(t)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="ar"><body><p id="host-text">عيادة الميناء</p><script src="%s/chat.js" async></script></body></html>`, base)
	}))
	t.Cleanup(host.Close)
	p := newPhone(t)
	shadow := `var r = document.getElementById("clinic-chat-root"); var s = r && r.shadowRoot; `
	p.run(chromedp.Navigate(strings.Replace(host.URL, "127.0.0.1", "localhost", 1)), chromedp.WaitVisible(chromedp.CSS("#host-text")))
	p.waitFor(shadow+`return s ? s.querySelector(".open").textContent : ""`, "تحدث معنا")
	require.Equal(t, "rtl", p.eval(shadow+`return s.querySelector(".wrap").dir`), "the site's language, right to left")
	p.eval(shadow + `s.querySelector(".open").click(); return ""`)
	p.waitFor(shadow+`return s.querySelector(".log").textContent`, "المحادثة غير متاحة الآن")
	require.Equal(t, base+"/book?lang=ar", p.eval(shadow+`return s.querySelector(".log a").href`))
	require.Equal(t, "نموذج الحجز", p.eval(shadow+`return s.querySelector(".log a").textContent`))
}
