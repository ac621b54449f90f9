package scheduling_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
)

// reflected is Slot without its hand-written encoding: what encoding/json makes of the same fields.
type reflected struct {
	Start    time.Time      `json:"start"`
	End      time.Time      `json:"end"`
	DoctorID scheduling.ID  `json:"doctor_id"`
	RoomID   *scheduling.ID `json:"room_id,omitempty"`
}

// TestSlotJSONIsWhatReflectionWrites: the hand-written encoding of slots and pages is byte for byte
// the one encoding/json gives the same fields, in zones east and west of UTC, at UTC, and with and
// without a room.
func TestSlotJSONIsWhatReflectionWrites(t *testing.T) {
	t.Parallel()
	room := scheduling.ID(12)
	var slots []scheduling.Slot
	for _, zone := range []string{"UTC", "Europe/Lisbon", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"} {
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		start := time.Date(2027, 3, 28, 1, 30, 0, 0, loc)
		slots = append(slots,
			scheduling.Slot{Start: start, End: start.Add(30 * time.Minute), DoctorID: 7},
			scheduling.Slot{Start: start.Add(15 * time.Second), End: start.Add(time.Hour), DoctorID: 9000000001, RoomID: &room})
	}
	for _, sl := range slots {
		want, err := json.Marshal(reflected(sl))
		require.NoError(t, err)
		require.Equal(t, string(want), string(sl.AppendJSON(nil)))
		got, err := json.Marshal(sl)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "a slot inside another answer (alternatives) is written the same way")
	}

	for _, page := range []scheduling.SlotPage{{Slots: []scheduling.Slot{}}, {Slots: slots[:1]}, {Slots: slots, NextCursor: "abc_-9"}} {
		shadow := struct {
			Slots      []reflected `json:"slots"`
			NextCursor string      `json:"next_cursor,omitempty"`
		}{Slots: []reflected{}, NextCursor: page.NextCursor}
		for _, sl := range page.Slots {
			shadow.Slots = append(shadow.Slots, reflected(sl))
		}
		want, err := json.Marshal(shadow)
		require.NoError(t, err)
		require.Equal(t, string(want), string(page.AppendJSON(nil)))
	}
}
