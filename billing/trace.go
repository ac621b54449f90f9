package billing

import "strconv"

// tracer writes the steps of a line's trace into one reused buffer, one string per step, so that
// explaining an invoice costs little more than pricing it.
type tracer struct {
	buf      []byte
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

// to ends the step and adds it to the line's trace.
func (t *tracer) to(l *Line) {
	l.Trace = append(l.Trace, string(t.buf))
	t.buf = t.buf[:0]
}
