package billing

import "strconv"

// tracer writes the steps of a line's trace into one reused buffer and makes them strings all at
// once, sharing one allocation, so that explaining an invoice costs little more than pricing it.
type tracer struct {
	buf      []byte
	ends     []int // where each step of the line so far ends in buf
	currency string
	digits   int
}

// s appends text.
func (t *tracer) s(text string) *tracer { t.buf = append(t.buf, text...); return t }

// m appends an amount with its currency: "EUR 12.50".
func (t *tracer) m(v int64) *tracer {
	t.buf = append(append(t.buf, t.currency...), ' ')
	t.buf = appendMinor(t.buf, v, t.digits)
	return t
}

// n appends a whole number.
func (t *tracer) n(v int64) *tracer { t.buf = strconv.AppendInt(t.buf, v, 10); return t }

// bp appends a rate as a percentage.
func (t *tracer) bp(v int64) *tracer { t.buf = appendBP(t.buf, v); return t }

// q appends a name in quotes.
func (t *tracer) q(text string) *tracer { t.buf = strconv.AppendQuote(t.buf, text); return t }

// end ends a step.
func (t *tracer) end() { t.ends = append(t.ends, len(t.buf)) }

// flush adds the steps written since the last flush to the line's trace.
func (t *tracer) flush(l *Line) {
	all, start := string(t.buf), 0
	for _, e := range t.ends {
		l.Trace = append(l.Trace, all[start:e])
		start = e
	}
	t.buf, t.ends = t.buf[:0], t.ends[:0]
}
