package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/channels/dialogue"
	"clinic/inbox"
	"clinic/web/i18n"
	"clinic/web/public"
)

// bookingForm serves the public booking form (/book) with its JSON twin, the free slots it offers, the
// confirm link's page (/c/{token}), the chat widget's script, and the form's settings for staff
// (DESIGN 3.5).
type bookingForm struct {
	s    *Server
	site *public.Site
	// limit is the public rate limit the queue tracker uses, counted per client across them all.
	limit *tracker
	// free leaves slots held in a chat out of the form's offers; nil offers every free slot.
	free inbox.SlotFilter
}

// publicBookingRoutes mounts the public booking form (/book and its JSON twin) and the confirm link
// (/c/{token}). Without an inbox store the routes are there but answer 404, as if not mounted, so
// the API's description stays true of every server.
func (s *Server) publicBookingRoutes(r *gin.Engine, bounded *gin.RouterGroup) {
	b := &bookingForm{s: s, site: public.MustLoad(), limit: &tracker{s: s}}
	if g, ok := s.chat.(interface{ Engine() *dialogue.Engine }); ok && g.Engine() != nil {
		b.free = g.Engine().Holds().Free // slots held for a patient in a chat are offered to no one else
	}
	limited := bounded.Group("", b.limit.rateLimit, b.needInbox)
	limited.GET("/book", b.page)
	limited.POST("/book", b.submitPage)
	limited.GET("/book/thanks", b.thanks)
	limited.POST("/api/v1/public/booking-requests", b.submitJSON)
	limited.GET("/api/v1/public/slots", b.slots)
	limited.GET("/c/:token", b.confirmPage)
	limited.POST("/c/:token/cancel", b.cancelVisit)
	bounded.GET("/chat.js", b.widget)

	api := bounded.Group("/api/v1", s.authenticate, b.needInbox)
	api.GET("/settings/booking-form", allow(anyStaff...), b.getSettings)
	api.PUT("/settings/booking-form", allow(managers...), b.putSettings)
}

// needInbox answers 404 when the server runs without an inbox store: there is no booking here.
func (b *bookingForm) needInbox(c *gin.Context) {
	if b.s.inbox != nil {
		c.Next()
		return
	}
	if !strings.HasPrefix(c.FullPath(), "/api/") {
		lang := b.language(c, "")
		b.render(c, http.StatusNotFound, "notfound", lang, inbox.FormText(lang, "form.unavailable"), c.Request.URL.Path,
			struct{ Title, Detail string }{inbox.FormText(lang, "form.unavailable"), inbox.FormText(lang, "form.unavailable_do")})
		c.Abort()
		return
	}
	abort(c, http.StatusNotFound, "booking_unavailable", "online booking is not available on this server")
}

// language is the language to answer in: ?lang= (or the form's lang field), the remembered cookie,
// Accept-Language, else the clinic's default. A language picked with ?lang= is remembered.
func (b *bookingForm) language(c *gin.Context, picked string) string {
	def := i18n.Default
	if b.s.inbox != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		if st, err := b.s.inbox.Settings(ctx); err == nil {
			def = st.DefaultLang
		}
		cancel()
	}
	if i18n.IsSupported(picked) {
		return picked
	}
	return b.limit.language(c, def)
}

// render writes a public page in lang. path is the page's own address, for the language picker.
// Only the booking form may be framed (embedded on the clinic's own site); the other pages may not.
func (b *bookingForm) render(c *gin.Context, status int, name, lang, title, path string, data any) {
	p := public.Page{Lang: lang, Dir: i18n.Dir(lang), Title: title, LanguageLabel: i18n.T(lang, "language"), Data: data}
	for _, code := range i18n.Supported() {
		p.Languages = append(p.Languages, public.LanguageLink{Code: code, Name: i18n.Name(code),
			URL: path + "?lang=" + url.QueryEscape(code), Current: code == lang})
	}
	body, err := b.site.Render(name, p)
	if err != nil {
		b.s.fail(c, err)
		return
	}
	publicHeaders(c)
	frames := "'none'"
	if name == "book" || name == "book_thanks" {
		c.Writer.Header().Del("X-Frame-Options")
		frames = "*"
	}
	c.Header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "+
		"img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors "+frames)
	c.Data(status, "text/html; charset=utf-8", body)
}
