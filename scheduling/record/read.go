package record

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Get answers a session's record and keeps, in the same transaction, that the caller viewed it. A
// session nobody has written a record for yet answers an empty record.
func (s *Store) Get(ctx context.Context, c Caller, id scheduling.ID) (*Record, error) {
	var rec *Record
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		sess, err := s.loadSession(ctx, tx, c, id, false)
		if err != nil {
			return err
		}
		if rec, _, err = readRecord(ctx, tx, sess, false); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO record_views (session_id, patient_id, actor, at) VALUES ($1, $2, $3, $4)`,
			sess.id, sess.patientID, c.Actor, s.now())
		if err != nil {
			return fmt.Errorf("record: keep view of session %d: %w", id, err)
		}
		return nil
	})
	return rec, err
}

// MaxViews is the most views Views answers: the latest ones.
const MaxViews = 500

// Views answers who viewed a session's record and when, newest first (managers and the owner).
func (s *Store) Views(ctx context.Context, c Caller, id scheduling.ID) ([]View, error) {
	if c.Access != ReadAll && c.Access != WriteAll {
		return nil, scheduling.Forbidden("who viewed a record is for managers and the owner")
	}
	sess, err := s.loadSession(ctx, s.db, c, id, false)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT session_id, patient_id, actor, at FROM record_views
		WHERE session_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, id, MaxViews)
	if err != nil {
		return nil, fmt.Errorf("record: views of session %d: %w", id, err)
	}
	views, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (View, error) {
		var v View
		err := row.Scan(&v.SessionID, &v.PatientID, &v.By, &v.At)
		v.At = v.At.In(sess.loc)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("record: views of session %d: %w", id, err)
	}
	return views, nil
}

// emptyContent is a record nobody has written yet.
func emptyContent() Content {
	return Content{Diagnoses: []Diagnosis{}, Fields: map[string]any{}}
}

// readRecord reads the session's record with its amendments; found is false when none is written
// yet (the answer is then empty). forUpdate locks the record's row for a write.
func readRecord(ctx context.Context, db scheduling.DB, sess *session, forUpdate bool) (rec *Record, found bool, err error) {
	rec = &Record{SessionID: sess.id, PatientID: sess.patientID, DoctorID: sess.doctorID, Content: emptyContent(),
		Locked: sess.status == scheduling.StatusCompleted, Amendments: []Amendment{}}
	q := `SELECT r.template_id, t.name, r.systolic::text, r.diastolic::text, r.pulse::text, r.temperature_c::text,
			r.spo2::text, r.weight_kg::text, r.height_cm::text, r.complaint, r.findings, r.diagnoses, r.notes, r.fields,
			r.written_by, r.written_at
		FROM session_records r LEFT JOIN record_templates t ON t.id = r.template_id WHERE r.session_id = $1`
	if forUpdate {
		q += ` FOR UPDATE OF r`
	}
	var vitals [7]*string
	var diagnoses, fields []byte
	c := &rec.Content
	err = db.QueryRow(ctx, q, sess.id).Scan(&c.Template, &rec.TemplateName, &vitals[0], &vitals[1], &vitals[2], &vitals[3],
		&vitals[4], &vitals[5], &vitals[6], &c.Complaint, &c.Findings, &diagnoses, &c.Notes, &fields, &rec.WrittenBy, &rec.WrittenAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("record: read session %d: %w", sess.id, err)
	}
	for i, dst := range []*Decimal{&c.Vitals.Systolic, &c.Vitals.Diastolic, &c.Vitals.Pulse, &c.Vitals.TemperatureC,
		&c.Vitals.SpO2, &c.Vitals.WeightKg, &c.Vitals.HeightCm} {
		if vitals[i] != nil {
			*dst, _ = ParseDecimal(*vitals[i])
		}
	}
	if err := json.Unmarshal(diagnoses, &c.Diagnoses); err != nil {
		return nil, false, fmt.Errorf("record: diagnoses of session %d: %w", sess.id, err)
	}
	if c.Fields, err = decodeFields(fields); err != nil {
		return nil, false, fmt.Errorf("record: session %d: %w", sess.id, err)
	}
	at := rec.WrittenAt.In(sess.loc)
	rec.WrittenAt = &at
	rec.BMI = BMI(c.Vitals.WeightKg, c.Vitals.HeightCm)
	if rec.Amendments, err = readAmendments(ctx, db, sess); err != nil {
		return nil, false, err
	}
	return rec, true, nil
}

func readAmendments(ctx context.Context, db scheduling.DB, sess *session) ([]Amendment, error) {
	rows, err := db.Query(ctx, `SELECT at, actor, reason, changes, previous FROM record_amendments
		WHERE session_id = $1 ORDER BY id`, sess.id)
	if err != nil {
		return nil, fmt.Errorf("record: amendments of session %d: %w", sess.id, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Amendment, error) {
		var a Amendment
		var changes, previous []byte
		if err := row.Scan(&a.At, &a.By, &a.Reason, &changes, &previous); err != nil {
			return a, err
		}
		a.At = a.At.In(sess.loc)
		if err := json.Unmarshal(changes, &a.Changes); err != nil {
			return a, err
		}
		var err error
		a.Previous, err = decodeContent(previous)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("record: amendments of session %d: %w", sess.id, err)
	}
	return list, nil
}

// decodeContent reads a kept version of a record.
func decodeContent(raw []byte) (Content, error) {
	var kept struct {
		Content
		Fields json.RawMessage `json:"fields"`
	}
	if err := json.Unmarshal(raw, &kept); err != nil {
		return Content{}, err
	}
	c := kept.Content
	var err error
	c.Fields, err = decodeFields(kept.Fields)
	return c, err
}
