package scheduling

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// sessionSelect reads sessions with the names of their patient and doctor, so that lists need no
// second lookup per row.
const sessionSelect = `
	SELECT s.id, s.patient_id, s.branch_id, s.doctor_id, s.room_id, s.status, s.channel, s.starts_at, s.ends_at,
		s.checked_in_at, s.opened_at, s.completed_at, s.cancelled_at, s.cancel_reason, s.created_at, b.timezone,
		pt.name, d.name
	FROM sessions s JOIN branches b ON b.id = s.branch_id
		JOIN patients pt ON pt.id = s.patient_id JOIN doctors d ON d.id = s.doctor_id`

// scanSession reads a row of sessionSelect; tz receives the branch's time zone.
func scanSession(row pgx.Row, sess *Session, tz *string) error {
	return row.Scan(&sess.ID, &sess.PatientID, &sess.BranchID, &sess.DoctorID, &sess.RoomID, &sess.Status, &sess.Channel,
		&sess.Start, &sess.End, &sess.CheckedInAt, &sess.OpenedAt, &sess.CompletedAt, &sess.CancelledAt,
		&sess.CancelReason, &sess.CreatedAt, tz, &sess.PatientName, &sess.DoctorName)
}

// queueExaminations reads the examinations of sessions, in running order, into them.
func queueExaminations(batch *pgx.Batch, sessions []Session) {
	ids := make([]ID, len(sessions))
	index := make(map[ID]int, len(sessions))
	for i, sess := range sessions {
		ids[i], index[sess.ID] = sess.ID, i
	}
	batch.Queue(`SELECT x.session_id, x.examination_id, e.code, e.name, x.starts_at, x.ends_at
		FROM session_examinations x JOIN examinations e ON e.id = x.examination_id
		WHERE x.session_id = ANY($1) ORDER BY x.session_id, x.position`, ids).Query(func(rows pgx.Rows) error {
		var id ID
		var x SessionExamination
		_, err := pgx.ForEachRow(rows, []any{&id, &x.ExaminationID, &x.Code, &x.Name, &x.Start, &x.End}, func() error {
			sess := &sessions[index[id]]
			sess.Examinations = append(sess.Examinations, x)
			return nil
		})
		return err
	})
}

// GetSession returns a session with its examinations and audit trail, times in the branch's zone.
func (s *Service) GetSession(ctx context.Context, id ID) (*Session, error) {
	return readSession(ctx, s.db, id, false)
}

// readSession reads a session with its examinations, times in the branch's zone, in one round trip.
// For a change (forUpdate) it locks the row until db's transaction ends and leaves the audit trail
// out; otherwise the trail comes with it.
func readSession(ctx context.Context, db DB, id ID, forUpdate bool) (*Session, error) {
	sessions := make([]Session, 1)
	sess := &sessions[0]
	sess.ID = id // queueExaminations keys on it before the row is read
	var tz string
	lock := ""
	if forUpdate {
		lock = ` FOR UPDATE OF s`
	}
	batch := &pgx.Batch{}
	batch.Queue(sessionSelect+` WHERE s.id = $1`+lock, id).QueryRow(func(row pgx.Row) error { return scanSession(row, sess, &tz) })
	queueExaminations(batch, sessions)
	if !forUpdate {
		batch.Queue(`SELECT at, actor, action, from_status, to_status, detail FROM session_events
			WHERE session_id = $1 ORDER BY id`, id).Query(func(rows pgx.Rows) error {
			var err error
			sess.History, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Event, error) {
				var e Event
				return e, row.Scan(&e.At, &e.Actor, &e.Action, &e.From, &e.To, &e.Detail)
			})
			return err
		})
	}
	if err := db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, noRows(err, "session", id)
	}
	loc, err := LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("session %d: %w", id, err)
	}
	sess.inZone(loc)
	return sess, nil
}

func (sess *Session) inZone(loc *time.Location) {
	for _, t := range []*time.Time{&sess.Start, &sess.End, &sess.CreatedAt} {
		*t = t.In(loc)
	}
	for _, t := range []**time.Time{&sess.CheckedInAt, &sess.OpenedAt, &sess.CompletedAt, &sess.CancelledAt} {
		if *t != nil {
			v := (*t).In(loc)
			*t = &v
		}
	}
	for i := range sess.Examinations {
		x := &sess.Examinations[i]
		x.Start, x.End = x.Start.In(loc), x.End.In(loc)
	}
	for i := range sess.History {
		sess.History[i].At = sess.History[i].At.In(loc)
	}
}
