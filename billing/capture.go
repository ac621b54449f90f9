package billing

import (
	"context"
	"sync"

	"clinic/scheduling"
)

// Captured keeps the draft invoices that session changes made with its context built, so that the
// caller can answer a booking with its invoice without reading back what its own transaction wrote.
type Captured struct {
	mu       sync.Mutex
	invoices map[scheduling.ID]*SavedInvoice
}

type captureKey struct{}

// WithCapture returns a context under which the session listener keeps each draft it builds at
// booking in the returned Captured.
func WithCapture(ctx context.Context) (context.Context, *Captured) {
	c := &Captured{}
	return context.WithValue(ctx, captureKey{}, c), c
}

// CapturedFrom returns the Captured of a context made by WithCapture, or nil.
func CapturedFrom(ctx context.Context) *Captured {
	c, _ := ctx.Value(captureKey{}).(*Captured)
	return c
}

// Invoice returns the draft built for a session, or nil. It is the invoice as committed only once
// the change that built it has returned without error.
func (c *Captured) Invoice(sessionID scheduling.ID) *SavedInvoice {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.invoices[sessionID]
}

// keep records a new draft as readInvoice would read it back: no payments, nothing paid.
func (c *Captured) keep(v sessionVisit, p *priced) {
	inv := p.inv
	inv.Status = StatusDraft
	saved := &SavedInvoice{ID: p.id, SessionID: v.SessionID, BranchID: v.BranchID, PatientID: v.PatientID, Invoice: inv,
		Due: inv.AmountDue, Payments: []Payment{}}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.invoices == nil {
		c.invoices = map[scheduling.ID]*SavedInvoice{}
	}
	c.invoices[v.SessionID] = saved
}
