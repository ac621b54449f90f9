package availability

import (
	"testing"
	"time"
)

// TestSlotsDST checks that local hours on a DST change day become the real instants of that
// day: the engine must not assume 24-hour days or a fixed offset.
func TestSlotsDST(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		zone  string
		date  Date
		hours []Span
		want  []string // slot starts in UTC
	}{
		{
			name:  "spring-forward day has 23 hours",
			zone:  "America/New_York",
			date:  Date{2026, 3, 8},
			hours: spans("00:00-06:00"), // 00:00 EST to 06:00 EDT: 5 real hours
			want: []string{
				"2026-03-08 05:00Z", "2026-03-08 06:00Z", "2026-03-08 07:00Z",
				"2026-03-08 08:00Z", "2026-03-08 09:00Z",
			},
		},
		{
			name:  "fall-back day has 25 hours",
			zone:  "America/New_York",
			date:  Date{2026, 11, 1},
			hours: spans("00:00-06:00"), // 00:00 EDT to 06:00 EST: 7 real hours
			want: []string{
				"2026-11-01 04:00Z", "2026-11-01 05:00Z", "2026-11-01 06:00Z", "2026-11-01 07:00Z",
				"2026-11-01 08:00Z", "2026-11-01 09:00Z", "2026-11-01 10:00Z",
			},
		},
		{
			name:  "hour skipped by spring-forward is not bookable",
			zone:  "America/New_York",
			date:  Date{2026, 3, 8},
			hours: spans("02:00-03:00"),
			want:  nil,
		},
		{
			name:  "hours ending inside the spring-forward gap end at the jump",
			zone:  "America/New_York",
			date:  Date{2026, 3, 8},
			hours: spans("00:00-02:30"), // 00:00 EST to 03:00 EDT
			want:  []string{"2026-03-08 05:00Z", "2026-03-08 06:00Z"},
		},
		{
			name:  "hours starting inside the spring-forward gap start at the jump",
			zone:  "America/New_York",
			date:  Date{2026, 3, 8},
			hours: spans("02:30-05:00"), // 03:00 EDT to 05:00 EDT
			want:  []string{"2026-03-08 07:00Z", "2026-03-08 08:00Z"},
		},
		{
			name:  "hour repeated by fall-back is bookable twice",
			zone:  "America/New_York",
			date:  Date{2026, 11, 1},
			hours: spans("01:00-02:00"), // 01:00 EDT to 02:00 EST
			want:  []string{"2026-11-01 05:00Z", "2026-11-01 06:00Z"},
		},
		{
			// time.Date resolves this one to the second occurrence; the engine must not.
			name:  "span inside the repeated hour takes its first occurrence",
			zone:  "Europe/Lisbon",
			date:  Date{2026, 10, 25},
			hours: spans("01:00-02:00"), // 01:00 WEST to 02:00 WET: two real hours
			want:  []string{"2026-10-25 00:00Z", "2026-10-25 01:00Z"},
		},
		{
			name:  "europe spring-forward day has 23 hours",
			zone:  "Europe/Lisbon",
			date:  Date{2026, 3, 29},
			hours: spans("00:00-06:00"), // 00:00 WET to 06:00 WEST
			want: []string{
				"2026-03-29 00:00Z", "2026-03-29 01:00Z", "2026-03-29 02:00Z",
				"2026-03-29 03:00Z", "2026-03-29 04:00Z",
			},
		},
		{
			name:  "europe fall-back day has 25 hours",
			zone:  "Europe/Berlin",
			date:  Date{2026, 10, 25},
			hours: spans("00:00-06:00"), // 00:00 CEST to 06:00 CET
			want: []string{
				"2026-10-24 22:00Z", "2026-10-24 23:00Z", "2026-10-25 00:00Z", "2026-10-25 01:00Z",
				"2026-10-25 02:00Z", "2026-10-25 03:00Z", "2026-10-25 04:00Z",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := &Query{
				Location:    location(t, tc.zone),
				From:        tc.date,
				To:          tc.date,
				BranchHours: weekly(tc.hours, 7), // all these dates are Sundays
				Attendance:  weekly(tc.hours, 7),
				Exams:       []Exam{{Duration: time.Hour}},
			}
			got := Slots(q)
			equal(t, "slot starts", tc.want, nilIfEmpty(utc(got)))
			for _, s := range got {
				equal(t, "slot length", time.Hour, s.End.Sub(s.Start))
			}
		})
	}
}

// TestSlotsWholeDSTDay counts the hourly slots of an all-day schedule on change days.
func TestSlotsWholeDSTDay(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		zone string
		date Date
		want int
	}{
		{"spring-forward day offers 23 hourly slots", "America/New_York", Date{2026, 3, 8}, 23},
		{"fall-back day offers 25 hourly slots", "America/New_York", Date{2026, 11, 1}, 25},
		{"ordinary day offers 24 hourly slots", "America/New_York", Date{2026, 3, 15}, 24},
		{"europe fall-back day offers 25 hourly slots", "Europe/Lisbon", Date{2026, 10, 25}, 25},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			allDay := weekly(spans("00:00-24:00"), 7)
			q := &Query{
				Location:    location(t, tc.zone),
				From:        tc.date,
				To:          tc.date,
				BranchHours: allDay,
				Attendance:  allDay,
				Exams:       []Exam{{Duration: time.Hour}},
			}
			equal(t, "slot count", tc.want, len(Slots(q)))
		})
	}
}
