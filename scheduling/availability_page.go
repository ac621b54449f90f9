package scheduling

import (
	"container/heap"
	"strconv"
	"time"

	"clinic/scheduling/availability"
)

// slotKey is a slot's place in an availability answer, which is ordered by start, then by doctor.
// A cursor holds the key of the last slot given out.
type slotKey struct {
	start  int64 // Unix nanoseconds
	doctor ID
}

func (k slotKey) before(o slotKey) bool {
	return k.start < o.start || (k.start == o.start && k.doctor < o.doctor)
}

// slots returns every slot of the calendar's doctors in time order.
func (cal *calendar) slots(notBefore, notAfter time.Time) []Slot {
	return cal.page(notBefore, notAfter, nil, -1)
}

// page merges the doctors' slots in time order, then by doctor, and returns the first n (all of them
// when n < 0) that come after the key after (from the start when nil). Each doctor's slots are made
// one at a time as the merge asks for them, so the work follows n and not the length of the range.
func (cal *calendar) page(notBefore, notAfter time.Time, after *slotKey, n int) []Slot {
	h := make(slotHeap, 0, len(cal.doctors))
	for i := range cal.doctors {
		d := &cal.doctors[i]
		q := cal.query(d, d.busy(), cal.rooms)
		q.NotBefore, q.NotAfter = notBefore, notAfter
		if after != nil {
			// Starts equal to the last one given out come after it only for later doctors. Moving the
			// earliest start keeps each doctor's rhythm: the engine filters starts, it does not shift them.
			from := time.Unix(0, after.start)
			if d.id <= after.doctor {
				from = from.Add(time.Nanosecond)
			}
			if from.After(q.NotBefore) {
				q.NotBefore = from
			}
		}
		st := availability.NewStream(q)
		if sl, ok := st.Next(); ok {
			h = append(h, doctorSlots{key: slotKey{sl.Start.UnixNano(), d.id}, next: sl, rest: st})
		}
	}
	heap.Init(&h)
	total := 0
	for i := range h {
		total += 1 + h[i].rest.Remaining()
	}
	if n < 0 || n > total {
		n = total
	}
	out := make([]Slot, 0, n)
	for len(h) > 0 && len(out) < n {
		top := &h[0]
		out = append(out, cal.slot(top.key.doctor, top.next))
		if sl, ok := top.rest.Next(); ok {
			top.next, top.key.start = sl, sl.Start.UnixNano()
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	return out
}

func (cal *calendar) slot(doctor ID, sl availability.Slot) Slot {
	out := Slot{Start: sl.Start.In(cal.loc), End: sl.End.In(cal.loc), DoctorID: doctor}
	if sl.RoomID != 0 {
		room := ID(sl.RoomID)
		out.RoomID = &room
	}
	return out
}

// doctorSlots is one doctor's next slot in the merge, and the stream of the slots after it.
type doctorSlots struct {
	key  slotKey
	next availability.Slot
	rest *availability.Stream
}

// slotHeap orders the doctors by their next slot (container/heap).
type slotHeap []doctorSlots

func (h slotHeap) Len() int           { return len(h) }
func (h slotHeap) Less(i, j int) bool { return h[i].key.before(h[j].key) }
func (h slotHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *slotHeap) Push(x any)        { *h = append(*h, x.(doctorSlots)) }
func (h *slotHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

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
