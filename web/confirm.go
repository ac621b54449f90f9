package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/web/i18n"
)

// confirmView is what the confirm page shows: the visit, its tracking link and the cancel form.
type confirmView struct {
	State, Title, Detail, Notice    string
	Rows                            []confirmRow
	TrackURL, TrackLabel, TrackHint string
	Cancel                          *cancelForm
	Closed                          string
}

// confirmRow is one fact of the visit.
type confirmRow struct{ Label, Value string }

// cancelForm is the patient's way to cancel, until the clinic's cut-off.
type cancelForm struct {
	Heading, Reason, Button, Until, Action, Lang, Error string
}

// confirmPage answers the confirm link: GET /c/{token}. Opening it confirms the visit (once; again
// changes nothing) and shows it with its queue-tracking link and, until the clinic's cut-off, a way
// to cancel. An unknown or expired link answers a 404 page that says only that.
func (b *bookingForm) confirmPage(c *gin.Context) {
	v, err := b.s.inbox.Confirm(c.Request.Context(), c.Param("token"))
	if err != nil {
		b.confirmFailed(c, err)
		return
	}
	lang := b.visitLanguage(c, v)
	notice := ""
	if c.Query("done") == "cancelled" && v.Status == scheduling.StatusCancelled {
		notice = inbox.FormText(lang, "confirm.cancelled_done")
	}
	b.showVisit(c, http.StatusOK, lang, v, notice, "")
}

// cancelVisit takes the confirm page's cancel form: POST /c/{token}/cancel. It goes back to the page
// (303), which says the visit is cancelled; past the cut-off the page says to call the clinic (422).
func (b *bookingForm) cancelVisit(c *gin.Context) {
	token := c.Param("token")
	v, err := b.s.inbox.CancelByToken(c.Request.Context(), token, c.PostForm("reason"))
	if scheduling.IsCode(err, "cancel_cutoff") {
		if v, err = b.s.inbox.Confirm(c.Request.Context(), token); err == nil {
			lang := b.visitLanguage(c, v)
			b.showVisit(c, http.StatusUnprocessableEntity, lang, v, "", inbox.FormText(lang, "confirm.cancel_closed"))
			return
		}
	}
	var de *scheduling.Error
	if err != nil && errors.As(err, &de) && de.Kind != scheduling.KindNotFound {
		if v, err2 := b.s.inbox.Confirm(c.Request.Context(), token); err2 == nil {
			lang := b.visitLanguage(c, v)
			b.showVisit(c, kindStatus[de.Kind], lang, v, "", de.Message)
			return
		}
	}
	if err != nil {
		b.confirmFailed(c, err)
		return
	}
	lang := b.visitLanguage(c, v)
	c.Redirect(http.StatusSeeOther, "/c/"+url.PathEscape(token)+"?lang="+lang+"&done=cancelled")
}

// visitLanguage is the page's language: the patient's pick (?lang=, the form's lang, the cookie),
// else the language of their request, else the browser's.
func (b *bookingForm) visitLanguage(c *gin.Context, v *inbox.Visit) string {
	if lang := c.Query("lang"); i18n.IsSupported(lang) {
		return b.language(c, lang)
	}
	if lang := c.PostForm("lang"); i18n.IsSupported(lang) {
		return lang
	}
	if cookie, _ := c.Cookie(langCookie); i18n.IsSupported(cookie) {
		return cookie
	}
	if i18n.IsSupported(v.Lang) {
		return v.Lang
	}
	return b.language(c, "")
}

// showVisit draws the confirm page; cancelErr is shown at the cancel form.
func (b *bookingForm) showVisit(c *gin.Context, status int, lang string, v *inbox.Visit, notice, cancelErr string) {
	t := func(key string, args ...any) string { return inbox.FormText(lang, key, args...) }
	start := v.Start
	d := confirmView{State: "confirmed", Title: t("confirm.confirmed"), Notice: notice,
		Rows: []confirmRow{
			{t("confirm.what"), strings.Join(v.Examinations, ", ")},
			{t("confirm.when"), dayName(lang, start) + " · " + clockLabel(lang, start)},
			{t("confirm.where"), v.Branch},
			{t("confirm.doctor"), v.Doctor},
		}}
	switch {
	case v.Status == scheduling.StatusCancelled:
		d.State, d.Title = "cancelled", t("confirm.cancelled")
	case v.CanCancel:
		until := v.CancelUntil.In(start.Location())
		d.Cancel = &cancelForm{Heading: t("confirm.cancel"), Reason: t("confirm.cancel_reason"), Button: t("confirm.cancel_button"),
			Until:  t("confirm.cancel_until", dayName(lang, until)+" · "+clockLabel(lang, until)),
			Action: "/c/" + url.PathEscape(c.Param("token")) + "/cancel", Lang: lang, Error: cancelErr}
	case v.Status == scheduling.StatusWaiting:
		d.Closed = t("confirm.cancel_closed")
	}
	if v.TrackingURL != "" && v.Status != scheduling.StatusCancelled {
		d.TrackURL, d.TrackLabel, d.TrackHint = v.TrackingURL+"?lang="+lang, t("confirm.track"), t("confirm.track_hint")
	}
	b.render(c, status, "confirm", lang, t("confirm.title"), "/c/"+url.PathEscape(c.Param("token")), d)
}

// confirmFailed answers an unknown or expired link with a page that reveals nothing (404), and a
// failure of ours with a page asking to try again.
func (b *bookingForm) confirmFailed(c *gin.Context, err error) {
	lang := b.language(c, "")
	t := func(key string) string { return inbox.FormText(lang, key) }
	path := "/c/" + url.PathEscape(c.Param("token"))
	if scheduling.IsCode(err, scheduling.CodeNotFound) {
		b.render(c, http.StatusNotFound, "notfound", lang, t("confirm.not_found"), path,
			struct{ Title, Detail string }{t("confirm.not_found"), t("confirm.not_found_do")})
		return
	}
	if errors.Is(err, context.Canceled) {
		c.Abort()
		return
	}
	b.s.log.WarnContext(c.Request.Context(), "confirm page failed", "request_id", requestID(c), "err", err)
	b.render(c, http.StatusServiceUnavailable, "notfound", lang, t("confirm.unavailable"), path,
		struct{ Title, Detail string }{t("confirm.unavailable"), t("confirm.unavailable_do")})
}
