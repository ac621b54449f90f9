package console

import (
	"cmp"
	"slices"
	"time"

	"clinic/scheduling"
)

// roomColumns puts a column per room of the branch, with the sessions held there and the room's and
// the branch's blocks.
func (d *calData) roomColumns(f dayFrame, sessions []scheduling.Session, blocks []scheduling.Block) {
	for _, r := range d.rooms {
		c := calColumn{Title: r.Name}
		for _, s := range sessions {
			if s.RoomID != nil && *s.RoomID == r.ID && s.Status != scheduling.StatusCancelled {
				if it, ok := d.sessionItem(f, s); ok {
					it.Sub = s.DoctorName + " · " + it.Sub
					c.Items = append(c.Items, it)
				}
			}
		}
		for _, b := range blocks {
			if b.DoctorID == nil && (b.RoomID == nil || *b.RoomID == r.ID) {
				if it, ok := d.blockItem(f, b); ok {
					c.Items = append(c.Items, it)
				}
			}
		}
		d.page.Columns = append(d.page.Columns, c)
	}
	if len(d.page.Columns) == 0 {
		d.page.Empty = "This branch has no rooms."
	}
}

// weekColumns puts a column per day of the week, drawn by the wall clock, each linking to its day.
func (d *calData) weekColumns(from scheduling.Date, sessions []scheduling.Session, blocks []scheduling.Block) {
	q := d.page.Query
	for i := range 7 {
		day := shift(from, i)
		f := frameOf(day, d.loc, true)
		noon := time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, time.UTC)
		c := calColumn{Title: noon.Format("Mon 2 Jan"), Link: q.with(day, viewDay).url(nil)}
		if hours := int(f.End.Sub(f.Start) / time.Hour); hours != 24 {
			c.Sub = "clocks change: " + itoa(hours) + "-hour day"
		}
		for _, s := range sessions {
			if s.Status == scheduling.StatusCancelled {
				continue
			}
			if it, ok := d.sessionItem(f, s); ok {
				it.Sub = s.DoctorName
				c.Items = append(c.Items, it)
			}
		}
		for _, b := range blocks {
			if it, ok := d.blockItem(f, b); ok {
				c.Items = append(c.Items, it)
			}
		}
		laneOut(c.Items)
		d.page.Columns = append(d.page.Columns, c)
	}
}

// scrollTo is the minute the drawing opens at: a little before the first session or free slot, or
// 07:00 (blocks, which may last all day, do not count).
func (d *calData) scrollTo() int {
	first := -1
	for _, c := range d.page.Columns {
		for _, it := range c.Items {
			if it.Kind != "block" && (first < 0 || it.Top < first) {
				first = it.Top
			}
		}
	}
	if first < 0 {
		first = 7 * 60
	}
	return max(first-30, 0)
}

// blockRow is a block listed under the calendar, with its removal form for managers.
type blockRow struct {
	ID                  scheduling.ID
	When, Target, Label string
}

func (d *calData) blockRows(blocks []scheduling.Block) []blockRow {
	out := make([]blockRow, 0, len(blocks))
	for _, b := range blocks {
		s, e := b.Start.In(d.loc), b.End.In(d.loc)
		when := s.Format("Mon 2 Jan 15:04") + " – " + e.Format("15:04")
		if scheduling.DateOf(s) != scheduling.DateOf(e) {
			when = s.Format("Mon 2 Jan 15:04") + " – " + e.Format("Mon 2 Jan 15:04")
		}
		out = append(out, blockRow{ID: b.ID, When: when, Target: d.blockTarget(b), Label: b.Reason})
	}
	return out
}

// targets are what a block may close: the whole branch, a doctor or a room.
func (d *calData) targets() []calOption {
	out := []calOption{{Value: "branch", Label: "Whole branch"}}
	for _, c := range sortedDoctors(d.doctors) {
		out = append(out, calOption{Value: "doctor:" + c.Value, Label: "Doctor: " + c.Label})
	}
	for _, r := range d.rooms {
		out = append(out, calOption{Value: "room:" + r.ID.String(), Label: "Room: " + r.Name})
	}
	return out
}

// laneOut puts sessions that overlap side by side: each gets a lane among the lanes its cluster of
// overlapping sessions needs. Blocks and free slots stay full width.
func laneOut(items []calItem) {
	slices.SortStableFunc(items, func(a, b calItem) int { return cmp.Compare(a.Top, b.Top) })
	var cluster []int
	var ends []int
	clusterEnd := -1
	finish := func() {
		for _, i := range cluster {
			items[i].Lanes = len(ends)
		}
		cluster, ends = cluster[:0], ends[:0]
	}
	for i := range items {
		it := &items[i]
		if it.Kind != "session" {
			continue
		}
		if it.Top >= clusterEnd {
			finish()
		}
		lane := slices.IndexFunc(ends, func(end int) bool { return end <= it.Top })
		if lane < 0 {
			lane = len(ends)
			ends = append(ends, 0)
		}
		ends[lane] = it.Top + it.Len
		it.Lane = lane
		cluster = append(cluster, i)
		clusterEnd = max(clusterEnd, it.Top+it.Len)
	}
	finish()
}
