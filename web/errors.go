package web

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"clinic/scheduling"
)

// apiError is the body of every error answer (API.md: Conventions).
type apiError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

var kindStatus = map[scheduling.Kind]int{
	scheduling.KindInvalid:   http.StatusBadRequest,
	scheduling.KindRule:      http.StatusUnprocessableEntity,
	scheduling.KindNotFound:  http.StatusNotFound,
	scheduling.KindConflict:  http.StatusConflict,
	scheduling.KindForbidden: http.StatusForbidden,
}

// fail writes err in the error shape; it is the one place where errors become HTTP answers. Domain
// errors keep their code and status; a lost database connection or an over-long request is a
// retryable 503; anything else is a fault of ours, logged with the request id and answered 500
// without internals.
func (s *Server) fail(c *gin.Context, err error) {
	var de *scheduling.Error
	switch {
	case errors.As(err, &de):
		body := gin.H{"error": apiError{Code: de.Code, Message: de.Message, Details: de.Details}}
		// A taken slot also carries its alternatives at the top level (API.md: "409 with alternatives").
		if alts, ok := de.Details["alternatives"]; ok {
			body["alternatives"] = alts
		}
		c.AbortWithStatusJSON(kindStatus[de.Kind], body)
	case errors.Is(err, context.Canceled):
		c.Abort()
	case connectionLost(err):
		s.log.WarnContext(c.Request.Context(), "database connection lost", "request_id", requestID(c), "err", err)
		abort(c, http.StatusServiceUnavailable, "database_unavailable", "the database connection was interrupted; please retry")
	case errors.Is(err, context.DeadlineExceeded):
		s.log.WarnContext(c.Request.Context(), "request timed out", "request_id", requestID(c), "err", err)
		abort(c, http.StatusServiceUnavailable, "timeout", "the request took too long; please try again")
	default:
		s.log.ErrorContext(c.Request.Context(), "request failed", "request_id", requestID(c), "err", err)
		abort(c, http.StatusInternalServerError, "internal", "something went wrong on our side; the request id is "+requestID(c))
	}
}

func abort(c *gin.Context, status int, code, message string) {
	c.AbortWithStatusJSON(status, gin.H{"error": apiError{Code: code, Message: message}})
}

// connectionLost reports whether err means the database connection went away: the server shut the
// backend down (57P01 admin, 57P02 crash, 57P03 starting up), or the socket closed before a reply.
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	return pgconn.SafeToRetry(err) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}
