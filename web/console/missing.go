package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Serves reports whether path is the console's, so the server answers its misses and failures with
// pages rather than the API's JSON.
func Serves(path string) bool {
	return path == Prefix || strings.HasPrefix(path, Prefix+"/")
}

// NotFound answers a console address that names no page. A signed-in visitor keeps the menu.
func (con *Console) NotFound(c *gin.Context) {
	securityHeaders(c)
	if cookie, err := c.Request.Cookie(sessionCookie); err == nil && cookie.Value != "" {
		if a, err := con.resume(c.Request.Context(), cookie.Value); err == nil {
			c.Set(ctxAccount, a)
		}
	}
	con.errorPage(c, http.StatusNotFound, "Page not found",
		"There is no page at this address. It may have been mistyped, or the link may be out of date.")
}

// Broken answers a console request that failed on the server's side, naming the request id that
// the log holds, and nothing of the failure itself.
func (con *Console) Broken(c *gin.Context, requestID string) {
	securityHeaders(c)
	con.errorPage(c, http.StatusInternalServerError, "Something went wrong",
		"This page could not be shown because of a problem on our side. Please try again; if it keeps "+
			"happening, tell the clinic's administrator and mention request "+requestID+".")
}
