package inbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
)

// A cursor marks where the next page of the inbox starts: the creation time and id of the last
// request given out, with a checksum over the filter so a cursor edited by hand or sent with another
// filter is refused instead of starting somewhere else.

const cursorSumLen = 12

type cursorKeys struct {
	At time.Time `json:"at"`
	ID ID        `json:"id"`
}

func badCursor() error {
	return invalid("invalid_cursor", "the cursor is not one this list gave out; start again without it")
}

func encodeCursor(scope string, k cursorKeys) string {
	payload, _ := json.Marshal(k) // a time and an id always marshal
	return base64.RawURLEncoding.EncodeToString(append(cursorSum(scope, payload), payload...))
}

func decodeCursor(scope, cursor string) (cursorKeys, error) {
	var k cursorKeys
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(raw) <= cursorSumLen {
		return k, badCursor()
	}
	sum, payload := raw[:cursorSumLen], raw[cursorSumLen:]
	if !bytes.Equal(sum, cursorSum(scope, payload)) {
		return k, badCursor()
	}
	if err := json.Unmarshal(payload, &k); err != nil {
		return k, badCursor()
	}
	return k, nil
}

func cursorSum(scope string, payload []byte) []byte {
	h := sha256.New()
	h.Write([]byte(strconv.Quote(scope)))
	h.Write(payload)
	return h.Sum(nil)[:cursorSumLen]
}
