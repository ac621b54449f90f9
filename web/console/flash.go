package console

import (
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

const flashCookie = "clinic_flash"

// Flash kinds: how a message is coloured.
const (
	flashInfo    = "info"
	flashSuccess = "success"
	flashError   = "error"
)

// flash is a message carried across a redirect, so that every action shows what it did.
type flash struct {
	Kind, Message string
}

// flash leaves a message for the next page the browser shows.
func (con *Console) flash(c *gin.Context, kind, message string) {
	con.setCookie(c, flashCookie, url.QueryEscape(kind+":"+message), 60)
}

// takeFlash reads the message the previous response left, and removes it so it is shown once.
func (con *Console) takeFlash(c *gin.Context) *flash {
	cookie, err := c.Request.Cookie(flashCookie)
	if err != nil || cookie.Value == "" {
		return nil
	}
	con.setCookie(c, flashCookie, "", -1)
	raw, err := url.QueryUnescape(cookie.Value)
	if err != nil {
		return nil
	}
	kind, message, ok := strings.Cut(raw, ":")
	if !ok || message == "" || kind != flashInfo && kind != flashSuccess && kind != flashError {
		return nil
	}
	return &flash{Kind: kind, Message: message}
}
