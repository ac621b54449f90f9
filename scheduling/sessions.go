package scheduling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// Session statuses (DESIGN 3.2).
const (
	StatusWaiting   = "waiting"
	StatusOpen      = "open"
	StatusCompleted = "completed"
	StatusCancelled = "cancelled"
)

// Session is one patient visit: booked, queued, seen, billed and recorded.
type Session struct {
	ID           ID                   `json:"id"`
	PatientID    ID                   `json:"patient_id"`
	BranchID     ID                   `json:"branch_id"`
	DoctorID     ID                   `json:"doctor_id"`
	RoomID       *ID                  `json:"room_id"`
	Status       string               `json:"status"`
	Channel      string               `json:"channel"`
	Start        time.Time            `json:"start"`
	End          time.Time            `json:"end"`
	CheckedInAt  *time.Time           `json:"checked_in_at"`
	OpenedAt     *time.Time           `json:"opened_at"`
	CompletedAt  *time.Time           `json:"completed_at"`
	CancelledAt  *time.Time           `json:"cancelled_at"`
	CancelReason *string              `json:"cancel_reason"`
	CreatedAt    time.Time            `json:"created_at"`
	Examinations []SessionExamination `json:"examinations"`
	History      []Event              `json:"history"`
	// Invoice is filled in by billing; scheduling leaves it empty.
	Invoice any `json:"invoice"`

	// Replayed is set when Book returned the session an earlier request with the same idempotency
	// key made.
	Replayed bool `json:"-"`
}

// SessionExamination is one examination of a session, at its place in the running order.
type SessionExamination struct {
	ExaminationID ID        `json:"examination_id"`
	Code          string    `json:"code"`
	Name          string    `json:"name"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
}

// Event is one entry of a session's audit trail.
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	From   *string   `json:"from"`
	To     *string   `json:"to"`
	Detail string    `json:"detail,omitempty"`
}

// BookingInput is what booking a session takes.
type BookingInput struct {
	PatientID      ID        `json:"patient_id"`
	BranchID       ID        `json:"branch_id"`
	DoctorID       ID        `json:"doctor_id"`
	ExaminationIDs []ID      `json:"examination_ids"`
	Start          time.Time `json:"start"`
	RoomID         *ID       `json:"room_id"`
	Channel        string    `json:"channel"`
	// IdempotencyKey, when set, makes a retry of this booking return the session it made instead of
	// booking again (the API takes it from the Idempotency-Key header).
	IdempotencyKey string `json:"-"`
}

// Book books a session. The start must lie in the doctor's free time (DESIGN 3.1); the database's
// exclusion constraints make sure that of concurrent bookings for one slot exactly one wins, and the
// others get CodeSlotTaken with the nearest free alternatives. A session already over when it is
// recorded (a back-dated visit) is completed at once.
func (s *Service) Book(ctx context.Context, actor Actor, in BookingInput) (*Session, error) {
	if in.Channel == "" {
		in.Channel = ChannelStaff
	}
	switch {
	case in.PatientID == 0:
		return nil, rule("missing_patient", "patient_id is required")
	case in.BranchID == 0:
		return nil, rule("missing_branch", "branch_id is required")
	case in.DoctorID == 0:
		return nil, rule("missing_doctor", "doctor_id is required")
	case in.Start.IsZero():
		return nil, rule("missing_start", "start is required (RFC 3339)")
	case !validChannel(in.Channel):
		return nil, rule("invalid_channel", "channel %q is not one of staff, web_form, chatbot, whatsapp, telegram", in.Channel)
	}
	if err := checkYear(in.Start, "start"); err != nil {
		return nil, err
	}
	if len(in.IdempotencyKey) > 200 {
		return nil, invalid("invalid_idempotency_key", "an idempotency key has at most 200 characters")
	}
	if in.IdempotencyKey != "" {
		if sess, err := s.replay(ctx, in); sess != nil || err != nil {
			return sess, err
		}
	}
	branch, loc, exams, err := s.loadSetup(ctx, in.BranchID, in.ExaminationIDs)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(qualifiedDoctors(exams), in.DoctorID) {
		return nil, s.unqualified(ctx, in.DoctorID)
	}
	now := s.now()
	sess := &Session{PatientID: in.PatientID, BranchID: in.BranchID, DoctorID: in.DoctorID, RoomID: in.RoomID,
		Status: StatusWaiting, Channel: in.Channel, Start: in.Start.In(loc).Truncate(time.Second)}
	at := sess.Start
	for _, e := range exams {
		end := at.Add(time.Duration(e.DurationMinutes) * time.Minute)
		sess.Examinations = append(sess.Examinations, SessionExamination{ExaminationID: e.ID, Code: e.Code, Name: e.Name, Start: at, End: end})
		at = end
	}
	sess.End = at

	if !sess.End.After(now) {
		if in.Channel != ChannelStaff {
			return nil, rule("start_in_past", "online bookings must be in the future")
		}
		sess.Status = StatusCompleted
		sess.OpenedAt, sess.CompletedAt = &sess.Start, &sess.End
	} else {
		err = s.checkFits(ctx, branch, loc, exams, sess, now)
	}
	if err == nil {
		err = s.insertSession(ctx, actor, sess, in.IdempotencyKey)
	}
	if in.IdempotencyKey != "" && (IsCode(err, codeKeyTaken) || IsCode(err, CodeSlotTaken)) {
		// The same booking may have raced in on another connection and won: answer with its session.
		if sess, rerr := s.replay(ctx, in); sess != nil || rerr != nil {
			return sess, rerr
		}
	}
	if IsCode(err, CodeSlotTaken) || IsCode(err, CodeNotAvailable) {
		return nil, s.withAlternatives(ctx, err.(*Error), branch, loc, exams, sess, in.RoomID, now)
	}
	if err != nil {
		return nil, err
	}
	sess.History = []Event{{At: sess.CreatedAt, Actor: string(actor), Action: "booked", To: &sess.Status}}
	return sess, nil
}

// checkFits verifies that the session lies in the doctor's free time and picks its room.
func (s *Service) checkFits(ctx context.Context, branch *Branch, loc *time.Location, exams []Examination, sess *Session, now time.Time) error {
	day := DateOf(sess.Start)
	cal, err := s.loadCalendar(ctx, branch, loc, exams, []ID{sess.DoctorID}, sess.RoomID, day, day)
	if err != nil {
		return err
	}
	if sess.RoomID != nil && len(cal.rooms) == 0 {
		if slices.ContainsFunc(exams, func(e Examination) bool { return e.NeedsRoom }) {
			return rule("room_unsuitable", "room %d is not suitable for these examinations at this branch", *sess.RoomID)
		}
		return rule("room_not_in_branch", "room %d is not a room of branch %d", *sess.RoomID, sess.BranchID)
	}
	d := &cal.doctors[0]
	q := cal.query(d, d.busy(), cal.rooms)
	if sess.Channel != ChannelStaff {
		q.NotBefore, q.NotAfter = cal.bounds(sess.Channel, now)
	}
	if room, ok := availability.Fits(q, sess.Start); ok {
		if room != 0 {
			r := ID(room)
			sess.RoomID = &r
		}
		return nil
	}
	// Would it fit were it not for other sessions? Then the slot is taken; otherwise it is closed time.
	free := cal.query(d, d.blocks, cal.freeRooms())
	free.NotBefore, free.NotAfter = q.NotBefore, q.NotAfter
	if _, ok := availability.Fits(free, sess.Start); ok {
		return conflict(CodeSlotTaken, "that time is already booked; alternatives lists the nearest free starts")
	}
	return rule(CodeNotAvailable, "the doctor is not available for the whole session at that time (hours, attendance, service windows, blocks or notice); alternatives lists the nearest free starts")
}

// withAlternatives adds up to five free slots nearest to the one asked for to a slot-taken error, in
// the room asked for when there was one.
func (s *Service) withAlternatives(ctx context.Context, e *Error, branch *Branch, loc *time.Location, exams []Examination, sess *Session, room *ID, now time.Time) error {
	day := DateOf(sess.Start)
	cal, err := s.loadCalendar(ctx, branch, loc, exams, []ID{sess.DoctorID}, room, addDays(day, -1), addDays(day, 7))
	if err != nil {
		return err
	}
	notBefore, notAfter := cal.bounds(sess.Channel, now)
	alts := nearest(cal.slots(notBefore, notAfter), sess.Start, 5)
	out := *e
	out.Details = map[string]any{"alternatives": alts}
	return &out
}

// insertSession writes the session, its examinations and the first audit entry in one statement.
func (s *Service) insertSession(ctx context.Context, actor Actor, sess *Session, key string) error {
	n := len(sess.Examinations)
	pos, exams, starts, ends := make([]int, n), make([]ID, n), make([]time.Time, n), make([]time.Time, n)
	for i, e := range sess.Examinations {
		pos[i], exams[i], starts[i], ends[i] = i, e.ExaminationID, e.Start, e.End
	}
	err := s.db.QueryRow(ctx, `
		WITH s AS (
			INSERT INTO sessions (patient_id, branch_id, doctor_id, room_id, starts_at, ends_at, status, channel, opened_at,
				completed_at, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $16) RETURNING id, created_at
		), e AS (
			INSERT INTO session_examinations (session_id, position, examination_id, starts_at, ends_at)
			SELECT s.id, x.pos, x.exam, x.st, x.en FROM s,
				unnest($11::int[], $12::bigint[], $13::timestamptz[], $14::timestamptz[]) AS x(pos, exam, st, en)
		), ev AS (
			INSERT INTO session_events (session_id, actor, action, to_status) SELECT id, $15, 'booked', $7 FROM s
		)
		SELECT id, created_at FROM s`,
		sess.PatientID, sess.BranchID, sess.DoctorID, sess.RoomID, sess.Start, sess.End, sess.Status, sess.Channel,
		sess.OpenedAt, sess.CompletedAt, pos, exams, starts, ends, string(actor), nullIfEmpty(key)).Scan(&sess.ID, &sess.CreatedAt)
	code, constraint := pgCode(err)
	switch {
	case err == nil:
		sess.CreatedAt = sess.CreatedAt.In(sess.Start.Location())
		return nil
	case code == sqlstateUnique && constraint == "sessions_idempotency_key":
		return conflict(codeKeyTaken, "a booking with this idempotency key exists")
	case code == sqlstateExclusion:
		return conflict(CodeSlotTaken, "that time is already booked; alternatives lists the nearest free starts")
	case code == sqlstateForeignKey && strings.Contains(constraint, "patient"):
		return notFound("patient", sess.PatientID)
	case code == sqlstateForeignKey:
		return rule("room_not_in_branch", "room %d is not a room of branch %d", *sess.RoomID, sess.BranchID)
	}
	return fmt.Errorf("insert session: %w", err)
}

// codeKeyTaken is internal: Book turns it into a replay.
const codeKeyTaken = "idempotency_key_taken"

// replay returns the session booked earlier with in's idempotency key, or nil when there is none. A
// key reused for a different booking is refused rather than silently answered with another session.
func (s *Service) replay(ctx context.Context, in BookingInput) (*Session, error) {
	var id ID
	err := s.db.QueryRow(ctx, `SELECT id FROM sessions WHERE idempotency_key = $1`, in.IdempotencyKey).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	sess, err := s.GetSession(ctx, id)
	if err != nil {
		return nil, err
	}
	exams := make([]ID, len(sess.Examinations))
	for i, x := range sess.Examinations {
		exams[i] = x.ExaminationID
	}
	if sess.PatientID != in.PatientID || sess.BranchID != in.BranchID || sess.DoctorID != in.DoctorID ||
		!sess.Start.Equal(in.Start.Truncate(time.Second)) || !slices.Equal(exams, in.ExaminationIDs) {
		return nil, rule("idempotency_key_reused", "this Idempotency-Key was used for a different booking")
	}
	sess.Replayed = true
	return sess, nil
}
