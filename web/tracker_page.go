package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/i18n"
	"clinic/web/public"
	"clinic/web/sse"
)

// langCookie remembers a language the patient picked.
const langCookie = "lang"

// language is the language to answer in: ?lang=, the cookie, Accept-Language, else the clinic's
// default. A language picked with ?lang= is remembered in the cookie.
func (t *tracker) language(c *gin.Context, clinicDefault string) string {
	cookie, _ := c.Cookie(langCookie)
	lang := i18n.Choose(c.Query("lang"), cookie, c.GetHeader("Accept-Language"), clinicDefault)
	if q := c.Query("lang"); q == lang && q != cookie {
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil})
	}
	return lang
}

// trackerData is what the tracker page shows.
type trackerData struct {
	State                 string
	EventsURL             string
	GoneTitle, GoneDetail string
	Text                  trackText
	Labels                struct{ Patient, Phone, Doctor, Appointment, Live, Reconnecting string }
}

// page answers the patient's tracking page: GET /q/{token}, in their language, which then follows the
// session live. An unknown or expired link answers a 404 page that says only that; a failure on our
// side, a 503 page asking to try again.
func (t *tracker) page(c *gin.Context) {
	token := c.Param("token")
	l, p, st, err := t.open(c.Request.Context(), token)
	if scheduling.IsCode(err, scheduling.CodeNotFound) {
		def := ""
		if s, err := t.privacySettings(c.Request.Context()); err == nil {
			def = s.DefaultLanguage
		}
		lang := t.language(c, def)
		t.render(c, http.StatusNotFound, "notfound", lang, i18n.T(lang, "tracker.not_found"), token, struct{ Title, Detail string }{
			i18n.T(lang, "tracker.not_found"), i18n.T(lang, "tracker.not_found_detail")})
		return
	}
	if err != nil {
		// The database restarting, most likely: a page the patient can read, not the API's error.
		if !errors.Is(err, context.Canceled) {
			t.s.log.WarnContext(c.Request.Context(), "tracker page failed", "request_id", requestID(c), "err", err)
		}
		lang := t.language(c, "")
		t.render(c, http.StatusServiceUnavailable, "notfound", lang, i18n.T(lang, "tracker.unavailable"), token, struct{ Title, Detail string }{
			i18n.T(lang, "tracker.unavailable"), i18n.T(lang, "tracker.unavailable_detail")})
		return
	}
	lang := t.language(c, st.DefaultLanguage)
	view := masked(p, l, st)
	d := trackerData{State: view.Status, Text: words(lang, view),
		EventsURL: "/api/v1/public/queue/" + token + "/events?lang=" + lang,
		GoneTitle: i18n.T(lang, "tracker.not_found"), GoneDetail: i18n.T(lang, "tracker.not_found_detail")}
	d.Labels.Patient, d.Labels.Phone = i18n.T(lang, "tracker.patient"), i18n.T(lang, "tracker.phone")
	d.Labels.Doctor, d.Labels.Appointment = i18n.T(lang, "tracker.doctor"), i18n.T(lang, "tracker.appointment")
	d.Labels.Live, d.Labels.Reconnecting = i18n.T(lang, "tracker.live"), i18n.T(lang, "tracker.reconnecting")
	t.render(c, http.StatusOK, "tracker", lang, i18n.T(lang, "tracker.title"), token, d)
}

func (t *tracker) render(c *gin.Context, status int, name, lang, title, token string, data any) {
	p := public.Page{Lang: lang, Dir: i18n.Dir(lang), Title: title, LanguageLabel: i18n.T(lang, "language"), Data: data}
	for _, code := range i18n.Supported() {
		p.Languages = append(p.Languages, public.LanguageLink{Code: code, Name: i18n.Name(code),
			URL: "/q/" + url.PathEscape(token) + "?lang=" + code, Current: code == lang})
	}
	body, err := t.site.Render(name, p)
	if err != nil {
		t.s.fail(c, err)
		return
	}
	publicHeaders(c)
	c.Header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "+
		"img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	c.Data(status, "text/html; charset=utf-8", body)
}

// liveRefresh is how often a live page re-reads its place with no change in the branch: the ETA
// moves as time passes.
const liveRefresh = 30 * time.Second

// events streams the session's place to its page as server-sent events:
// GET /api/v1/public/queue/{token}/events?lang=. Each `event: place` carries the public view and
// its texts in the language; one is sent at once and then whenever it changes. A final state
// (completed, cancelled, no-show) ends the stream, and so does `event: gone` when the link
// expires. The stream has no request time limit.
func (t *tracker) events(c *gin.Context) {
	ctx := c.Request.Context()
	token := c.Param("token")
	l, p, st, err := t.open(ctx, token)
	if err != nil {
		t.s.fail(c, err)
		return
	}
	lang := t.language(c, st.DefaultLanguage)
	changes, stop := t.places.follow(l.branch)
	defer stop()
	publicHeaders(c)
	stream := sse.Start(c.Writer)
	var last []byte
	send := func(p *placeInfo) bool {
		view := masked(p, l, st)
		data, err := json.Marshal(struct {
			publicPlace
			Lang string    `json:"lang"`
			Text trackText `json:"text"`
		}{view, lang, words(lang, view)})
		if err != nil {
			return false
		}
		if string(data) == string(last) {
			return true
		}
		last = data
		return stream.Event("place", string(data))
	}
	if !send(p) || finalStatus(p.Status) {
		return
	}
	expiry := time.NewTimer(l.expires.Sub(t.s.sched.Now()))
	defer expiry.Stop()
	refresh := time.NewTicker(liveRefresh)
	defer refresh.Stop()
	ping := time.NewTicker(heartbeat)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.s.done:
			return // the page's EventSource reconnects, to another instance if need be
		case <-expiry.C:
			stream.Event("gone", "{}")
			return
		case <-ping.C:
			if !stream.Ping() {
				return
			}
			continue
		case <-changes:
		case <-refresh.C:
		}
		_, p, s, err := t.open(ctx, token)
		switch {
		case scheduling.IsCode(err, scheduling.CodeNotFound):
			stream.Event("gone", "{}")
			return
		case err != nil:
			// A failed read (the database restarting) is retried at the next change or refresh.
			t.s.log.WarnContext(ctx, "tracker update failed", "request_id", requestID(c), "err", err)
			continue
		}
		st = s
		if !send(p) || finalStatus(p.Status) {
			return
		}
	}
}
