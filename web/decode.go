package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// decode reads the JSON body into v. A body that is not UTF-8, malformed JSON or a field of the wrong
// type answers 400 with a message naming the field and what it must be; a body over the size limit
// 413. It reports whether the handler may go on.
func decode(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		abort(c, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the body may be at most %d bytes", tooBig.Limit))
		return false
	case err != nil:
		abort(c, http.StatusBadRequest, "invalid_json", "the body could not be read")
		return false
	case !utf8.Valid(raw):
		// encoding/json would quietly turn invalid bytes into U+FFFD and store text nobody wrote.
		abort(c, http.StatusBadRequest, "invalid_text", "the body is not valid UTF-8 text")
		return false
	case hasEscapedNUL(raw):
		// PostgreSQL text cannot hold NUL; no field of ours has a use for it.
		abort(c, http.StatusBadRequest, "invalid_json", "strings may not contain the NUL character")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	err = dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON value")
	}
	if err == nil {
		return true
	}
	code, message := decodeError(raw, v, err)
	abort(c, http.StatusBadRequest, code, message)
	return false
}

// decodeError explains why raw did not decode into v, for a person: the field and the kind of value
// it takes, never a Go type or a time layout.
func decodeError(raw []byte, v any, err error) (code, message string) {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "invalid_json", "a JSON body is required"
	case errors.As(err, &syntaxErr):
		return "invalid_json", fmt.Sprintf("the body is not valid JSON (at byte %d): %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "invalid_json", "the body is not valid JSON: it ends too early"
	}
	if msg, ok := strings.CutPrefix(err.Error(), "unexpected data"); ok {
		return "invalid_json", "the body has unexpected data" + msg
	}
	// A wrong kind of value, or one that its own type refused (a time, an id): find where it is.
	if field, t, value, ok := badField(raw, reflect.TypeOf(v), ""); ok {
		switch {
		case field == "":
			return "invalid_json", "the body must be a JSON object"
		case t == idType:
			return "invalid_id", typeMessage(field, t, value)
		case t == timeType:
			return "invalid_json", typeMessage(field, t, value) // the code clients have always had for it
		}
		return "invalid_field", typeMessage(field, t, value)
	}
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return "invalid_field", typeMessage(typeErr.Field, typeErr.Type, nil)
	}
	return "invalid_json", "the body is not valid JSON for this request"
}

var (
	timeType = reflect.TypeFor[time.Time]()
	idType   = reflect.TypeFor[scheduling.ID]()
)

// typeMessage says what a field must be, by the Go type it decodes into; value is the JSON it held.
func typeMessage(field string, t reflect.Type, value []byte) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return field + " must be an RFC 3339 time with an offset, e.g. 2027-03-01T09:30:00+01:00"
	case t == idType:
		return field + " must be an id (a string of digits)"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if len(value) > 0 && !bytes.ContainsAny(value, `".eE`) && (value[0] == '-' || value[0] >= '0' && value[0] <= '9') {
			return field + " is too large a number"
		}
		return field + " must be a whole number"
	case reflect.Float32, reflect.Float64:
		return field + " must be a number"
	case reflect.Bool:
		return field + " must be true or false"
	case reflect.String:
		return field + " must be a string"
	case reflect.Slice, reflect.Array:
		return field + " must be a list"
	}
	return field + " must be an object"
}

// badField walks raw alongside the type t and finds the innermost value that does not decode into
// its type: its path (like "exceptions[2].date"; "" for the body itself), its type and its JSON.
func badField(raw []byte, t reflect.Type, path string) (string, reflect.Type, []byte, bool) {
	if json.Unmarshal(raw, reflect.New(t).Interface()) == nil {
		return "", nil, nil, false
	}
	elem := t
	for elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	if elem == timeType || elem == idType {
		return path, elem, raw, true
	}
	switch elem.Kind() {
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			for i, item := range items {
				if f, ft, v, ok := badField(item, elem.Elem(), fmt.Sprintf("%s[%d]", path, i)); ok {
					return f, ft, v, true
				}
			}
		}
	case reflect.Struct:
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) == nil {
			for i := range elem.NumField() {
				sf := elem.Field(i)
				name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
				if !sf.IsExported() || name == "-" {
					continue
				}
				if name == "" {
					name = sf.Name
				}
				for key, val := range fields {
					if !strings.EqualFold(key, name) {
						continue
					}
					full := name
					if path != "" {
						full = path + "." + name
					}
					if f, ft, v, ok := badField(val, sf.Type, full); ok {
						return f, ft, v, true
					}
				}
			}
		}
	}
	return path, elem, raw, true
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
