package scheduling

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// Book books a session. The start must lie in the doctor's free time (DESIGN 3.1); the database's
// exclusion constraints make sure that of concurrent bookings for one slot exactly one wins, and the
// others get CodeSlotTaken with the nearest free alternatives. A session already over when it is
// recorded (a back-dated visit) follows the same rules and is completed at once.
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
		return nil, rule("missing_start", "start is required: an RFC 3339 time with an offset, e.g. 2027-03-01T09:30:00+01:00")
	case !validChannel(in.Channel):
		return nil, rule("invalid_channel", "channel %q is not one of staff, web_form, chatbot, whatsapp, telegram", in.Channel)
	case len(in.IdempotencyKey) > 200:
		return nil, invalid("invalid_idempotency_key", "an idempotency key has at most 200 characters")
	case s.doctor != 0 && in.DoctorID != s.doctor:
		return nil, Forbidden("a doctor may book only their own sessions")
	}
	if err := checkYear(in.Start, "start"); err != nil {
		return nil, err
	}
	in.Start = Instant(in.Start)
	fingerprint := in.fingerprint()
	if in.IdempotencyKey != "" {
		if sess, err := s.replay(ctx, in.IdempotencyKey, fingerprint); sess != nil || err != nil {
			return sess, err
		}
	}
	// The branch and examinations come from the setup cache when the catalog has not changed since:
	// the calendar's read checks the version in the same round trip, and a stale setup is read again.
	key := setupKey(in.BranchID, in.ExaminationIDs)
	st := s.setups().get(key)
	cached := st != nil
	var sess *Session
	var err error
	for {
		if st == nil {
			if st, err = s.loadVersionedSetup(ctx, in.BranchID, in.ExaminationIDs); err != nil {
				return nil, err
			}
			s.setups().put(key, st)
		}
		sess, err = s.bookWith(ctx, actor, in, st, fingerprint)
		// A doctor refused by a cached setup is checked again against the catalog as it is now.
		if !cached || !(IsCode(err, codeStaleSetup) || IsCode(err, "doctor_not_qualified")) {
			break
		}
		st, cached = nil, false
	}
	if in.IdempotencyKey != "" && (IsCode(err, codeKeyTaken) || IsCode(err, CodeSlotTaken)) {
		// The same booking may have raced in on another connection and won: answer with its session.
		if sess, rerr := s.replay(ctx, in.IdempotencyKey, fingerprint); sess != nil || rerr != nil {
			return sess, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	sess.History = []Event{{At: sess.CreatedAt, Actor: string(actor), Action: ActionBooked, To: &sess.Status}}
	return sess, nil
}

// bookWith books in under a setup read before: it checks the doctor, lays the session out and places it.
func (s *Service) bookWith(ctx context.Context, actor Actor, in BookingInput, st *setup, fingerprint []byte) (*Session, error) {
	if !slices.Contains(st.doctors, in.DoctorID) {
		return nil, s.unqualified(ctx, in.DoctorID)
	}
	now := s.now()
	sess := &Session{PatientID: in.PatientID, BranchID: in.BranchID, DoctorID: in.DoctorID, Status: StatusWaiting,
		Channel: in.Channel}
	sess.schedule(in.Start.In(st.loc), st.exams)
	if !sess.End.After(now) {
		if in.Channel != ChannelStaff {
			return nil, rule("start_in_past", "online bookings must be in the future")
		}
		sess.Status = StatusCompleted
		sess.OpenedAt, sess.CompletedAt = &sess.Start, &sess.End
	}
	idem := idempotency{key: in.IdempotencyKey, fingerprint: fingerprint}
	// A booking that listeners hear is written with what they write in one batch when they can say
	// ahead what that is (see Listener.Prepare), and in a transaction otherwise. In the caller's
	// transaction, write gives it a savepoint.
	_, joined := s.db.(pgx.Tx)
	batched := s.heard(ActionBooked) && !joined
	err := s.place(ctx, st.branch, st.loc, st.exams, sess, in.RoomID, 0, now, func(q DB) error {
		if !batched {
			return s.insertSession(ctx, q, actor, sess, idem, now)
		}
		if done, err := s.insertPrepared(ctx, actor, sess, idem, now); done || err != nil {
			return err
		}
		return s.inTx(ctx, func(tx pgx.Tx) error { return s.insertSession(ctx, tx, actor, sess, idem, now) })
	}, false)
	if err != nil {
		return nil, err
	}
	if !joined {
		// The booking committed on its own: its notice goes now (in the caller's transaction the
		// statement wrote it, to go with the caller's commit).
		s.announce.Announce(noticeOf(sess, ActionBooked))
	}
	return sess, nil
}

// codeStaleSetup is internal: the catalog changed since the setup a booking used was read.
const codeStaleSetup = "stale_setup"

// schedule lays exams out back to back from start, setting the session's examinations and end.
func (sess *Session) schedule(start time.Time, exams []Examination) {
	sess.Start, sess.Examinations = start, make([]SessionExamination, len(exams))
	at := start
	for i, e := range exams {
		end := at.Add(time.Duration(e.DurationMinutes) * time.Minute)
		sess.Examinations[i] = SessionExamination{ExaminationID: e.ID, Code: e.Code, Name: e.Name, Start: at, End: end}
		at = end
	}
	sess.End = at
}

// place checks that sess fits the calendar (excluding the session exclude, when it is being moved),
// picks its room, and runs write (in a transaction when inTx; see Service.write). A room picked automatically that a concurrent
// booking took first is picked again, so that only a truly full set of rooms answers slot_taken. A
// taken or closed time answers with the nearest free alternatives.
func (s *Service) place(ctx context.Context, branch *Branch, loc *time.Location, exams []Examination, sess *Session,
	room *ID, exclude ID, now time.Time, write func(DB) error, inTx bool) error {
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		sess.RoomID = room
		if err = s.checkFits(ctx, branch, loc, exams, sess, exclude, now); err != nil {
			break
		}
		if err = s.write(ctx, write, inTx); !IsCode(err, codeRoomTaken) {
			break
		}
		if room != nil {
			err = conflict(CodeSlotTaken, "that room is already booked at that time; alternatives lists the nearest free starts")
			break
		}
	}
	if IsCode(err, codeRoomTaken) {
		err = conflict(CodeSlotTaken, "every suitable room is booked at that time; alternatives lists the nearest free starts")
	}
	if IsCode(err, CodeSlotTaken) || IsCode(err, CodeNotAvailable) {
		return s.withAlternatives(ctx, err.(*Error), branch, loc, exams, sess, room, exclude, now)
	}
	if IsCode(err, CodePatientBusy) {
		return s.patientBusy(ctx, sess, exclude)
	}
	return err
}

// codeRoomTaken is internal: an automatically picked room was taken by a concurrent booking.
const codeRoomTaken = "room_taken"

// exclusionError turns a refused overlap into the domain's answer, by the constraint that refused it.
func exclusionError(constraint string) error {
	switch constraint {
	case "sessions_patient_no_overlap":
		return conflict(CodePatientBusy, "the patient already has a session at that time")
	case "sessions_room_no_overlap":
		return conflict(codeRoomTaken, "the room is already booked at that time")
	}
	return conflict(CodeSlotTaken, "that time is already booked; alternatives lists the nearest free starts")
}

// patientBusy names the patient's overlapping session, so staff can find it.
func (s *Service) patientBusy(ctx context.Context, sess *Session, exclude ID) error {
	e := conflict(CodePatientBusy, "the patient already has a session overlapping that time")
	var other ID
	err := s.db.QueryRow(ctx, `SELECT id FROM sessions WHERE patient_id = $1 AND id <> $2
		AND status NOT IN ('cancelled', 'no_show') AND tstzrange(starts_at, ends_at) && tstzrange($3, $4)
		ORDER BY starts_at LIMIT 1`, sess.PatientID, exclude, sess.Start, sess.End).Scan(&other)
	if err == nil {
		return e.WithDetails(map[string]any{"session_id": other})
	}
	return e
}

// idempotency is a booking's Idempotency-Key and the fingerprint of the request it was first sent with.
type idempotency struct {
	key         string
	fingerprint []byte
}

// fingerprint identifies the booking asked for, so that a key reused for another booking is refused.
func (in BookingInput) fingerprint() []byte {
	room := "auto"
	if in.RoomID != nil {
		room = fmt.Sprint(*in.RoomID)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%d|%d|%d|%v|%s|%s|%s", in.PatientID, in.BranchID, in.DoctorID,
		in.ExaminationIDs, in.Start.UTC().Format(time.RFC3339), room, in.Channel))
	return sum[:]
}

// insertSession writes the session, its examinations and its audit row in one statement (with its
// NOTIFY when q is the caller's transaction), then passes the change to the listeners, when any hears
// it: q is then a transaction.
func (s *Service) insertSession(ctx context.Context, q DB, actor Actor, sess *Session, idem idempotency, now time.Time) error {
	if err := scanInserted(q.QueryRow(ctx, insertSessionSQL, s.insertSessionArgs(actor, sess, idem, now)...), sess); err != nil {
		return s.writeError(err, sess, "insert session")
	}
	sess.CreatedAt = now.In(sess.Start.Location())
	// The statement above wrote the audit row that commit writes for other changes.
	tx, ok := q.(pgx.Tx)
	if !ok {
		return nil
	}
	return s.tell(ctx, tx, Change{Action: ActionBooked, Actor: actor, Session: sess, At: now})
}

// insertSessionSQL writes a booked session, its examinations, its audit row and, given a channel
// ($20), its NOTIFY, and answers the session's id and its patient's and doctor's names (see
// insertSessionArgs, scanInserted).
const insertSessionSQL = `
		WITH s AS (
			INSERT INTO sessions (patient_id, branch_id, doctor_id, room_id, starts_at, ends_at, status, channel, opened_at,
				completed_at, idempotency_key, idempotency_request, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id
		), e AS (
			INSERT INTO session_examinations (session_id, position, examination_id, starts_at, ends_at)
			SELECT s.id, x.pos, x.exam, x.st, x.en FROM s,
				unnest($14::int[], $15::bigint[], $16::timestamptz[], $17::timestamptz[]) AS x(pos, exam, st, en)
		), ev AS (
			INSERT INTO session_events (session_id, at, actor, action, to_status) SELECT id, $13, $18, $19, $7 FROM s
		)
		SELECT id, (SELECT name FROM patients WHERE id = $1), (SELECT name FROM doctors WHERE id = $3),
			CASE WHEN $20::text IS NOT NULL THEN pg_notify($20, json_build_object('session_id', id::text,
				'branch_id', $2::text, 'day', $21::text, 'action', $19::text)::text) END
		FROM s`

// insertSessionArgs are insertSessionSQL's parameters for sess. The statement notifies only in the
// caller's transaction: a booking the service commits itself is announced after its commit.
func (s *Service) insertSessionArgs(actor Actor, sess *Session, idem idempotency, now time.Time) []any {
	pos, exams, starts, ends := sess.examinationColumns()
	var key *string
	var request []byte
	if idem.key != "" {
		key, request = &idem.key, idem.fingerprint
	}
	var channel *string
	if _, joined := s.db.(pgx.Tx); joined {
		channel = new(NotifyChannel)
	}
	return []any{sess.PatientID, sess.BranchID, sess.DoctorID, sess.RoomID, sess.Start, sess.End, sess.Status, sess.Channel,
		sess.OpenedAt, sess.CompletedAt, key, request, now, pos, exams, starts, ends,
		string(actor), ActionBooked, channel, dateString(DateOf(sess.Start))}
}

// scanInserted reads insertSessionSQL's answer into sess.
func scanInserted(row pgx.Row, sess *Session) error {
	return row.Scan(&sess.ID, &sess.PatientName, &sess.DoctorName, nil)
}

// writeError maps what the database refused when a session was written to the domain's answer.
func (s *Service) writeError(err error, sess *Session, doing string) error {
	code, constraint := pgCode(err)
	switch {
	case code == sqlstateUnique && constraint == "sessions_idempotency_key":
		return conflict(codeKeyTaken, "a booking with this idempotency key exists")
	case code == sqlstateExclusion:
		return exclusionError(constraint)
	case code == sqlstateForeignKey && constraint == "sessions_patient_id_fkey":
		return notFound("patient", sess.PatientID)
	case code == sqlstateForeignKey && constraint == "sessions_branch_id_room_id_fkey" && sess.RoomID != nil:
		return rule("room_not_in_branch", "room %d is not a room of branch %d", *sess.RoomID, sess.BranchID)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// examinationColumns is the session's examinations as the columns of session_examinations.
func (sess *Session) examinationColumns() (pos []int, exams []ID, starts, ends []time.Time) {
	n := len(sess.Examinations)
	pos, exams, starts, ends = make([]int, n), make([]ID, n), make([]time.Time, n), make([]time.Time, n)
	for i, e := range sess.Examinations {
		pos[i], exams[i], starts[i], ends[i] = i, e.ExaminationID, e.Start, e.End
	}
	return pos, exams, starts, ends
}

// codeKeyTaken is internal: Book turns it into a replay.
const codeKeyTaken = "idempotency_key_taken"

// replay returns the session booked earlier with this idempotency key, or nil when there is none. A
// key reused for a different booking (any field, room and channel included) is refused rather than
// answered with another session.
func (s *Service) replay(ctx context.Context, key string, fingerprint []byte) (*Session, error) {
	var id ID
	var stored []byte
	err := s.db.QueryRow(ctx, `SELECT id, idempotency_request FROM sessions WHERE idempotency_key = $1`, key).Scan(&id, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	if string(stored) != string(fingerprint) {
		return nil, rule("idempotency_key_reused", "this Idempotency-Key was used for a different booking")
	}
	sess, err := s.GetSession(ctx, id)
	if err != nil {
		return nil, err
	}
	sess.Replayed = true
	return sess, nil
}

// checkFits verifies that the session lies in the doctor's free time and picks its room. Staff may
// record a visit in the past (DESIGN 3.2) under the same rules; online channels get notice and horizon.
func (s *Service) checkFits(ctx context.Context, branch *Branch, loc *time.Location, exams []Examination, sess *Session, exclude ID, now time.Time) error {
	day := DateOf(sess.Start)
	cal, err := s.loadCalendar(ctx, branch, loc, exams, []ID{sess.DoctorID}, sess.RoomID, exclude, day, day,
		&availability.Interval{Start: sess.Start, End: sess.End})
	if err != nil {
		return err
	}
	if branch.catalogVersion != 0 && cal.version != branch.catalogVersion {
		return conflict(codeStaleSetup, "the clinic's settings changed while booking; please retry")
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
func (s *Service) withAlternatives(ctx context.Context, e *Error, branch *Branch, loc *time.Location, exams []Examination, sess *Session, room *ID, exclude ID, now time.Time) error {
	day := DateOf(sess.Start)
	cal, err := s.loadCalendar(ctx, branch, loc, exams, []ID{sess.DoctorID}, room, exclude, addDays(day, -1), addDays(day, 7), nil)
	if err != nil {
		return err
	}
	notBefore, notAfter := cal.bounds(sess.Channel, now)
	return e.WithDetails(map[string]any{"alternatives": nearest(cal.slots(notBefore, notAfter), sess.Start, 5)})
}
