// Package eta estimates when each patient waiting for a doctor will be seen, as a range of times
// (DESIGN 3.3): from the remaining time of the session the doctor is in, the booked durations of the
// sessions ahead, and the doctor's observed pace. It is pure: the caller reads the queue and the
// history; nothing here touches a database or a clock.
package eta

import (
	"math"
	"time"
)

// Rules of the pace, chosen so that a fresh doctor gets a wide, honest range and a doctor with a
// steady record a narrow one.
const (
	// MinSamples is the history needed before the pace is learned; with fewer completed sessions the
	// booked durations are trusted (ratio 1) with the wide Prior range.
	MinSamples = 5
	// MaxSamples is how many of the most recent completed sessions the pace is learned from, so that
	// it follows the doctor's current rhythm rather than last year's.
	MaxSamples = 20
	// MinRatio and MaxRatio bound one session's actual/booked ratio before it counts: a visit
	// completed hours late because nobody pressed "complete" must not make every ETA absurd.
	MinRatio = 0.25
	MaxRatio = 4.0
	// PriorLow and PriorHigh are the range of the pace before it is learned: a visit may run a fifth
	// shorter or half again as long as booked.
	PriorLow  = 0.8
	PriorHigh = 1.5
	// MinHalfWidth and MaxHalfWidth bound the half-width of a learned range: never falsely exact,
	// never wider than the prior's.
	MinHalfWidth = 0.05
	MaxHalfWidth = (PriorHigh - PriorLow) / 2
)

// Sample is one completed session of the doctor: what was booked and how long it actually took
// (opened to completed).
type Sample struct {
	Booked time.Duration
	Actual time.Duration
}

// Pace is how a doctor's visits run against their booked durations: Ratio is the best guess of
// actual/booked, and [Low, High] the range the ETA's bounds use.
type Pace struct {
	Ratio float64 `json:"ratio"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	// Samples is how many completed sessions it was learned from; Learned is false below MinSamples.
	Samples int  `json:"samples"`
	Learned bool `json:"learned"`
}

// Prior is the pace of a doctor without enough history: as booked, with a wide range.
var Prior = Pace{Ratio: 1, Low: PriorLow, High: PriorHigh}

// Learn returns the pace from a doctor's completed sessions, oldest first (only the last MaxSamples
// count; samples without a positive booked and actual duration are skipped).
//
// The rule: each ratio r_i = actual/booked is clipped to [MinRatio, MaxRatio]. The pace is the
// duration-weighted mean Σ(r_i·booked_i)/Σbooked_i (total actual over total booked, outliers
// clipped). The range is the pace ± h with h = 2·s/√n, where s is the standard deviation of the
// ratios and n their count, bounded to [MinHalfWidth, MaxHalfWidth]: a steady doctor (small s) or a
// long record (large n) narrows it; the low end never drops below MinRatio.
func Learn(history []Sample) Pace {
	var valid []Sample
	for _, h := range history {
		if h.Booked > 0 && h.Actual > 0 {
			valid = append(valid, h)
		}
	}
	if len(valid) > MaxSamples {
		valid = valid[len(valid)-MaxSamples:]
	}
	n := len(valid)
	if n < MinSamples {
		p := Prior
		p.Samples = n
		return p
	}
	ratios := make([]float64, n)
	var weighted, booked, sum float64
	for i, h := range valid {
		r := min(max(float64(h.Actual)/float64(h.Booked), MinRatio), MaxRatio)
		ratios[i] = r
		weighted += r * float64(h.Booked)
		booked += float64(h.Booked)
		sum += r
	}
	ratio := weighted / booked
	mean := sum / float64(n)
	var sq float64
	for _, r := range ratios {
		sq += (r - mean) * (r - mean)
	}
	s := math.Sqrt(sq / float64(n-1))
	h := min(max(2*s/math.Sqrt(float64(n)), MinHalfWidth), MaxHalfWidth)
	return Pace{Ratio: ratio, Low: max(ratio-h, MinRatio), High: ratio + h, Samples: n, Learned: true}
}

// scale is d stretched by a pace ratio, to the second.
func scale(d time.Duration, ratio float64) time.Duration {
	return time.Duration(math.Round(float64(d)*ratio/float64(time.Second))) * time.Second
}
