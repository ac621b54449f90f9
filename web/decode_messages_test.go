package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"clinic/scheduling"
)

// decodeInto runs decode on body as a handler would and returns the error answer, if any.
func decodeInto(t *testing.T, body string, v any) (ok bool, status int, e apiError) {
	t.Helper()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	ok = decode(c, v)
	if !ok {
		var answer struct {
			Error apiError `json:"error"`
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer), w.Body.String())
		e = answer.Error
	}
	return ok, w.Code, e
}

// TestDecodeMessagesAreForPeople sends a value of the wrong kind to each kind of field: the answer is a
// 400 naming the field and what it takes, never a Go type or a time layout.
func TestDecodeMessagesAreForPeople(t *testing.T) {
	t.Parallel()
	const rfc3339 = " must be an RFC 3339 time with an offset, e.g. 2027-03-01T09:30:00+01:00"
	cases := []struct {
		body string
		into func() any
		want string
	}{
		{`{"start": "2027-03-01 09:30"}`, block, "start" + rfc3339},
		{`{"start": "2027-03-01T09:30:00+01:00", "end": "2027-03-01T10:00:00"}`, block, "end" + rfc3339},
		{`{"start": 1700000000}`, block, "start" + rfc3339},
		{`{"start": true}`, booking, "start" + rfc3339},
		{`{"branch_id": "Lisbon"}`, block, "branch_id must be an id (a string of digits)"},
		{`{"branch_id": -3}`, block, "branch_id must be an id (a string of digits)"},
		{`{"doctor_id": "12a"}`, block, "doctor_id must be an id (a string of digits)"},
		{`{"doctor_ids": ["1", "two"]}`, exam, "doctor_ids[1] must be an id (a string of digits)"},
		{`{"prices": [{"branch_id": "x", "price": 1}]}`, exam, "prices[0].branch_id must be an id (a string of digits)"},
		{`{"price": "12.50"}`, exam, "price must be a whole number"},
		{`{"price": 12.5}`, exam, "price must be a whole number"},
		{`{"price": 1e40}`, exam, "price must be a whole number"},
		{`{"price": 99999999999999999999}`, exam, "price is too large a number"},
		{`{"duration_minutes": "30"}`, exam, "duration_minutes must be a whole number"},
		{`{"windows": [{"weekday": "monday"}]}`, exam, "windows[0].weekday must be a whole number"},
		{`{"taxable": "yes"}`, exam, "taxable must be true or false"},
		{`{"code": 12}`, exam, "code must be a string"},
		{`{"branch_ids": "1"}`, exam, "branch_ids must be a list"},
		{`{"hours": {"weekday": 1}}`, branch, "hours must be a list"},
		{`{"hours": ["09:00"]}`, branch, "hours[0] must be an object"},
		{`[1, 2]`, branch, "the body must be a JSON object"},
		{`"text"`, branch, "the body must be a JSON object"},
	}
	for _, tc := range cases {
		ok, status, e := decodeInto(t, tc.body, tc.into())
		require.False(t, ok, tc.body)
		require.Equal(t, http.StatusBadRequest, status, tc.body)
		require.Equal(t, tc.want, e.Message, tc.body)
		if strings.Contains(tc.want, "must be an id") {
			require.Equal(t, "invalid_id", e.Code, tc.body)
		}
		for _, leak := range []string{"time.Time", "scheduling.", "int64", "Go ", "2006", "15:04", "json:", "struct"} {
			require.NotContains(t, e.Message, leak, tc.body)
		}
	}
}

func block() any   { return &scheduling.BlockInput{} }
func booking() any { return &scheduling.BookingInput{} }
func exam() any    { return &scheduling.ExaminationInput{} }
func branch() any  { return &scheduling.BranchInput{} }

func TestDecodeRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"{\"name\": \"Lisb\xf6n\"}", "{\"name\": \"\xc3\"}", "{\"n\xffme\": \"x\"}"} {
		var in scheduling.BranchInput
		ok, status, e := decodeInto(t, body, &in)
		require.False(t, ok)
		require.Equal(t, http.StatusBadRequest, status)
		require.Equal(t, "invalid_text", e.Code)
		require.Equal(t, "the body is not valid UTF-8 text", e.Message)
		require.Empty(t, in.Name, "nothing is decoded")
	}
	var in scheduling.BranchInput
	ok, _, _ := decodeInto(t, `{"name": "Lisboa – Centro ✓"}`, &in)
	require.True(t, ok)
	require.Equal(t, "Lisboa – Centro ✓", in.Name)
}

func TestDecodeMalformedJSON(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		``:                    "a JSON body is required",
		`{"name": `:           "the body is not valid JSON: it ends too early",
		`{"name": "x"} {}`:    "the body has unexpected data after the JSON value",
		`{name: "x"}`:         "the body is not valid JSON (at byte 2): invalid character 'n' looking for beginning of object key string",
		`{"name": "x",}`:      "the body is not valid JSON (at byte 14): invalid character '}' looking for beginning of object key string",
		`{"name": "A\u0000"}`: "strings may not contain the NUL character",
	} {
		ok, status, e := decodeInto(t, body, &scheduling.BranchInput{})
		require.False(t, ok, body)
		require.Equal(t, http.StatusBadRequest, status, body)
		require.Equal(t, want, e.Message, body)
	}
	big := bytes.Repeat([]byte(" "), 10)
	ok, _, _ := decodeInto(t, string(big)+`{}`, &scheduling.BranchInput{})
	require.True(t, ok, "white space before the object is fine")
}
