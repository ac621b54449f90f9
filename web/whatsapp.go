package web

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/channels/whatsapp"
)

// whatsappRoutes mounts linking the clinic's WhatsApp number (DESIGN 4): the QR code to scan, a
// pairing code to type on the phone instead, and unlinking. Owners and managers only. Any server
// answers; the one holding the connection carries the request out.
func (s *Server) whatsappRoutes(api *gin.RouterGroup) {
	g := api.Group("/channels/whatsapp", allow(managers...))
	g.GET("/qr", s.whatsappQR)
	g.POST("/pair", s.whatsappPair)
	g.POST("/unlink", s.whatsappUnlink)
}

// whatsappHealth is the WhatsApp channel among the health sources, nil when it is not set up.
func (s *Server) whatsappHealth() *whatsapp.Health {
	for _, src := range s.channels {
		if h, ok := src.(*whatsapp.Health); ok {
			return h
		}
	}
	return nil
}

// whatsappChannel is the WhatsApp channel, or nil having answered 404 when it is not set up.
func (s *Server) whatsappChannel(c *gin.Context) *whatsapp.Health {
	if h := s.whatsappHealth(); h != nil {
		return h
	}
	abort(c, http.StatusNotFound, "not_found", "the WhatsApp channel is not set up on this server")
	return nil
}

// whatsappQRSize is the QR image's width and height in pixels.
const whatsappQRSize = 320

// whatsappQRAnswer is the link code to scan, with when WhatsApp replaces it.
type whatsappQRAnswer struct {
	State     string    `json:"state"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
	// Image is the code drawn as a PNG, as a data: URL an <img> shows as is.
	Image string `json:"image"`
}

// whatsappQR answers the QR code to scan in WhatsApp (Linked devices → Link a device), starting the
// linking if none is shown yet; with format=png, the image itself. A linked number answers 409.
func (s *Server) whatsappQR(c *gin.Context) {
	wa := s.whatsappChannel(c)
	if wa == nil {
		return
	}
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "png" {
		abort(c, http.StatusBadRequest, "invalid_format", "format must be json or png, not "+format)
		return
	}
	ctx := c.Request.Context()
	l, err := wa.Link(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	if l.Account != "" && l.State != whatsapp.LoggedOut && l.State != whatsapp.NotLinked {
		abort(c, http.StatusConflict, "whatsapp_linked", "WhatsApp is linked to "+l.Account+"; unlink it first to link another phone")
		return
	}
	if l.State != whatsapp.Linking || l.QRCode == "" || !l.QRExpires.After(wa.Now()) {
		if _, err := wa.Ask(ctx, whatsapp.RequestQR, "", askWait(ctx)); err != nil {
			s.whatsappFail(c, err)
			return
		}
		if l, err = wa.Link(ctx); err != nil {
			s.fail(c, err)
			return
		}
	}
	png, err := whatsapp.QRPNG(l.QRCode, whatsappQRSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if format == "png" {
		c.Data(http.StatusOK, "image/png", png)
		return
	}
	c.JSON(http.StatusOK, whatsappQRAnswer{State: string(l.State), Code: l.QRCode, ExpiresAt: l.QRExpires,
		Image: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
}

// whatsappPair answers a pairing code to type on the phone {phone} (E.164) instead of scanning.
func (s *Server) whatsappPair(c *gin.Context) {
	wa := s.whatsappChannel(c)
	if wa == nil {
		return
	}
	var in struct {
		Phone string `json:"phone"`
	}
	if !decode(c, &in) {
		return
	}
	if err := whatsapp.ValidPhone(in.Phone); err != nil {
		s.fail(c, err)
		return
	}
	code, err := wa.Ask(c.Request.Context(), whatsapp.RequestPair, in.Phone, askWait(c.Request.Context()))
	if err != nil {
		s.whatsappFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"phone": in.Phone, "code": code})
}

// whatsappUnlink ends the link: WhatsApp forgets this device and the clinic's number stops answering
// until it is linked again.
func (s *Server) whatsappUnlink(c *gin.Context) {
	wa := s.whatsappChannel(c)
	if wa == nil {
		return
	}
	if _, err := wa.Ask(c.Request.Context(), whatsapp.RequestUnlink, "", askWait(c.Request.Context())); err != nil {
		s.whatsappFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"state": whatsapp.NotLinked})
}

// whatsappFail answers a request no server took up as 503 (it can succeed later), anything else as usual.
func (s *Server) whatsappFail(c *gin.Context, err error) {
	if errors.Is(err, whatsapp.ErrNoHolder) {
		abort(c, http.StatusServiceUnavailable, "whatsapp_unavailable",
			"no server is running the WhatsApp connection right now, or it is busy; try again in a moment")
		return
	}
	s.fail(c, err)
}

// askWait is how long a request waits for the holder: what the request's own deadline leaves, less a
// second to answer in, and never more than 12 s.
func askWait(ctx context.Context) time.Duration {
	wait := 12 * time.Second
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d)-time.Second)
	}
	return max(wait, time.Second)
}
