package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// queryLimit reads the optional page size (0 when absent: the list's default); one that is not a
// whole number of at least 1 answers 400. The list itself refuses one above its maximum.
func queryLimit(c *gin.Context) (int, bool) {
	v, ok := c.GetQuery("limit")
	if !ok {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		abort(c, http.StatusBadRequest, "invalid_limit", "limit must be a whole number of at least 1")
		return 0, false
	}
	return n, true
}
