package web

import "testing"

func TestHasEscapedNUL(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{
		`{"name": "A\u0000B"}`:       true,
		`{"name": "A\\u0000B"}`:      false, // the six characters \u0000, no NUL
		`{"name": "A\\\u0000B"}`:     true,  // a backslash, then NUL
		`{"name": "u0000"}`:          false,
		`{"a": "\\", "b": "\u0000"}`: true,
		`{}`:                         false,
	} {
		if got := hasEscapedNUL([]byte(raw)); got != want {
			t.Errorf("hasEscapedNUL(%s) = %v, want %v", raw, got, want)
		}
	}
}
