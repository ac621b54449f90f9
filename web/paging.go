package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
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

// sessionPage is a page of sessions as the API answers it: each session with its invoice.
type sessionPage struct {
	Items      []sessionJSON `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// pageOfSessions runs a session list and answers its page.
func (s *Server) pageOfSessions(c *gin.Context, call func() (*scheduling.SessionPage, error)) {
	ok200(c, s, func() (any, error) {
		page, err := call()
		if err != nil {
			return nil, err
		}
		out := sessionPage{Items: make([]sessionJSON, len(page.Items)), NextCursor: page.NextCursor}
		for i := range page.Items {
			out.Items[i] = sessionView(&page.Items[i])
		}
		return out, nil
	})
}
