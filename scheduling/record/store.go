package record

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Store reads and writes clinical records and record templates. It is safe for concurrent use.
type Store struct {
	db  scheduling.DB
	now func() time.Time
}

// NewStore returns a store on db (a pool, or a transaction to join). now is the clock that stamps
// writes, amendments and views; nil means the system clock.
func NewStore(db scheduling.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Access is what a caller may do with clinical records; it follows from the caller's role (DESIGN 7:
// health data is private).
type Access int

const (
	// NoAccess reads and writes nothing (the front desk).
	NoAccess Access = iota
	// ReadAll reads every record and who viewed it (a manager).
	ReadAll
	// WriteAll reads and writes every record and sees who viewed it (the owner).
	WriteAll
	// OwnSessions reads and writes the records of one doctor's sessions only (a doctor).
	OwnSessions
)

// Caller is who reads or writes a record.
type Caller struct {
	Actor  scheduling.Actor
	Access Access
	// DoctorID is the doctor an OwnSessions caller acts for.
	DoctorID scheduling.ID
}

// session is what a record needs to know of its session.
type session struct {
	id, patientID, doctorID scheduling.ID
	status                  string
	loc                     *time.Location
}

// loadSession reads the session a record belongs to and checks that the caller may see it. lock
// takes a share lock, so the session cannot be completed while its record is written.
func (s *Store) loadSession(ctx context.Context, db scheduling.DB, c Caller, id scheduling.ID, lock bool) (*session, error) {
	if c.Access == NoAccess {
		return nil, scheduling.Forbidden("clinical records are for doctors, managers and the owner")
	}
	q := `SELECT s.patient_id, s.doctor_id, s.status, b.timezone FROM sessions s JOIN branches b ON b.id = s.branch_id WHERE s.id = $1`
	if lock {
		q += ` FOR SHARE OF s`
	}
	sess := &session{id: id}
	var tz string
	if err := db.QueryRow(ctx, q, id).Scan(&sess.patientID, &sess.doctorID, &sess.status, &tz); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, scheduling.NotFound("session", id)
		}
		return nil, fmt.Errorf("record: session %d: %w", id, err)
	}
	if c.Access == OwnSessions && sess.doctorID != c.DoctorID {
		return nil, scheduling.Forbidden("session %d is another doctor's; a doctor sees and writes only the records of their own sessions", id)
	}
	loc, err := scheduling.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("record: session %d: %w", id, err)
	}
	sess.loc = loc
	return sess, nil
}

// KeepRecords is a scheduling listener that refuses to delete a session that has a clinical record:
// like financial history, clinical history is never lost (DESIGN 3.2, 7).
var KeepRecords = scheduling.Listener{Actions: []string{scheduling.ActionDeleted}, Hear: keepRecord}

func keepRecord(ctx context.Context, tx pgx.Tx, ch scheduling.Change) error {
	var kept bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM session_records WHERE session_id = $1)`, ch.Session.ID).Scan(&kept); err != nil {
		return fmt.Errorf("record: check before delete: %w", err)
	}
	if kept {
		return scheduling.Conflict(CodeRecordKept, "session %d has a clinical record; clinical history is never deleted", ch.Session.ID)
	}
	return nil
}
