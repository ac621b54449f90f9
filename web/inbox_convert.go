package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
)

// convertInput chooses the visit a request becomes; what is left out comes from the request.
type convertInput struct {
	Start          *time.Time      `json:"start"`
	DoctorID       *scheduling.ID  `json:"doctor_id"`
	BranchID       *scheduling.ID  `json:"branch_id"`
	ExaminationIDs []scheduling.ID `json:"examination_ids"`
}

// convert answers POST /api/v1/inbox/{id}/convert with 201 {patient_id, session_id, confirm_url}.
// Converting a converted request books nothing and answers its session again, marked
// Idempotent-Replayed: true; a slot gone since answers 409 slot_taken with alternatives.
func (h inboxHandlers) convert(c *gin.Context) {
	id, ok := pathID(c, "request")
	var in convertInput
	if !ok || !optionalBody(c, &in) {
		return
	}
	out, err := h.s.inbox.Convert(c.Request.Context(), id, staff(c), inbox.ConvertInput{Start: in.Start,
		DoctorID: in.DoctorID, BranchID: in.BranchID, ExaminationIDs: in.ExaminationIDs})
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if out.Replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusCreated, out)
}

// inboxSettingsJSON is the clinic's inbox settings as the API reads and writes them.
type inboxSettingsJSON struct {
	RequestExpiryHours  *int    `json:"request_expiry_hours"`
	CancelCutoffMinutes *int    `json:"cancel_cutoff_minutes"`
	DirectBooking       *bool   `json:"direct_booking"`
	DefaultLang         *string `json:"default_lang"`
}

func settingsView(st inbox.Settings) inboxSettingsJSON {
	hours, minutes := int(st.RequestExpiry/time.Hour), int(st.CancelCutoff/time.Minute)
	return inboxSettingsJSON{RequestExpiryHours: &hours, CancelCutoffMinutes: &minutes, DirectBooking: &st.DirectBooking,
		DefaultLang: &st.DefaultLang}
}

func (h inboxHandlers) getSettings(c *gin.Context) {
	ok200(c, h.s, func() (any, error) {
		st, err := h.s.inbox.Settings(c.Request.Context())
		return settingsView(st), err
	})
}

// putSettings answers PUT /api/v1/settings/inbox; a field left out keeps its value.
func (h inboxHandlers) putSettings(c *gin.Context) {
	var in inboxSettingsJSON
	if !decode(c, &in) {
		return
	}
	ok200(c, h.s, func() (any, error) {
		ctx := c.Request.Context()
		st, err := h.s.inbox.Settings(ctx)
		if err != nil {
			return nil, err
		}
		if in.RequestExpiryHours != nil {
			if *in.RequestExpiryHours < 1 || *in.RequestExpiryHours > 8760 {
				return nil, scheduling.Rule("invalid_request_expiry", "request_expiry_hours is a whole number from 1 to 8760")
			}
			st.RequestExpiry = time.Duration(*in.RequestExpiryHours) * time.Hour
		}
		if in.CancelCutoffMinutes != nil {
			if *in.CancelCutoffMinutes < 0 || *in.CancelCutoffMinutes > 43200 {
				return nil, scheduling.Rule("invalid_cancel_cutoff", "cancel_cutoff_minutes is a whole number from 0 to 43200 (30 days)")
			}
			st.CancelCutoff = time.Duration(*in.CancelCutoffMinutes) * time.Minute
		}
		if in.DirectBooking != nil {
			st.DirectBooking = *in.DirectBooking
		}
		if in.DefaultLang != nil {
			st.DefaultLang = *in.DefaultLang
		}
		saved, err := h.s.inbox.SaveSettings(ctx, st)
		return settingsView(saved), err
	})
}
