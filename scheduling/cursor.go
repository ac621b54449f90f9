package scheduling

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
)

// A cursor marks where the next page of a list starts: the sort keys of the last item given out.
// It is opaque to clients and bound to the list it came from: a checksum over the list's scope (its
// name and filter) and the keys makes a cursor edited by hand, or sent with another filter, fail to
// decode instead of silently starting somewhere else. The checksum is not a secret: a forged cursor
// can only start a page the caller could have asked for anyway.

const cursorSumLen = 12

func badCursor() *Error {
	return invalid("invalid_cursor", "the cursor is not one this list gave out; start again without it")
}

// encodeCursor writes keys as a cursor for scope.
func encodeCursor(scope string, keys ...any) string {
	payload, err := json.Marshal(keys)
	if err != nil {
		panic(fmt.Sprintf("cursor keys must marshal: %v", err)) // keys are ids, times and strings
	}
	return base64.RawURLEncoding.EncodeToString(append(cursorSum(scope, payload), payload...))
}

// decodeCursor reads a cursor of scope into the pointers in keys, in the order encodeCursor took
// them. Anything but an untouched cursor of the same scope is an invalid_cursor error.
func decodeCursor(scope, cursor string, keys ...any) error {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) <= cursorSumLen {
		return badCursor()
	}
	sum, payload := raw[:cursorSumLen], raw[cursorSumLen:]
	if !bytes.Equal(sum, cursorSum(scope, payload)) {
		return badCursor()
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(payload, &parts); err != nil || len(parts) != len(keys) {
		return badCursor()
	}
	for i, p := range parts {
		if err := json.Unmarshal(p, keys[i]); err != nil {
			return badCursor()
		}
	}
	return nil
}

func cursorSum(scope string, payload []byte) []byte {
	h := sha256.New()
	h.Write([]byte(strconv.Quote(scope)))
	h.Write(payload)
	return h.Sum(nil)[:cursorSumLen]
}

// pageLimit checks a requested page size: 0 takes def, more than max is refused.
func pageLimit(limit, def, max int) (int, error) {
	switch {
	case limit == 0:
		return def, nil
	case limit < 0 || limit > max:
		return 0, rule("invalid_limit", "limit must be between 1 and %d", max)
	}
	return limit, nil
}
