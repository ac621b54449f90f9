// Package inboxtest gives tests an inbox store on its own database, with a clinic to book into and a
// Sender that records what it was given instead of delivering it.
package inboxtest

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"clinic/inbox"
	"clinic/scheduling/schedtest"
)

// BaseURL is the public address the test stores' confirm links start with.
const BaseURL = "https://clinic.example"

// Recorder is a Sender that keeps every message it is given, in order. It is safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	sent []inbox.Outbound
	// Fail, when set, is returned by Send instead of recording.
	Fail error
}

// Send records msg.
func (r *Recorder) Send(_ context.Context, _ pgx.Tx, msg inbox.Outbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Fail != nil {
		return r.Fail
	}
	r.sent = append(r.sent, msg)
	return nil
}

// Sent returns a copy of what was sent so far. A message sent in a transaction that rolled back is
// still here: the recorder cannot see the transaction's fate.
func (r *Recorder) Sent() []inbox.Outbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]inbox.Outbound(nil), r.sent...)
}

// Bundle is an inbox store on a fresh database with the scheduling fixtures' clinic.
type Bundle struct {
	*schedtest.Bundle
	Clinic *schedtest.Clinic
	Store  *inbox.Store
	Sender *Recorder
}

// New returns a bundle with the clock at schedtest.Now.
func New(t testing.TB) *Bundle {
	t.Helper()
	sb := schedtest.New(t)
	b := &Bundle{Bundle: sb, Clinic: schedtest.NewClinic(t, sb.Svc), Sender: &Recorder{}}
	b.Store = inbox.NewStore(sb.Pool, slog.New(slog.DiscardHandler), sb.Svc.Now, sb.Svc, b.Sender,
		inbox.Config{BaseURL: BaseURL})
	return b
}
