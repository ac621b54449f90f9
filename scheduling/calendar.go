package scheduling

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling/availability"
)

// Channels a booking may come from; all but staff are online and get minimum notice and a horizon.
const (
	ChannelStaff    = "staff"
	ChannelWebForm  = "web_form"
	ChannelChatbot  = "chatbot"
	ChannelWhatsApp = "whatsapp"
	ChannelTelegram = "telegram"
)

func validChannel(c string) bool {
	switch c {
	case ChannelStaff, ChannelWebForm, ChannelChatbot, ChannelWhatsApp, ChannelTelegram:
		return true
	}
	return false
}

// calendar is everything the engine needs for some doctors at one branch over a range of local dates.
type calendar struct {
	// version is the catalog version read with the calendar (loadCalendar).
	version int64
	branch  *Branch
	loc     *time.Location
	exams   []Examination
	// engineExams is exams in the engine's form, shared by every doctor's query.
	engineExams []availability.Exam
	from        Date
	to          Date
	doctors     []doctorCalendar
	// rooms suitable for the session (empty when no examination needs one), busy with sessions and
	// blocks; roomBlocks holds the blocks alone.
	needsRoom  bool
	rooms      []availability.Room
	roomBlocks map[int64][]availability.Interval
}

type doctorCalendar struct {
	id         ID
	weekly     availability.Weekly
	exceptions map[Date][]availability.Span
	blocks     []availability.Interval // doctor blocks and the branch's closures
	sessions   []availability.Interval // non-cancelled sessions at any branch
}

// busy is all the time the doctor cannot be booked.
func (d *doctorCalendar) busy() []availability.Interval {
	return append(slices.Clone(d.blocks), d.sessions...)
}

// freeRooms is the suitable rooms as if no session held them: only their blocks.
func (cal *calendar) freeRooms() []availability.Room {
	out := make([]availability.Room, len(cal.rooms))
	for i, r := range cal.rooms {
		out[i] = availability.Room{ID: r.ID, Busy: cal.roomBlocks[r.ID]}
	}
	return out
}

// loadSetup reads the branch and the examinations in one round trip and checks that they go together.
func (s *Service) loadSetup(ctx context.Context, branchID ID, examIDs []ID) (*Branch, *time.Location, []Examination, error) {
	if err := checkExaminationIDs(examIDs); err != nil {
		return nil, nil, nil, err
	}
	batch := &pgx.Batch{}
	st := queueSetup(batch, branchID, examIDs)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, nil, nil, err
	}
	if err := st.check(branchID, examIDs); err != nil {
		return nil, nil, nil, err
	}
	return st.branch, st.loc, st.exams, nil
}

// queueSetup queues the reads of the branch and the examinations on batch; once it has run, check
// completes the returned setup.
func queueSetup(batch *pgx.Batch, branchID ID, examIDs []ID) *setup {
	st := &setup{branch: &Branch{}}
	batch.Queue(branchSelect+` WHERE b.id = $1`, branchID).QueryRow(func(row pgx.Row) (err error) {
		*st.branch, err = scanBranch(row)
		return noRows(err, "branch", branchID)
	})
	batch.Queue(examinationSelect+` WHERE e.id = ANY($1)`, examIDs).Query(func(rows pgx.Rows) (err error) {
		st.exams, err = pgx.CollectRows(rows, scanExamination)
		return err
	})
	return st
}

// check puts the loaded examinations in the order asked for, resolves the branch's zone and checks
// that every examination is offered at the branch.
func (st *setup) check(branchID ID, examIDs []ID) error {
	loc, err := LoadLocation(st.branch.Timezone)
	if err != nil {
		return fmt.Errorf("branch %d: %w", branchID, err)
	}
	exams, err := inOrder(st.exams, examIDs)
	if err != nil {
		return err
	}
	for _, e := range exams {
		if !slices.Contains(e.BranchIDs, branchID) {
			return rule("examination_not_offered", "examination %q is not offered at branch %q", e.Name, st.branch.Name)
		}
	}
	st.loc, st.exams = loc, exams
	return nil
}

// qualifiedDoctors returns the doctors who perform every one of exams.
func qualifiedDoctors(exams []Examination) []ID {
	out := slices.Clone(exams[0].DoctorIDs)
	for _, e := range exams[1:] {
		out = slices.DeleteFunc(out, func(id ID) bool { return !slices.Contains(e.DoctorIDs, id) })
	}
	return out
}

// loadCalendar reads the attendance, exceptions, blocks and sessions of doctorIDs at the branch, and
// the rooms the session could use, for local dates [from, to], in one round trip. A room asked for
// (room non-nil) is the only room considered, and is held even when no examination needs one. The
// session exclude (when non-zero) is left out, as when that session is being moved. When around is
// given, only the sessions and blocks that overlap it are read: enough to tell whether a session
// there fits, since valid starts are computed exactly rather than on a grid (availability.Fits).
func (s *Service) loadCalendar(ctx context.Context, branch *Branch, loc *time.Location, exams []Examination, doctorIDs []ID, room *ID, exclude ID, from, to Date, around *availability.Interval) (*calendar, error) {
	batch := &pgx.Batch{}
	cal := queueCalendar(batch, branch, loc, exams, doctorIDs, room, exclude, from, to, around)
	QueueCatalogVersion(batch, &cal.version)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	return cal, nil
}

// queueCalendar queues loadCalendar's reads on batch; the calendar is complete once the batch has run.
func queueCalendar(batch *pgx.Batch, branch *Branch, loc *time.Location, exams []Examination, doctorIDs []ID, room *ID, exclude ID, from, to Date, around *availability.Interval) *calendar {
	cal := &calendar{branch: branch, loc: loc, engineExams: engineExams(exams), from: from, to: to,
		roomBlocks: map[int64][]availability.Interval{}}
	// Sessions may run past midnight, so busy time is read a day either side.
	lo, hi := midnight(addDays(from, -1), loc), midnight(addDays(to, 2), loc)
	if around != nil {
		lo, hi = around.Start, around.End
	}
	var roomFilter []ID
	cal.needsRoom, roomFilter = suitableRooms(exams, room)
	byDoctor := make(map[ID]*doctorCalendar, len(doctorIDs))
	cal.doctors = make([]doctorCalendar, len(doctorIDs))
	for i, id := range doctorIDs {
		cal.doctors[i] = doctorCalendar{id: id, exceptions: map[Date][]availability.Span{}}
		byDoctor[id] = &cal.doctors[i]
	}
	batch.Queue(`SELECT doctor_id, weekday, start_minute, end_minute FROM doctor_hours
		WHERE branch_id = $1 AND doctor_id = ANY($2)`, branch.ID, doctorIDs).Query(func(rows pgx.Rows) error {
		var d ID
		var wd, st, en int
		_, err := pgx.ForEachRow(rows, []any{&d, &wd, &st, &en}, func() error {
			byDoctor[d].weekly[wd] = append(byDoctor[d].weekly[wd], spanOf(st, en))
			return nil
		})
		return err
	})
	batch.Queue(`SELECT doctor_id, day, start_minute, end_minute FROM doctor_exceptions
		WHERE branch_id = $1 AND doctor_id = ANY($2) AND day BETWEEN $3 AND $4`,
		branch.ID, doctorIDs, dateString(addDays(from, -1)), dateString(addDays(to, 1))).Query(func(rows pgx.Rows) error {
		var d ID
		var day time.Time
		var st, en *int
		_, err := pgx.ForEachRow(rows, []any{&d, &day, &st, &en}, func() error {
			key := DateOf(day)
			spans := byDoctor[d].exceptions[key]
			if spans == nil {
				spans = []availability.Span{}
			}
			if st != nil {
				spans = append(spans, spanOf(*st, *en))
			}
			byDoctor[d].exceptions[key] = spans
			return nil
		})
		return err
	})
	// A doctor is busy with sessions and doctor blocks anywhere, and with this branch's closures.
	batch.Queue(`
		SELECT doctor_id, starts_at, ends_at, true FROM sessions
		WHERE doctor_id = ANY($1) AND status NOT IN ('cancelled', 'no_show') AND id <> $5
			AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)
		UNION ALL
		SELECT d, starts_at, ends_at, false FROM blocks, unnest($1::bigint[]) d
		WHERE (doctor_id = d OR (branch_id = $4 AND doctor_id IS NULL AND room_id IS NULL))
			AND tstzrange(starts_at, ends_at) && tstzrange($2, $3)`,
		doctorIDs, lo, hi, branch.ID, exclude).Query(func(rows pgx.Rows) error {
		var d ID
		var iv availability.Interval
		var isSession bool
		_, err := pgx.ForEachRow(rows, []any{&d, &iv.Start, &iv.End, &isSession}, func() error {
			dc := byDoctor[d]
			if isSession {
				dc.sessions = append(dc.sessions, iv)
			} else {
				dc.blocks = append(dc.blocks, iv)
			}
			return nil
		})
		return err
	})
	if cal.needsRoom {
		queueRooms(batch, cal, branch.ID, roomFilter, exclude, lo, hi)
	}
	return cal
}

// query builds the engine's query for one doctor of the calendar.
func (cal *calendar) query(d *doctorCalendar, busy []availability.Interval, rooms []availability.Room) *availability.Query {
	q := &availability.Query{
		Location:    cal.loc,
		From:        cal.from,
		To:          cal.to,
		BranchHours: cal.branch.hours,
		Attendance:  d.weekly,
		Exceptions:  d.exceptions,
		Exams:       cal.engineExams,
		Busy:        busy,
		NeedsRoom:   cal.needsRoom,
		Rooms:       rooms,
	}
	if cal.branch.SlotIntervalMinutes != nil {
		q.Step = time.Duration(*cal.branch.SlotIntervalMinutes) * time.Minute
	}
	return q
}

// engineExams is the session's examinations as the engine reads them, in running order.
func engineExams(exams []Examination) []availability.Exam {
	out := make([]availability.Exam, len(exams))
	for i := range exams {
		out[i].Duration = time.Duration(exams[i].DurationMinutes) * time.Minute
		if len(exams[i].Windows) > 0 {
			out[i].Windows = &exams[i].windows
		}
	}
	return out
}

// bounds returns the earliest and latest start a channel may book, as of now (DESIGN 3.1: minimum notice
// and horizon apply to online channels only; staff are not offered past starts but may book them).
func (cal *calendar) bounds(channel string, now time.Time) (notBefore, notAfter time.Time) {
	if channel == ChannelStaff {
		return now, time.Time{}
	}
	return now.Add(time.Duration(cal.branch.MinNoticeMinutes) * time.Minute),
		now.AddDate(0, 0, cal.branch.HorizonDays)
}
