package availability

import (
	"cmp"
	"slices"
)

// seg is an interval of Unix nanoseconds. Lists of time (free time, busy time, windows)
// read it as half-open [a, b); lists of valid session starts read it as closed [a, b].
// Every list the engine passes around is sorted by a and has disjoint members.
type seg struct {
	a, b int64
}

// normalize sorts s in place and merges members that overlap or touch, returning the
// shortened slice. Touching members merge for both readings: [1,2)∪[2,3) = [1,3) and
// [1,2]∪[2,3] = [1,3].
func normalize(s []seg) []seg {
	if len(s) < 2 {
		return s
	}
	if !slices.IsSortedFunc(s, cmpSeg) {
		slices.SortFunc(s, cmpSeg)
	}
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.a <= last.b {
			last.b = max(last.b, x.b)
			continue
		}
		out = append(out, x)
	}
	return out
}

func cmpSeg(x, y seg) int { return cmp.Compare(x.a, y.a) }

// intersect appends x ∩ y to dst. With closed set, a single shared point is kept
// ([1,2] ∩ [2,3] = [2,2]); otherwise only intersections of positive length are kept.
func intersect(dst, x, y []seg, closed bool) []seg {
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		lo, hi := max(x[i].a, y[j].a), min(x[i].b, y[j].b)
		if lo < hi || (closed && lo == hi) {
			dst = append(dst, seg{lo, hi})
		}
		if x[i].b < y[j].b {
			i++
		} else {
			j++
		}
	}
	return dst
}

// union appends the closed union x ∪ y to dst, merging members that overlap or touch.
func union(dst, x, y []seg) []seg {
	start := len(dst)
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		var next seg
		if j == len(y) || (i < len(x) && x[i].a <= y[j].a) {
			next, i = x[i], i+1
		} else {
			next, j = y[j], j+1
		}
		if n := len(dst); n > start && next.a <= dst[n-1].b {
			dst[n-1].b = max(dst[n-1].b, next.b)
			continue
		}
		dst = append(dst, next)
	}
	return dst
}

// subtract appends the half-open difference x − y to dst.
func subtract(dst, x, y []seg) []seg {
	j := 0
	for _, cur := range x {
		// Busy members that end before cur starts can never matter again.
		for j < len(y) && y[j].b <= cur.a {
			j++
		}
		a := cur.a
		for k := j; k < len(y) && y[k].a < cur.b; k++ {
			if y[k].a > a {
				dst = append(dst, seg{a, y[k].a})
			}
			a = max(a, y[k].b)
		}
		if a < cur.b {
			dst = append(dst, seg{a, cur.b})
		}
	}
	return dst
}

// startsWithin appends the closed set of starts s for which [s+off, s+off+d) lies inside
// one member of the half-open list free.
func startsWithin(dst, free []seg, off, d int64) []seg {
	for _, f := range free {
		if f.b-f.a >= d {
			dst = append(dst, seg{f.a - off, f.b - off - d})
		}
	}
	return dst
}

// clip keeps the part of the closed list s inside [lower, upper], reusing its storage.
func clip(s []seg, lower, upper int64) []seg {
	out := s[:0]
	for _, x := range s {
		if x.a, x.b = max(x.a, lower), min(x.b, upper); x.a <= x.b {
			out = append(out, x)
		}
	}
	return out
}

// gapStarts appends the closed set of starts s in [lo, hi-d] for which [s, s+d) misses every
// member of the half-open, normalized list busy.
func gapStarts(dst, busy []seg, lo, hi, d int64) []seg {
	a := lo
	for _, x := range busy {
		if x.a-a >= d {
			dst = append(dst, seg{a, x.a - d})
		}
		a = max(a, x.b)
	}
	if hi-a >= d {
		dst = append(dst, seg{a, hi - d})
	}
	return dst
}

// contains reports whether the closed list s contains t, starting the search at *from and
// leaving *from at the first member that could contain a later t. Calls with increasing t
// therefore cost linear time overall.
func contains(s []seg, from *int, t int64) bool {
	i := *from
	for i < len(s) && s[i].b < t {
		i++
	}
	*from = i
	return i < len(s) && s[i].a <= t
}
