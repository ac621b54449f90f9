package scheduling

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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
		err = s.insertSession(ctx, actor, sess)
	}
	if IsCode(err, CodeSlotTaken) || IsCode(err, CodeNotAvailable) {
		return nil, s.withAlternatives(ctx, err.(*Error), branch, loc, exams, sess, now)
	}
	if err != nil {
		return nil, err
	}
	sess.History = []Event{{At: sess.CreatedAt, Actor: string(actor), Action: "booked", To: &sess.Status}}
	return sess, nil
}

// checkFits verifies that the session lies in the doctor's free time and picks its room.
func (s *Service) checkFits(ctx context.Context, branch *Branch, loc *time.Location, exams []Examination, sess *Session, now time.Time) error {
	day := dateOf(sess.Start)
	cal, err := s.loadCalendar(ctx, branch, loc, exams, []ID{sess.DoctorID}, day, day)
	if err != nil {
		return err
	}
	rooms := cal.rooms
	if sess.RoomID != nil {
		i := slices.IndexFunc(cal.rooms, func(r availability.Room) bool { return ID(r.ID) == *sess.RoomID })
		if cal.needsRoom && i < 0 {
			return rule("room_unsuitable", "room %d is not suitable for these examinations at this branch", *sess.RoomID)
		}
		if !cal.needsRoom {
			// A room asked for without being needed is still held, so it must be free.
			cal.needsRoom = true
			rooms, err = s.roomCalendar(ctx, sess.BranchID, *sess.RoomID, day, loc)
			if err != nil {
				return err
			}
		} else {
			rooms = cal.rooms[i : i+1]
		}
	}
	d := &cal.doctors[0]
	q := cal.query(d, d.busy, rooms)
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
	free := *q
	free.Busy = subtractSessions(d.busy, d.sessions)
	free.Rooms = make([]availability.Room, len(rooms))
	for i, r := range rooms {
		free.Rooms[i] = availability.Room{ID: r.ID}
	}
	if _, ok := availability.Fits(&free, sess.Start); ok {
		return conflict(CodeSlotTaken, "that time is already booked")
	}
	return rule(CodeNotAvailable, "the doctor is not available for the whole session at that time (hours, attendance, service windows, blocks or notice)")
}

func subtractSessions(busy, sessions []availability.Interval) []availability.Interval {
	return slices.DeleteFunc(slices.Clone(busy), func(iv availability.Interval) bool {
		return slices.ContainsFunc(sessions, func(s availability.Interval) bool { return s.Start.Equal(iv.Start) && s.End.Equal(iv.End) })
	})
}

// roomCalendar reads one room's busy time around a day; an unknown room, or one of another branch, is refused.
func (s *Service) roomCalendar(ctx context.Context, branchID, roomID ID, day Date, loc *time.Location) ([]availability.Room, error) {
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rooms WHERE id = $1 AND branch_id = $2)`, roomID, branchID).Scan(&ok); err != nil {
		return nil, fmt.Errorf("check room: %w", err)
	}
	if !ok {
		return nil, rule("room_not_in_branch", "room %d is not a room of branch %d", roomID, branchID)
	}
	rows, err := s.db.Query(ctx, `
		SELECT starts_at, ends_at FROM sessions WHERE room_id = $1 AND status <> 'cancelled' AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)
		UNION ALL
		SELECT starts_at, ends_at FROM blocks WHERE room_id = $1 AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)`,
		roomID, midnight(addDays(day, -1), loc), midnight(addDays(day, 2), loc))
	if err != nil {
		return nil, fmt.Errorf("room calendar: %w", err)
	}
	defer rows.Close()
	room := availability.Room{ID: int64(roomID)}
	for rows.Next() {
		var iv availability.Interval
		if err := rows.Scan(&iv.Start, &iv.End); err != nil {
			return nil, err
		}
		room.Busy = append(room.Busy, iv)
	}
	return []availability.Room{room}, rows.Err()
}

// withAlternatives adds up to five free slots nearest to the one asked for to a slot-taken error.
func (s *Service) withAlternatives(ctx context.Context, e *Error, branch *Branch, loc *time.Location, exams []Examination, sess *Session, now time.Time) error {
	day := dateOf(sess.Start)
	cal, err := s.loadCalendar(ctx, branch, loc, exams, []ID{sess.DoctorID}, addDays(day, -1), addDays(day, 7))
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
func (s *Service) insertSession(ctx context.Context, actor Actor, sess *Session) error {
	n := len(sess.Examinations)
	pos, exams, starts, ends := make([]int, n), make([]ID, n), make([]time.Time, n), make([]time.Time, n)
	for i, e := range sess.Examinations {
		pos[i], exams[i], starts[i], ends[i] = i, e.ExaminationID, e.Start, e.End
	}
	err := s.db.QueryRow(ctx, `
		WITH s AS (
			INSERT INTO sessions (patient_id, branch_id, doctor_id, room_id, starts_at, ends_at, status, channel, opened_at, completed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, created_at
		), e AS (
			INSERT INTO session_examinations (session_id, position, examination_id, starts_at, ends_at)
			SELECT s.id, x.pos, x.exam, x.st, x.en FROM s,
				unnest($11::int[], $12::bigint[], $13::timestamptz[], $14::timestamptz[]) AS x(pos, exam, st, en)
		), ev AS (
			INSERT INTO session_events (session_id, actor, action, to_status) SELECT id, $15, 'booked', $7 FROM s
		)
		SELECT id, created_at FROM s`,
		sess.PatientID, sess.BranchID, sess.DoctorID, sess.RoomID, sess.Start, sess.End, sess.Status, sess.Channel,
		sess.OpenedAt, sess.CompletedAt, pos, exams, starts, ends, string(actor)).Scan(&sess.ID, &sess.CreatedAt)
	code, constraint := pgCode(err)
	switch {
	case err == nil:
		sess.CreatedAt = sess.CreatedAt.In(sess.Start.Location())
		return nil
	case code == sqlstateExclusion:
		return conflict(CodeSlotTaken, "that time is already booked")
	case code == sqlstateForeignKey && strings.Contains(constraint, "patient"):
		return notFound("patient", sess.PatientID)
	case code == sqlstateForeignKey:
		return rule("room_not_in_branch", "room %d is not a room of branch %d", *sess.RoomID, sess.BranchID)
	}
	return fmt.Errorf("insert session: %w", err)
}
