package record

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Put writes a session's record, replacing what it said. Only the session's doctor or the owner
// writes; the session must be open or completed. A completed session's record is locked: a write is
// then an amendment, with a reason, that keeps the version it replaces and what it changed.
func (s *Store) Put(ctx context.Context, c Caller, id scheduling.ID, in Input) (*Record, error) {
	if c.Access != WriteAll && c.Access != OwnSessions {
		return nil, scheduling.Forbidden("only the session's doctor or the owner writes a clinical record")
	}
	var rec *Record
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		sess, err := s.loadSession(ctx, tx, c, id, true)
		if err != nil {
			return err
		}
		reason, err := writable(sess, in.Amendment)
		if err != nil {
			return err
		}
		content, err := in.clean()
		if err != nil {
			return err
		}
		var tmpl *Template
		if content.Template != nil {
			if tmpl, err = getTemplate(ctx, tx, *content.Template); err != nil {
				return err
			}
		}
		if content.Fields, err = cleanFields(tmpl, in.Fields); err != nil {
			return err
		}
		before, _, err := readRecord(ctx, tx, sess, true)
		if err != nil {
			return err
		}
		now := s.now()
		if err := upsert(ctx, tx, sess.id, content, c.Actor, now); err != nil {
			return err
		}
		if in.Amendment != nil {
			changes := diff(before.Content, content)
			if len(changes) == 0 {
				return scheduling.Rule("no_changes", "the amendment changes nothing in the record")
			}
			if err := amend(ctx, tx, sess.id, before.Content, changes, reason, c.Actor, now); err != nil {
				return err
			}
		}
		rec, _, err = readRecord(ctx, tx, sess, false)
		return err
	})
	return rec, err
}

// writable checks that the session's status allows a write of this kind, and answers the
// amendment's reason.
func writable(sess *session, amendment *AmendmentInput) (string, error) {
	switch sess.status {
	case scheduling.StatusOpen:
		if amendment != nil {
			return "", scheduling.Rule(CodeNotLocked, "the record is not locked until the session is completed; save it without an amendment")
		}
		return "", nil
	case scheduling.StatusCompleted:
		if amendment == nil {
			return "", scheduling.Conflict(CodeRecordLocked,
				"session %d is completed, so its record is locked; send the correction as an amendment with a reason", sess.id)
		}
		return requiredText("amendment.reason", amendment.Reason, MaxAmendmentReason)
	case scheduling.StatusWaiting:
		return "", scheduling.Conflict(scheduling.CodeInvalidTransition,
			"session %d is still waiting; its record can be written once the doctor opens it", sess.id)
	}
	return "", scheduling.Conflict(scheduling.CodeInvalidTransition,
		"session %d was %s; a record is written only for a session that is open or completed", sess.id, statusWords[sess.status])
}

var statusWords = map[string]string{scheduling.StatusCancelled: "cancelled", scheduling.StatusNoShow: "a no-show"}

func upsert(ctx context.Context, tx pgx.Tx, id scheduling.ID, c Content, actor scheduling.Actor, now time.Time) error {
	diagnoses, err := json.Marshal(c.Diagnoses)
	if err != nil {
		return fmt.Errorf("record: diagnoses: %w", err)
	}
	fields, err := json.Marshal(c.Fields)
	if err != nil {
		return fmt.Errorf("record: fields: %w", err)
	}
	v := c.Vitals
	_, err = tx.Exec(ctx, `INSERT INTO session_records (session_id, template_id, systolic, diastolic, pulse, temperature_c,
			spo2, weight_kg, height_cm, complaint, findings, diagnoses, notes, fields, written_by, written_at)
		VALUES ($1, $2, $3::text::integer, $4::text::integer, $5::text::integer, $6::text::numeric, $7::text::integer,
			$8::text::numeric, $9::text::numeric, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (session_id) DO UPDATE SET template_id = EXCLUDED.template_id, systolic = EXCLUDED.systolic,
			diastolic = EXCLUDED.diastolic, pulse = EXCLUDED.pulse, temperature_c = EXCLUDED.temperature_c,
			spo2 = EXCLUDED.spo2, weight_kg = EXCLUDED.weight_kg, height_cm = EXCLUDED.height_cm,
			complaint = EXCLUDED.complaint, findings = EXCLUDED.findings, diagnoses = EXCLUDED.diagnoses,
			notes = EXCLUDED.notes, fields = EXCLUDED.fields, written_by = EXCLUDED.written_by, written_at = EXCLUDED.written_at`,
		id, c.Template, text(v.Systolic), text(v.Diastolic), text(v.Pulse), text(v.TemperatureC), text(v.SpO2),
		text(v.WeightKg), text(v.HeightCm), c.Complaint, c.Findings, diagnoses, c.Notes, fields, actor, now)
	if err != nil {
		return fmt.Errorf("record: write session %d: %w", id, err)
	}
	return nil
}

// text is a number as SQL parameter text; nil for none.
func text(d Decimal) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func amend(ctx context.Context, tx pgx.Tx, id scheduling.ID, previous Content, changes []Change, reason string, actor scheduling.Actor, now time.Time) error {
	prev, err := json.Marshal(previous)
	if err != nil {
		return fmt.Errorf("record: previous version: %w", err)
	}
	ch, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("record: changes: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO record_amendments (session_id, at, actor, reason, changes, previous)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, now, actor, reason, ch, prev)
	if err != nil {
		return fmt.Errorf("record: amend session %d: %w", id, err)
	}
	return nil
}

// diff lists the fields that differ between two versions of a record, in the order a record is read.
func diff(a, b Content) []Change {
	changes := []Change{}
	add := func(field string, x, y any) {
		bx, _ := json.Marshal(x)
		by, _ := json.Marshal(y)
		if !bytes.Equal(bx, by) {
			changes = append(changes, Change{Field: field, Before: bx, After: by})
		}
	}
	add("template", a.Template, b.Template)
	av, bv := a.Vitals, b.Vitals
	add("vitals.systolic", av.Systolic, bv.Systolic)
	add("vitals.diastolic", av.Diastolic, bv.Diastolic)
	add("vitals.pulse", av.Pulse, bv.Pulse)
	add("vitals.temperature_c", av.TemperatureC, bv.TemperatureC)
	add("vitals.spo2", av.SpO2, bv.SpO2)
	add("vitals.weight_kg", av.WeightKg, bv.WeightKg)
	add("vitals.height_cm", av.HeightCm, bv.HeightCm)
	add("complaint", a.Complaint, b.Complaint)
	add("findings", a.Findings, b.Findings)
	add("diagnoses", a.Diagnoses, b.Diagnoses)
	add("notes", a.Notes, b.Notes)
	keys := slices.Sorted(maps.Keys(a.Fields))
	for _, k := range slices.Sorted(maps.Keys(b.Fields)) {
		if _, ok := a.Fields[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		add("fields."+k, a.Fields[k], b.Fields[k])
	}
	return changes
}
