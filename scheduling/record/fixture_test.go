package record_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/record"
	"clinic/scheduling/schedtest"
)

// fixture is a record store on its own database, beside the standard clinic, sharing its clock.
type fixture struct {
	*schedtest.Bundle
	clinic *schedtest.Clinic
	store  *record.Store
	slot   int
}

func newFixture(t *testing.T, cfg scheduling.Config) *fixture {
	t.Helper()
	b := schedtest.NewWith(t, cfg)
	return &fixture{Bundle: b, clinic: schedtest.NewClinic(t, b.Svc), store: record.NewStore(b.Pool, b.Svc.Now)}
}

// The callers, one per kind of access.
var (
	owner   = record.Caller{Actor: "token:1 owner", Access: record.WriteAll}
	manager = record.Caller{Actor: "token:2 manager", Access: record.ReadAll}
	desk    = record.Caller{Actor: "token:4 desk", Access: record.NoAccess}
)

// doctor acts for the clinic's doctor, whose sessions the fixture books.
func (f *fixture) doctor() record.Caller {
	return record.Caller{Actor: "token:3 doctor", Access: record.OwnSessions, DoctorID: f.clinic.Doctor.ID}
}

// session books a consultation later on the fixture's day (Monday 4 January 2027) and moves it to
// status: waiting, open, completed, cancelled or no_show.
func (f *fixture) session(t *testing.T, status string) scheduling.ID {
	t.Helper()
	ctx := context.Background()
	start := f.clinic.At(4, 8, 0).Add(time.Duration(f.slot) * 30 * time.Minute)
	f.slot++
	sess := schedtest.Must(f.Svc.Book(ctx, "desk", f.clinic.Booking(start)))(t)
	switch status {
	case scheduling.StatusOpen:
		schedtest.Must(f.Svc.Open(ctx, "doctor", sess.ID))(t)
	case scheduling.StatusCompleted:
		schedtest.Must(f.Svc.Open(ctx, "doctor", sess.ID))(t)
		schedtest.Must(f.Svc.Complete(ctx, "doctor", sess.ID))(t)
	case scheduling.StatusCancelled:
		schedtest.Must(f.Svc.Cancel(ctx, "desk", sess.ID, "feels better"))(t)
	case scheduling.StatusNoShow:
		saved := *f.Clock
		*f.Clock = start.Add(time.Hour)
		schedtest.Must(f.Svc.NoShow(ctx, "desk", sess.ID))(t)
		*f.Clock = saved
	}
	return sess.ID
}

// complete completes an open session.
func (f *fixture) complete(t *testing.T, id scheduling.ID) {
	t.Helper()
	schedtest.Must(f.Svc.Complete(context.Background(), "doctor", id))(t)
}

// input reads a record as a PUT body would send it.
func input(t *testing.T, body string) record.Input {
	t.Helper()
	var in record.Input
	require.NoError(t, json.Unmarshal([]byte(body), &in))
	return in
}

// requireError checks a domain error's kind and code, and the field its details name ("" for none).
func requireError(t *testing.T, err error, kind scheduling.Kind, code, field string) *scheduling.Error {
	t.Helper()
	var de *scheduling.Error
	require.Truef(t, errors.As(err, &de), "want a domain error %s, got %v", code, err)
	require.Equal(t, code, de.Code, de.Message)
	require.Equal(t, kind, de.Kind, de.Message)
	if field != "" {
		require.Equal(t, field, de.Details["field"], de.Message)
		require.Contains(t, de.Message, field, "the message names the field")
	}
	return de
}

// asJSON writes v as JSON text, for comparing answers as a client reads them.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
