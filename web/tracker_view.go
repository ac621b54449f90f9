package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/scheduling/eta"
	"clinic/scheduling/privacy"
	"clinic/web/i18n"
)

// publicPlace is what a patient's link shows of their session: their place and the clinic's
// masked view of the names (DESIGN 3.3). Nothing else about the session, and nothing about anyone
// else, is ever in it.
type publicPlace struct {
	Status    string `json:"status"`
	CheckedIn bool   `json:"checked_in"`
	// Position is the place in the doctor's line from 1 (1 is next); 0 when not waiting.
	Position int        `json:"position"`
	Ahead    int        `json:"ahead"`
	ETA      *eta.Range `json:"eta"`
	Start    time.Time  `json:"start"`
	Date     string     `json:"date"`
	// Names masked as the privacy settings say; null when hidden.
	PatientName *string   `json:"patient_name"`
	DoctorName  *string   `json:"doctor_name"`
	Phone       string    `json:"phone,omitempty"`
	Branch      string    `json:"branch"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// finalStatus reports a session that has left the queue for good.
func finalStatus(status string) bool {
	return status == scheduling.StatusCompleted || status == scheduling.StatusCancelled || status == scheduling.StatusNoShow
}

func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// masked is the public view of a place under the clinic's settings, times in the branch's zone.
func masked(p *placeInfo, l link, st privacy.Settings) publicPlace {
	loc := p.Start.Location()
	out := publicPlace{Status: p.Status, CheckedIn: p.CheckedIn, Position: p.Position, Ahead: p.Ahead,
		Start: p.Start, Date: p.Day, Branch: p.branch, ExpiresAt: l.expires.In(loc),
		PatientName: orNil(privacy.PatientName(p.PatientName, st.PatientName)),
		DoctorName:  orNil(privacy.DoctorName(p.DoctorName, st.DoctorName)),
		Phone:       privacy.Phone(p.PatientPhone, st.Phone)}
	if p.ETA != nil && p.Status == scheduling.StatusWaiting {
		out.ETA = &eta.Range{From: p.ETA.From.In(loc), To: p.ETA.To.In(loc)}
	}
	return out
}

// trackText is the tracker's words in one language: the page shows them, and each live update
// carries them, so the page never formats anything itself.
type trackText struct {
	Clinic      string `json:"clinic"`
	Headline    string `json:"headline"`
	Detail      string `json:"detail"`
	ETA         string `json:"eta"`
	Position    string `json:"position"`
	Patient     string `json:"patient"`
	Phone       string `json:"phone"`
	Doctor      string `json:"doctor"`
	Appointment string `json:"appointment"`
}

func words(lang string, v publicPlace) trackText {
	tx := trackText{Clinic: v.Branch, Phone: v.Phone, Appointment: i18n.Clock(lang, v.Start)}
	if v.PatientName != nil {
		tx.Patient = *v.PatientName
	}
	if v.DoctorName != nil {
		tx.Doctor = *v.DoctorName
	}
	switch v.Status {
	case scheduling.StatusWaiting:
		if v.Position == 0 {
			tx.Headline = i18n.T(lang, "tracker.waiting")
			break
		}
		tx.Headline = i18n.T(lang, "tracker.ahead", v.Ahead)
		tx.Position = i18n.T(lang, "tracker.position", i18n.Number(lang, v.Position))
		if v.ETA != nil {
			from, to := i18n.Clock(lang, v.ETA.From), i18n.Clock(lang, v.ETA.To)
			if from == to {
				tx.ETA = i18n.T(lang, "tracker.eta_at", from)
			} else {
				tx.ETA = i18n.T(lang, "tracker.eta", from, to)
			}
		}
	case scheduling.StatusOpen:
		tx.Headline, tx.Detail = i18n.T(lang, "tracker.open"), i18n.T(lang, "tracker.open_detail")
	case scheduling.StatusCompleted:
		tx.Headline, tx.Detail = i18n.T(lang, "tracker.completed"), i18n.T(lang, "tracker.completed_detail")
	case scheduling.StatusCancelled:
		tx.Headline, tx.Detail = i18n.T(lang, "tracker.cancelled"), i18n.T(lang, "tracker.contact_clinic")
	default:
		tx.Headline, tx.Detail = i18n.T(lang, "tracker.no_show"), i18n.T(lang, "tracker.contact_clinic")
	}
	return tx
}

// open opens a token to its masked view. Whatever goes wrong with the token, or with a session
// deleted since, the answer is the same errNoLink.
func (t *tracker) open(ctx context.Context, token string) (link, *placeInfo, privacy.Settings, error) {
	var st privacy.Settings
	l, err := t.lookup(ctx, token)
	if err != nil {
		return l, nil, st, err
	}
	p, err := t.places.get(ctx, l)
	if scheduling.IsCode(err, scheduling.CodeNotFound) {
		return l, nil, st, errNoLink
	}
	if err != nil {
		return l, nil, st, err
	}
	st, err = t.privacySettings(ctx)
	return l, p, st, err
}

// publicPlace answers GET /api/v1/public/queue/{token}.
func (t *tracker) publicPlace(c *gin.Context) {
	l, p, st, err := t.open(c.Request.Context(), c.Param("token"))
	if err != nil {
		t.s.fail(c, err)
		return
	}
	publicHeaders(c)
	c.JSON(http.StatusOK, masked(p, l, st))
}

// publicHeaders keep a patient's view out of caches, search engines, frames and Referer headers
// (the link itself is the key to it).
func publicHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

// asset serves a public page's static file by its hashed name, cacheable for a year.
func (t *tracker) asset(c *gin.Context) {
	a, ok := t.site.Asset(c.Param("file"))
	if !ok {
		abort(c, http.StatusNotFound, "not_found", "no such file")
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, a.ContentType, a.Body)
}
