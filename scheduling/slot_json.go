package scheduling

import (
	"strconv"
	"time"
)

// An availability answer can hold thousands of slots, so they are written by hand rather than by
// reflection; the output is byte for byte what encoding/json makes of the struct tags.

// AppendJSON appends the slot as a JSON object to b.
func (sl Slot) AppendJSON(b []byte) []byte {
	b = append(b, `{"start":"`...)
	b = sl.Start.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","end":"`...)
	b = sl.End.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","doctor_id":"`...)
	b = strconv.AppendInt(b, int64(sl.DoctorID), 10)
	b = append(b, '"')
	if sl.RoomID != nil {
		b = append(b, `,"room_id":"`...)
		b = strconv.AppendInt(b, int64(*sl.RoomID), 10)
		b = append(b, '"')
	}
	return append(b, '}')
}

// MarshalJSON writes the slot as AppendJSON does, wherever a slot is encoded (alternatives in an error).
func (sl Slot) MarshalJSON() ([]byte, error) {
	return sl.AppendJSON(make([]byte, 0, 128)), nil
}

// AppendJSON appends the page as a JSON object to b.
func (p *SlotPage) AppendJSON(b []byte) []byte {
	b = append(b, `{"slots":[`...)
	for i := range p.Slots {
		if i > 0 {
			b = append(b, ',')
		}
		b = p.Slots[i].AppendJSON(b)
	}
	b = append(b, ']')
	if p.NextCursor != "" {
		b = append(b, `,"next_cursor":`...)
		b = strconv.AppendQuote(b, p.NextCursor)
	}
	return append(b, '}')
}
