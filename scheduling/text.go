package scheduling

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Text limits, in characters (not bytes).
const (
	MaxNameLength   = 200  // names of branches, rooms, doctors, examinations, patients
	MaxCodeLength   = 50   // examination codes
	MaxReasonLength = 500  // cancellation and block reasons
	MaxNoteLength   = 4000 // free text
	// MaxListLength caps the ids one request may list (doctors of an examination, and the like).
	MaxListLength = 500
)

// cleanText trims s and checks it against max characters; field names it in the message. An empty
// result is allowed: callers that need a value say so themselves.
func cleanText(field, s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid("invalid_text", "%s is not valid UTF-8 text", field)
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > max {
		return "", rule("too_long", "%s has %d characters; at most %d are allowed", field, n, max)
	}
	return s, nil
}

// Instant normalises a time the same way everywhere it enters the calendar (bookings, reschedules,
// blocks): to whole seconds, so that no sub-second edge can make a slot that booking then refuses.
func Instant(t time.Time) time.Time { return t.Truncate(time.Second) }
