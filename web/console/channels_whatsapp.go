package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/channels/whatsapp"
	"clinic/scheduling"
)

// whatsappView is WhatsApp's card on the channels page.
type whatsappView struct {
	State, Label, Detail, Since string
	Account, Holder             string
	// Linked: a phone is linked (offer unlink); QR: a code is being shown (draw it and follow it).
	Linked, QR bool
	// Trouble is the state that needs staff: logged out, banned, replaced or down for a while.
	Trouble bool
	// Warning is what staff must do before the link is lost (the phone has been offline for days).
	Warning string
	// Version changes with the code shown, so the page knows when to fetch the new image.
	Version string
	// Phone and PairCode are the pairing just asked for, shown once.
	Phone, PairCode string
}

// whatsappViewOf reads the link's state into the card.
func (con *Console) whatsappViewOf(ctx context.Context, wa *whatsapp.Health) (*whatsappView, error) {
	l, err := wa.Link(ctx)
	if err != nil {
		return nil, err
	}
	h := wa.Health(ctx)
	st := whatsapp.State(h.State)
	v := &whatsappView{State: h.State, Label: st.Label(), Detail: h.Detail, Since: con.since(h.Since), Account: l.Account,
		Holder: l.Holder, Trouble: h.Down, Warning: h.Warning}
	v.Linked = l.Linked()
	v.QR = st == whatsapp.Linking && l.QRCode != "" && l.QRExpires.After(wa.Now())
	if v.QR {
		sum := sha256.Sum256([]byte(l.QRCode))
		v.Version = hex.EncodeToString(sum[:6])
	}
	return v, nil
}

// whatsappState answers the card's state and QR version as JSON; the page asks every few seconds
// and redraws the code or reloads when it changes.
func (con *Console) whatsappState(c *gin.Context) {
	wa := con.whatsapp()
	if wa == nil {
		c.JSON(http.StatusNotFound, gin.H{"state": ""})
		return
	}
	v, err := con.whatsappViewOf(c.Request.Context(), wa)
	if err != nil {
		con.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"state": v.State, "version": v.Version})
}

// whatsappQRImage draws the code being shown; none shown answers 404 and the page reloads.
func (con *Console) whatsappQRImage(c *gin.Context) {
	wa := con.whatsapp()
	if wa == nil {
		c.Status(http.StatusNotFound)
		return
	}
	l, err := wa.Link(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	if l.State != whatsapp.Linking || l.QRCode == "" {
		c.Status(http.StatusNotFound)
		return
	}
	png, err := whatsapp.QRPNG(l.QRCode, 320)
	if err != nil {
		con.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", png)
}

// whatsappLink starts linking by QR code; the page then shows the code.
func (con *Console) whatsappLink(c *gin.Context) {
	con.whatsappAsk(c, whatsapp.RequestQR, "", "Scan the code with WhatsApp on the clinic's phone.")
}

// whatsappUnlink ends the link.
func (con *Console) whatsappUnlink(c *gin.Context) {
	con.whatsappAsk(c, whatsapp.RequestUnlink, "", "WhatsApp is unlinked. Patients' messages are not read until a phone is linked again.")
}

// whatsappPair asks for a pairing code for the phone typed, and shows it on the page.
func (con *Console) whatsappPair(c *gin.Context) {
	wa := con.whatsapp()
	if wa == nil {
		con.errorPage(c, http.StatusNotFound, "WhatsApp is not set up", "This server does not run the WhatsApp channel.")
		return
	}
	phone := strings.ReplaceAll(strings.TrimSpace(c.PostForm("phone")), " ", "")
	if err := whatsapp.ValidPhone(phone); err != nil {
		con.flash(c, flashError, "Give the clinic's WhatsApp number with its country code, like +971501234567.")
		c.Redirect(http.StatusSeeOther, channelsPath)
		return
	}
	code, err := wa.Ask(c.Request.Context(), whatsapp.RequestPair, phone, askWait(c.Request.Context()))
	if err != nil {
		con.whatsappRefused(c, err)
		return
	}
	v, err := con.whatsappViewOf(c.Request.Context(), wa)
	if err != nil {
		con.fail(c, err)
		return
	}
	v.Phone, v.PairCode = phone, code
	p := channelsPage{WhatsApp: v, CSRF: signedIn(c).CSRF}
	if p.Failures, p.Outbox, err = con.failures(c.Request.Context()); err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "channels", "Channels", p)
}

// whatsappAsk hands a request to the server holding the connection and goes back to the page.
func (con *Console) whatsappAsk(c *gin.Context, kind whatsapp.RequestKind, phone, done string) {
	wa := con.whatsapp()
	if wa == nil {
		con.errorPage(c, http.StatusNotFound, "WhatsApp is not set up", "This server does not run the WhatsApp channel.")
		return
	}
	if _, err := wa.Ask(c.Request.Context(), kind, phone, askWait(c.Request.Context())); err != nil {
		con.whatsappRefused(c, err)
		return
	}
	con.flash(c, flashSuccess, done)
	c.Redirect(http.StatusSeeOther, channelsPath)
}

// whatsappRefused goes back to the page saying why the request did not go through: no server holds
// the connection, or the holder refused (already linked, WhatsApp said no).
func (con *Console) whatsappRefused(c *gin.Context, err error) {
	var de *scheduling.Error
	if !errors.As(err, &de) {
		con.fail(c, err)
		return
	}
	con.flash(c, flashError, de.Message)
	c.Redirect(http.StatusSeeOther, channelsPath)
}

// askWait is how long a request waits for the holder: what the request's deadline leaves, less a
// second to answer in, and never more than 12 s.
func askWait(ctx context.Context) time.Duration {
	wait := 12 * time.Second
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d)-time.Second)
	}
	return max(wait, time.Second)
}
