package scheduling

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// RescheduleInput moves a waiting session: a new start, and optionally another doctor or room (no
// doctor: the same; no room: one is picked when the examinations need it).
type RescheduleInput struct {
	Start    time.Time `json:"start"`
	DoctorID *ID       `json:"doctor_id"`
	RoomID   *ID       `json:"room_id"`
}

// Reschedule moves a waiting session to another time (and doctor or room), keeping its id,
// examinations and history. The same rules and race-safety as booking apply: a taken slot answers
// slot_taken with alternatives.
func (s *Service) Reschedule(ctx context.Context, actor Actor, id ID, in RescheduleInput) (*Session, error) {
	if in.Start.IsZero() {
		return nil, rule("missing_start", "start is required: an RFC 3339 time with an offset, e.g. 2027-03-01T09:30:00+01:00")
	}
	if err := checkYear(in.Start, "start"); err != nil {
		return nil, err
	}
	return s.replan(ctx, actor, id, ActionRescheduled, []string{StatusWaiting}, func(cur *Session) (plan, error) {
		p := plan{start: Instant(in.Start), doctor: cur.DoctorID, room: in.RoomID, exams: cur.examinationIDs()}
		if in.DoctorID != nil {
			p.doctor = *in.DoctorID
		}
		return p, nil
	})
}

// SetExaminations replaces the examinations of a waiting or open session (an examination added at the
// doctor's, say), laid out again from its start. A waiting session must still fit the calendar; an
// open one, already with the doctor, only must not run into another booking.
func (s *Service) SetExaminations(ctx context.Context, actor Actor, id ID, examIDs []ID) (*Session, error) {
	return s.replan(ctx, actor, id, ActionExaminationsChanged, []string{StatusWaiting, StatusOpen}, func(cur *Session) (plan, error) {
		return plan{start: cur.Start, doctor: cur.DoctorID, exams: examIDs}, nil
	})
}

// plan is where and when a session is to be, and with which examinations.
type plan struct {
	start  time.Time
	doctor ID
	room   *ID
	exams  []ID
}

// replan changes a session's time, doctor, room or examinations: it checks the new plan against the
// calendar as a booking would (the session itself left out), then writes it under the session's row
// lock, refusing if the session changed meanwhile.
func (s *Service) replan(ctx context.Context, actor Actor, id ID, action string, from []string, want func(cur *Session) (plan, error)) (*Session, error) {
	cur, err := s.GetSession(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.doctor != 0 && cur.DoctorID != s.doctor {
		return nil, Forbidden("session %d is another doctor's; a doctor may change only their own sessions", id)
	}
	if !slices.Contains(from, cur.Status) {
		return nil, invalidTransition(verbOf(action), cur.Status, cur.Status)
	}
	p, err := want(cur)
	if err != nil {
		return nil, err
	}
	branch, loc, exams, err := s.loadSetup(ctx, cur.BranchID, p.exams)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(qualifiedDoctors(exams), p.doctor) {
		return nil, s.unqualified(ctx, p.doctor)
	}
	now := s.now()
	next := *cur
	next.DoctorID, next.History = p.doctor, nil
	next.schedule(p.start.In(loc), exams)
	if !next.End.After(now) {
		return nil, rule("start_in_past", "a session can only be moved to a time that has not passed")
	}
	write := func(tx pgx.Tx) error {
		before, err := s.lockSession(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != cur.Status || !before.Start.Equal(cur.Start) || before.DoctorID != cur.DoctorID ||
			!slices.Equal(before.examinationIDs(), cur.examinationIDs()) {
			return conflict("session_changed", "the session changed while this was being done; please look again and retry")
		}
		return s.writePlan(ctx, tx, actor, action, before, &next, now)
	}
	if cur.Status == StatusOpen {
		// With the doctor already: only the database's guards against overlap apply.
		err = s.inTx(ctx, write)
		switch {
		case IsCode(err, codeRoomTaken):
			err = conflict(CodeSlotTaken, "the longer session would run into another booking of its room")
		case IsCode(err, CodeSlotTaken):
			err = conflict(CodeSlotTaken, "the longer session would run into the doctor's next booking")
		case IsCode(err, CodePatientBusy):
			err = s.patientBusy(ctx, &next, id)
		}
	} else {
		err = s.place(ctx, branch, loc, exams, &next, p.room, id, now, func(q DB) error { return write(q.(pgx.Tx)) }, true)
	}
	if err != nil {
		return nil, err
	}
	return s.GetSession(ctx, id)
}

// writePlan stores a session's new time, doctor, room and examinations and passes the change.
func (s *Service) writePlan(ctx context.Context, tx pgx.Tx, actor Actor, action string, before, after *Session, now time.Time) error {
	pos, exams, starts, ends := after.examinationColumns()
	_, err := tx.Exec(ctx, `
		WITH u AS (
			UPDATE sessions SET starts_at = $2, ends_at = $3, doctor_id = $4, room_id = $5, updated_at = $6 WHERE id = $1
		), d AS (
			DELETE FROM session_examinations WHERE session_id = $1
		)
		SELECT 1`, after.ID, after.Start, after.End, after.DoctorID, after.RoomID, now)
	if err == nil {
		_, err = tx.Exec(ctx, `INSERT INTO session_examinations (session_id, position, examination_id, starts_at, ends_at)
			SELECT $1, x.pos, x.exam, x.st, x.en
			FROM unnest($2::int[], $3::bigint[], $4::timestamptz[], $5::timestamptz[]) AS x(pos, exam, st, en)`,
			after.ID, pos, exams, starts, ends)
	}
	if err != nil {
		return s.writeError(err, after, action)
	}
	return s.commit(ctx, tx, Change{Action: action, Actor: actor, Session: after, Before: before, Detail: describePlan(before, after)})
}

// describePlan says what moved, for the audit trail: "2027-01-04 10:00 → 2027-01-05 11:30, doctor 2 → 3".
func describePlan(before, after *Session) string {
	const layout = "2006-01-02 15:04"
	d := ""
	if !before.Start.Equal(after.Start) {
		d = before.Start.Format(layout) + " → " + after.Start.Format(layout)
	}
	add := func(part string) {
		if d != "" {
			d += ", "
		}
		d += part
	}
	if before.DoctorID != after.DoctorID {
		add(fmt.Sprintf("doctor %d → %d", before.DoctorID, after.DoctorID))
	}
	if roomOf(before) != roomOf(after) {
		add(fmt.Sprintf("room %s → %s", roomOf(before), roomOf(after)))
	}
	if b, a := before.examinationCodes(), after.examinationCodes(); !slices.Equal(b, a) {
		add(fmt.Sprintf("examinations %v → %v", b, a))
	}
	return d
}

func roomOf(sess *Session) string {
	if sess.RoomID == nil {
		return "none"
	}
	return fmt.Sprint(*sess.RoomID)
}

func (sess *Session) examinationIDs() []ID {
	out := make([]ID, len(sess.Examinations))
	for i, x := range sess.Examinations {
		out[i] = x.ExaminationID
	}
	return out
}

func (sess *Session) examinationCodes() []string {
	out := make([]string, len(sess.Examinations))
	for i, x := range sess.Examinations {
		out[i] = x.Code
	}
	return out
}

func verbOf(action string) string {
	if action == ActionRescheduled {
		return "reschedule"
	}
	return "change the examinations of"
}
