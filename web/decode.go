package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// decode reads the JSON body into v. Malformed JSON or a field of the wrong type answers 400, a body
// over the size limit 413; it reports whether the handler may go on.
func decode(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(c.Request.Body)
	if err == nil && hasEscapedNUL(raw) {
		// PostgreSQL text cannot hold NUL; no field of ours has a use for it.
		abort(c, http.StatusBadRequest, "invalid_json", "strings may not contain the NUL character")
		return false
	}
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		err = dec.Decode(v)
		if err == nil && dec.More() {
			err = errors.New("unexpected data after the JSON value")
		}
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var domain *scheduling.Error
	switch {
	case errors.As(err, &tooBig):
		abort(c, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the body may be at most %d bytes", tooBig.Limit))
	case errors.Is(err, io.EOF):
		abort(c, http.StatusBadRequest, "invalid_json", "a JSON body is required")
	case errors.As(err, &typeErr):
		abort(c, http.StatusBadRequest, "invalid_field", fmt.Sprintf("field %q must be %s", typeErr.Field, typeErr.Type.String()))
	case errors.As(err, &domain):
		abort(c, http.StatusBadRequest, domain.Code, domain.Message)
	default:
		abort(c, http.StatusBadRequest, "invalid_json", "the body is not valid JSON: "+err.Error())
	}
	return false
}

// pathID reads the :id path parameter; an id that cannot exist answers 404.
func pathID(c *gin.Context, what string) (scheduling.ID, bool) {
	id, ok := scheduling.ParseID(c.Param("id"))
	if !ok {
		abort(c, http.StatusNotFound, "not_found", what+" "+c.Param("id")+" not found")
	}
	return id, ok
}

// queryID reads an optional id query parameter (0 when absent); a malformed one answers 400.
func queryID(c *gin.Context, name string) (scheduling.ID, bool) {
	v := c.Query(name)
	if v == "" {
		return 0, true
	}
	id, ok := scheduling.ParseID(v)
	if !ok {
		abort(c, http.StatusBadRequest, "invalid_id", name+" "+v+" is not a valid id")
	}
	return id, ok
}

// queryIDs reads several optional id query parameters, names[i] into dst[i]; it stops at the first
// malformed one, which has answered 400.
func queryIDs(c *gin.Context, names []string, dst ...*scheduling.ID) bool {
	for i, name := range names {
		id, ok := queryID(c, name)
		if !ok {
			return false
		}
		*dst[i] = id
	}
	return true
}

// hasEscapedNUL reports whether a JSON text holds the escape \u0000, the only way JSON can carry a
// NUL character. A backslash that is itself escaped (\\u0000, the six characters "\u0000") does
// not count: what matters is an odd run of backslashes before the u.
func hasEscapedNUL(raw []byte) bool {
	for i := 0; ; {
		j := bytes.Index(raw[i:], []byte(`u0000`))
		if j < 0 {
			return false
		}
		at := i + j
		run := 0
		for k := at - 1; k >= 0 && raw[k] == '\\'; k-- {
			run++
		}
		if run%2 == 1 {
			return true
		}
		i = at + 1
	}
}
