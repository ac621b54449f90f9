package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

// page answers the booking form: GET /book?lang=. An examination_id or branch_id in the query is
// chosen already, so the clinic's site can link to the form for one service.
func (b *bookingForm) page(c *gin.Context) {
	lang := b.language(c, "")
	raw := map[string]string{"examination_id": c.Query("examination_id"), "branch_id": c.Query("branch_id")}
	b.show(c, http.StatusOK, lang, newToken(), bookState{raw: raw})
}

// show draws the form page with st; the day's free slots are listed when what, where and the day
// are known and none are listed yet.
func (b *bookingForm) show(c *gin.Context, status int, lang, token string, st bookState) {
	ctx := c.Request.Context()
	f, err := b.s.inbox.FormSettings(ctx)
	if err != nil {
		b.failPage(c, lang, err)
		return
	}
	if st.loc == nil && f.PreferredTime.Shown() && st.raw["date"] != "" {
		st.slots, st.loc, err = b.daySlots(ctx, st.raw["branch_id"], st.raw["examination_id"], st.raw["doctor_id"], st.raw["date"])
		if err != nil && !isDomain(err) {
			b.failPage(c, lang, err)
			return
		}
		st.listed = err == nil && st.loc != nil
	}
	v, err := b.view(ctx, f, lang, token, st)
	if err != nil {
		b.failPage(c, lang, err)
		return
	}
	b.render(c, status, "book", lang, v.T("form.title"), "/book", v)
}

// submitPage takes the form's post: POST /book. "Show free times" lists the day's slots; sending
// records the request and goes on to the thank-you page (303), or shows the form again with each
// problem next to its field and every value kept. The honeypot, filled only by robots, goes to the
// thank-you page and records nothing.
func (b *bookingForm) submitPage(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		abort(c, http.StatusBadRequest, "invalid_form", "the form could not be read")
		return
	}
	raw := map[string]string{}
	for k, vs := range c.Request.PostForm {
		if len(vs) > 0 {
			raw[k] = vs[0]
		}
	}
	lang := b.language(c, raw["lang"])
	token := strings.TrimSpace(raw["form_token"])
	if token == "" || len(token) > 64 {
		token = newToken()
	}
	if raw["website"] != "" {
		c.Redirect(http.StatusSeeOther, "/book/thanks?lang="+lang)
		return
	}
	if raw["action"] == "slots" {
		b.show(c, http.StatusOK, lang, token, bookState{raw: raw})
		return
	}
	in := inbox.FormInput{Name: raw["name"], Phone: raw["phone"], Email: raw["email"], Message: raw["message"],
		ExaminationID: parseID(raw["examination_id"]), BranchID: parseID(raw["branch_id"]), DoctorID: parseID(raw["doctor_id"]),
		Lang: lang, Key: "form:" + token, Fields: map[string]string{},
		WhatsApp: raw["whatsapp"] != "" && b.s.whatsappOffered(c.Request.Context()), Via: inbox.ConsentViaForm}
	if t, err := time.Parse(time.RFC3339, raw["preferred_start"]); err == nil {
		in.PreferredStart = &t
	}
	for k, v := range raw {
		if key, ok := strings.CutPrefix(k, "field_"); ok {
			in.Fields[key] = v
		}
	}
	_, _, err := b.s.inbox.SubmitForm(c.Request.Context(), in, b.free)
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/book/thanks?lang="+lang)
		return
	}
	var de *scheduling.Error
	if !errors.As(err, &de) {
		b.failPage(c, lang, err)
		return
	}
	st := bookState{in: in, raw: raw, errs: inbox.FormErrors{}}
	if fe, ok := de.Details["fields"].(inbox.FormErrors); ok {
		st.errs = fe
	} else {
		st.errs["form"] = inbox.Problem{Code: de.Code, Message: inbox.FormText(lang, "form.failed")}
	}
	if alts, ok := de.Details["alternatives"].([]scheduling.Slot); ok && in.BranchID != nil {
		if br, err := b.s.sched.GetBranch(c.Request.Context(), *in.BranchID); err == nil {
			if st.loc, err = scheduling.LoadLocation(br.Timezone); err == nil {
				st.slots, st.alts = alts, true
			}
		}
	}
	b.show(c, kindStatus[de.Kind], lang, token, st)
}

// thanks is the page after a request is sent: GET /book/thanks. It says what happens next.
func (b *bookingForm) thanks(c *gin.Context) {
	lang := b.language(c, "")
	t := func(key string) string { return inbox.FormText(lang, key) }
	b.render(c, http.StatusOK, "book_thanks", lang, t("form.thanks_title"), "/book/thanks", struct {
		Title, Lead, Again, AgainLabel string
		Steps                          []string
	}{t("form.thanks_title"), t("form.thanks_lead"), "/book?lang=" + lang, t("form.thanks_again"),
		[]string{t("form.thanks_step1"), t("form.thanks_step2"), t("form.thanks_step3")}})
}

// failPage answers a page that says the request could not be sent, when the failure is ours.
func (b *bookingForm) failPage(c *gin.Context, lang string, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, context.Canceled):
		c.Abort()
		return
	case connectionLost(err) || errors.Is(err, context.DeadlineExceeded):
		status = http.StatusServiceUnavailable
		b.s.log.WarnContext(c.Request.Context(), "booking form failed", "request_id", requestID(c), "err", err)
	default:
		b.s.log.ErrorContext(c.Request.Context(), "booking form failed", "request_id", requestID(c), "err", err)
	}
	t := func(key string) string { return inbox.FormText(lang, key) }
	b.render(c, status, "notfound", lang, t("form.failed"), c.Request.URL.Path,
		struct{ Title, Detail string }{t("form.failed"), t("form.unavailable_do")})
}

func isDomain(err error) bool {
	var de *scheduling.Error
	return errors.As(err, &de)
}
