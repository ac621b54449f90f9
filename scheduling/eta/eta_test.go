package eta

import (
	"math"
	"testing"
	"time"
)

func samples(booked time.Duration, actuals ...time.Duration) []Sample {
	out := make([]Sample, len(actuals))
	for i, a := range actuals {
		out[i] = Sample{Booked: booked, Actual: a}
	}
	return out
}

func repeat(s []Sample, n int) []Sample {
	var out []Sample
	for range n {
		out = append(out, s...)
	}
	return out
}

const m = time.Minute

func TestLearn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		history []Sample
		want    Pace
	}{
		{name: "no history is the prior", want: Prior},
		{
			name:    "four sessions are not enough to learn from",
			history: samples(30*m, 45*m, 45*m, 45*m, 45*m),
			want:    Pace{Ratio: 1, Low: PriorLow, High: PriorHigh, Samples: 4},
		},
		{
			// Every visit 36 of 30 minutes: ratio 1.2, no spread, so the narrowest range.
			name:    "a steady doctor gets the narrowest range",
			history: samples(30*m, 36*m, 36*m, 36*m, 36*m, 36*m),
			want:    Pace{Ratio: 1.2, Low: 1.15, High: 1.25, Samples: 5, Learned: true},
		},
		{
			// Ratios 1.0 1.1 1.2 1.3 1.4: mean 1.2, s = √(0.1/4) = 0.158114, h = 2s/√5 = 0.141421.
			name:    "five spread sessions",
			history: samples(30*m, 30*m, 33*m, 36*m, 39*m, 42*m),
			want:    Pace{Ratio: 1.2, Low: 1.2 - 0.141421, High: 1.2 + 0.141421, Samples: 5, Learned: true},
		},
		{
			// The same ratios four times: s = √(0.4/19) = 0.145095, h = 2s/√20 = 0.064889.
			name:    "the same spread over twenty sessions narrows the range",
			history: repeat(samples(30*m, 30*m, 33*m, 36*m, 39*m, 42*m), 4),
			want:    Pace{Ratio: 1.2, Low: 1.2 - 0.064889, High: 1.2 + 0.064889, Samples: 20, Learned: true},
		},
		{
			// (2·10 + 1·160) / 170 = 1.058824; ratios 2,1,1,1,1: s = √(0.8/4) = 0.447214,
			// h = 2s/√5 = 0.4, capped at 0.35.
			name:    "the pace is weighted by booked duration and the range capped at the prior's width",
			history: append(samples(10*m, 20*m), samples(40*m, 40*m, 40*m, 40*m, 40*m)...),
			want:    Pace{Ratio: 180.0 / 170, Low: 180.0/170 - 0.35, High: 180.0/170 + 0.35, Samples: 5, Learned: true},
		},
		{
			// 300/30 = 10 counts as 4: (4·1 + 4) / 5 = 1.6.
			name:    "a visit left open for hours is clipped",
			history: append(samples(30*m, 30*m, 30*m, 30*m, 30*m), Sample{Booked: 30 * m, Actual: 300 * m}),
			want:    Pace{Ratio: 1.6, Low: 1.25, High: 1.95, Samples: 5, Learned: true},
		},
		{
			name: "samples without a positive duration are skipped",
			history: append(samples(30*m, 36*m, 36*m, 36*m, 36*m, 36*m),
				Sample{Booked: 30 * m}, Sample{Actual: 10 * m}, Sample{Booked: 30 * m, Actual: -m}),
			want: Pace{Ratio: 1.2, Low: 1.15, High: 1.25, Samples: 5, Learned: true},
		},
		{
			name:    "only the most recent sessions count",
			history: append(samples(30*m, 90*m, 90*m, 90*m, 90*m, 90*m), repeat(samples(30*m, 30*m), 20)...),
			want:    Pace{Ratio: 1, Low: 0.95, High: 1.05, Samples: 20, Learned: true},
		},
		{
			name:    "the low end never drops below the least ratio",
			history: samples(30*m, 3*m, 3*m, 3*m, 3*m, 30*m),
			// ratios 0.25×4 and 1: (1+1)/5 = 0.4; s = √(0.45/4) = 0.335410, h = 0.3 → [0.25, 0.7]
			want: Pace{Ratio: 0.4, Low: 0.25, High: 0.7, Samples: 5, Learned: true},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Learn(tc.history)
			if got.Samples != tc.want.Samples || got.Learned != tc.want.Learned ||
				!near(got.Ratio, tc.want.Ratio) || !near(got.Low, tc.want.Low) || !near(got.High, tc.want.High) {
				t.Fatalf("Learn = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-5 }

func TestEstimate(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, min, sec int) time.Time { return time.Date(2027, 1, 4, h, min, sec, 0, loc) }
	now := at(9, 0, 0)
	steady := samples(30*m, 36*m, 36*m, 36*m, 36*m, 36*m) // pace 1.2, range [1.15, 1.25]
	cases := []struct {
		name string
		in   Input
		want []Range
	}{
		{name: "nobody waiting", in: Input{Now: now}, want: []Range{}},
		{
			name: "doctor free and nobody ahead is next",
			in:   Input{Now: now, Waiting: []Waiting{{Booked: 30 * m}}},
			want: []Range{{now, now}},
		},
		{
			// Prior pace [0.8, 1.5]: 30 min takes 24–45, 20 min takes 16–30.
			name: "sessions ahead add up at the prior's range",
			in:   Input{Now: now, Waiting: []Waiting{{Booked: 30 * m}, {Booked: 20 * m}, {Booked: 10 * m}}},
			want: []Range{{now, now}, {at(9, 24, 0), at(9, 45, 0)}, {at(9, 40, 0), at(10, 15, 0)}},
		},
		{
			// Opened 08:50, booked 30: ends 08:50+24 = 09:14 at the earliest, 08:50+45 = 09:35 at the latest.
			name: "the open session's remainder comes first",
			in: Input{Now: now, Open: &Open{Booked: 30 * m, OpenedAt: at(8, 50, 0)},
				Waiting: []Waiting{{Booked: 20 * m}, {Booked: 20 * m}}},
			want: []Range{{at(9, 14, 0), at(9, 35, 0)}, {at(9, 30, 0), at(10, 5, 0)}},
		},
		{
			name: "an overrunning open session has a small remainder, never a negative one",
			in: Input{Now: now, Open: &Open{Booked: 30 * m, OpenedAt: at(8, 0, 0)},
				Waiting: []Waiting{{Booked: 10 * m}}},
			want: []Range{{now.Add(MinRemaining), now.Add(MinRemaining)}},
		},
		{
			name: "a patient not yet due is not expected before their start",
			in:   Input{Now: now, Waiting: []Waiting{{Booked: 30 * m, NotBefore: at(10, 0, 0)}, {Booked: 30 * m}}},
			want: []Range{{at(10, 0, 0), at(10, 0, 0)}, {at(10, 24, 0), at(10, 45, 0)}},
		},
		{
			name: "a start already passed does not hold anyone back",
			in:   Input{Now: now, Waiting: []Waiting{{Booked: 30 * m, NotBefore: at(8, 30, 0)}}},
			want: []Range{{now, now}},
		},
		{
			// A start inside the range moves only the early end: 09:24 → 09:30, 09:45 stays.
			name: "a start inside the range lifts its early end",
			in: Input{Now: now, Waiting: []Waiting{{Booked: 30 * m},
				{Booked: 30 * m, NotBefore: at(9, 30, 0)}}},
			want: []Range{{now, now}, {at(9, 30, 0), at(9, 45, 0)}},
		},
		{
			// Pace [1.15, 1.25]: the open 20 min ends 08:55+23 = 09:18 to 08:55+25 = 09:20; the next
			// 30 min takes 34m30s to 37m30s.
			name: "a learned pace stretches every session",
			in: Input{Now: now, Open: &Open{Booked: 20 * m, OpenedAt: at(8, 55, 0)},
				Waiting: []Waiting{{Booked: 30 * m}, {Booked: 30 * m}}, History: steady},
			want: []Range{{at(9, 18, 0), at(9, 20, 0)}, {at(9, 52, 30), at(9, 57, 30)}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Estimate(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d ranges, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if !got[i].From.Equal(tc.want[i].From) || !got[i].To.Equal(tc.want[i].To) {
					t.Errorf("waiting %d: got %s–%s, want %s–%s", i, got[i].From.Format(time.TimeOnly), got[i].To.Format(time.TimeOnly),
						tc.want[i].From.Format(time.TimeOnly), tc.want[i].To.Format(time.TimeOnly))
				}
				if got[i].From.Before(tc.in.Now) || got[i].To.Before(got[i].From) {
					t.Errorf("waiting %d: %v–%v is in the past or reversed", i, got[i].From, got[i].To)
				}
			}
		})
	}
}
