package eta

import "time"

// MinRemaining is the least time left of the session the doctor is in: one running over its booked
// time is about to end, not already over, so the next patient is never told "a minute ago".
const MinRemaining = 2 * time.Minute

// Open is the session the doctor is in now.
type Open struct {
	Booked   time.Duration
	OpenedAt time.Time
}

// Waiting is a session waiting for the doctor.
type Waiting struct {
	Booked time.Duration
	// NotBefore is the earliest the session can begin; zero when it can begin as soon as the doctor
	// is free. The queue gives the scheduled start of a patient who has not arrived yet: nobody is
	// fetched before they are expected to be there.
	NotBefore time.Time
}

// Input is one doctor's line at a moment.
type Input struct {
	Now time.Time
	// Open is the session the doctor is in; nil when the doctor is free.
	Open *Open
	// Waiting are the sessions waiting for the doctor, in the order the doctor will see them.
	Waiting []Waiting
	// History is the doctor's completed sessions, oldest first, from which the pace is learned.
	History []Sample
}

// Range is when a session is expected to begin: not before From, probably by To. From ≤ To, and
// neither is before the input's Now.
type Range struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Estimate returns, for each waiting session in order, when the doctor is expected to begin it. The
// doctor first finishes the open session (its booked duration at the pace, counted from when it was
// opened, and at least MinRemaining from now), then takes the waiting sessions one after another,
// each lasting its booked duration at the pace and beginning no earlier than its NotBefore. From
// follows the pace's low end, To its high end; the first waiting session with the doctor free and
// nothing to wait for is "next": From is Now.
func Estimate(in Input) []Range {
	return EstimateAt(in, Learn(in.History))
}

// EstimateAt is Estimate with a pace already learned (Input.History is then not read).
func EstimateAt(in Input, pace Pace) []Range {
	out := make([]Range, len(in.Waiting))
	from, to := in.Now, in.Now
	if in.Open != nil {
		from = in.Now.Add(remaining(in, pace.Low))
		to = in.Now.Add(remaining(in, pace.High))
	}
	for i, w := range in.Waiting {
		from, to = later(from, w.NotBefore), later(to, w.NotBefore)
		out[i] = Range{From: from, To: to}
		from = from.Add(scale(w.Booked, pace.Low))
		to = to.Add(scale(w.Booked, pace.High))
	}
	return out
}

// remaining is what is left of the open session at a pace ratio, at least MinRemaining.
func remaining(in Input, ratio float64) time.Duration {
	left := in.Open.OpenedAt.Add(scale(in.Open.Booked, ratio)).Sub(in.Now)
	return max(left, MinRemaining)
}

func later(t, notBefore time.Time) time.Time {
	if notBefore.After(t) {
		return notBefore.In(t.Location())
	}
	return t
}
