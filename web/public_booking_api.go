package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/web/i18n"
)

// bookingRequestInput is the JSON twin of the booking form (API.md: POST /api/v1/public/booking-requests).
type bookingRequestInput struct {
	Name           string                `json:"name"`
	Phone          string                `json:"phone"`
	Email          string                `json:"email"`
	ExaminationID  *scheduling.ID        `json:"examination_id"`
	BranchID       *scheduling.ID        `json:"branch_id"`
	DoctorID       *scheduling.ID        `json:"doctor_id"`
	PreferredStart *time.Time            `json:"preferred_start"`
	Message        string                `json:"message"`
	Fields         map[string]fieldValue `json:"fields"`
	// Lang is the language of the refusal messages (default: Accept-Language, else English).
	Lang string `json:"lang"`
	// WhatsAppConsent is the patient agreeing to get the confirmation and reminders on WhatsApp at
	// Phone; kept only while the clinic's WhatsApp is linked.
	WhatsAppConsent bool `json:"whatsapp_consent"`
	// Website is the honeypot: a person never fills it in.
	Website string `json:"website"`
}

// fieldValue is a custom field's answer: text, or a JSON true/false or number written as text.
type fieldValue string

// UnmarshalJSON takes a string, a boolean ("yes"/"no") or a number.
func (v *fieldValue) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = fieldValue(s)
		return nil
	}
	var yes bool
	if err := json.Unmarshal(b, &yes); err == nil {
		*v = map[bool]fieldValue{true: "yes", false: "no"}[yes]
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*v = fieldValue(n.String())
		return nil
	}
	return errors.New("a field's answer is text, true or false, or a number")
}

// submitJSON records a booking request from the JSON twin of the form. An Idempotency-Key header
// makes a repeated post answer the request the first one made (201 both times, with
// Idempotent-Replayed: true the second). Refused fields answer 422 invalid_form with
// details.fields; a time no longer free answers 409 slot_taken with alternatives. The answer's
// whatsapp_consent says whether the patient's consent to WhatsApp messages was kept: asked for, and
// the clinic's WhatsApp linked.
func (b *bookingForm) submitJSON(c *gin.Context) {
	var body bookingRequestInput
	if !decode(c, &body) {
		return
	}
	if body.Website != "" {
		abort(c, http.StatusUnprocessableEntity, "rejected", "the request was not accepted")
		return
	}
	key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	if len(key) > 100 {
		abort(c, http.StatusBadRequest, "invalid_idempotency_key", "Idempotency-Key has at most 100 characters")
		return
	}
	if key != "" {
		key = "api:" + key
	}
	lang := body.Lang
	if !i18n.IsSupported(lang) {
		lang = i18n.Choose("", "", c.GetHeader("Accept-Language"), i18n.Default)
	}
	in := inbox.FormInput{Name: body.Name, Phone: body.Phone, Email: body.Email, Message: body.Message,
		ExaminationID: body.ExaminationID, BranchID: body.BranchID, DoctorID: body.DoctorID,
		PreferredStart: body.PreferredStart, Lang: lang, Key: key, Fields: map[string]string{},
		WhatsApp: body.WhatsAppConsent && b.s.whatsappOffered(c.Request.Context()), Via: inbox.ConsentViaAPI}
	for k, v := range body.Fields {
		in.Fields[k] = string(v)
	}
	req, dup, err := b.s.inbox.SubmitForm(c.Request.Context(), in, b.free)
	if err != nil {
		b.s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if dup {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusCreated, gin.H{"id": req.ID, "whatsapp_consent": in.WhatsApp})
}

// getSettings answers the booking form's settings: GET /api/v1/settings/booking-form.
func (b *bookingForm) getSettings(c *gin.Context) {
	f, err := b.s.inbox.FormSettings(c.Request.Context())
	if err != nil {
		b.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}

// putSettings replaces them as a whole: PUT /api/v1/settings/booking-form. A refused setting
// answers 422 with details.field naming it, and nothing is saved.
func (b *bookingForm) putSettings(c *gin.Context) {
	var in inbox.FormSettings
	if !decode(c, &in) {
		return
	}
	f, err := b.s.inbox.SetFormSettings(c.Request.Context(), in, principal(c).Actor())
	if err != nil {
		b.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}
