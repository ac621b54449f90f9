package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
	"clinic/scheduling/eta"
)

// entry is a session as the queue reads it.
type entry struct {
	id, patientID, doctorID scheduling.ID
	branchID                scheduling.ID
	status                  string
	start, end, booked      time.Time
	checkedIn, opened       *time.Time
	patientName, phone      string
	doctorName              string
	exams                   []string
}

// entryColumns are read by scanEntry; the query names sessions s, patients p and doctors d.
const entryColumns = `s.id, s.patient_id, s.doctor_id, s.branch_id, s.status, s.starts_at, s.ends_at, s.created_at,
	s.checked_in_at, s.opened_at, p.name, p.phone, d.name`

// examNames reads the names of session s's examinations, in running order, for a single session.
const examNames = `ARRAY(SELECT e.name FROM session_examinations x JOIN examinations e ON e.id = x.examination_id
	WHERE x.session_id = s.id ORDER BY x.position)`

func scanEntry(row pgx.Row, e *entry) error {
	return row.Scan(&e.id, &e.patientID, &e.doctorID, &e.branchID, &e.status, &e.start, &e.end, &e.booked,
		&e.checkedIn, &e.opened, &e.patientName, &e.phone, &e.doctorName)
}

// inZone moves e's times to loc, where the branch's day is read.
func (e *entry) inZone(loc *time.Location) {
	e.start, e.end, e.booked = e.start.In(loc), e.end.In(loc), e.booked.In(loc)
	for _, t := range []**time.Time{&e.checkedIn, &e.opened} {
		if *t != nil {
			v := (*t).In(loc)
			*t = &v
		}
	}
}

// day is a branch's queue for one local date, with what ordering and ETAs need.
type day struct {
	branchID scheduling.ID
	tz       string
	loc      *time.Location
	date     scheduling.Date
	now      time.Time // in loc, whole seconds
	// entries are the waiting and open sessions (of one doctor when the day was read for one), by id.
	entries []*entry
	// kept are the kept orders by scope: 0 for the whole branch, else a doctor's.
	kept map[scheduling.ID][]scheduling.ID
	// history is each doctor's latest completed sessions, oldest first.
	history map[scheduling.ID][]eta.Sample
}

// inQueue selects the queue's sessions s of branch $1 on its local date $2, of doctor $3 unless it is
// 0. The day's bounds are scalar subqueries, evaluated once, so that they bound the index scan.
const inQueue = `s.branch_id = $1
	AND s.starts_at >= (SELECT ($2::date)::timestamp AT TIME ZONE timezone FROM branches WHERE id = $1)
	AND s.starts_at < (SELECT ($2::date + 1)::timestamp AT TIME ZONE timezone FROM branches WHERE id = $1)
	AND s.status IN ('waiting', 'open') AND ($3::bigint = 0 OR s.doctor_id = $3)`

// load reads a branch day's queue in one round trip: of one doctor unless doctorID is 0. With lock
// the sessions are locked against moves until db's transaction ends.
func (s *Service) load(ctx context.Context, db scheduling.DB, branchID scheduling.ID, date scheduling.Date, doctorID scheduling.ID, lock bool) (*day, error) {
	d := &day{branchID: branchID, date: date, kept: map[scheduling.ID][]scheduling.ID{}, history: map[scheduling.ID][]eta.Sample{}}
	now := s.now()
	dateArg := dateString(date)
	batch := &pgx.Batch{}
	batch.Queue(`SELECT timezone FROM branches WHERE id = $1`, branchID).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&d.tz); err != nil {
			return noRows(err, scheduling.NotFound("branch", branchID))
		}
		return nil
	})
	if doctorID != 0 {
		batch.Queue(`SELECT 1 FROM doctors WHERE id = $1`, doctorID).QueryRow(func(row pgx.Row) error {
			var one int
			return noRows(row.Scan(&one), scheduling.NotFound("doctor", doctorID))
		})
	}
	forShare := ""
	if lock {
		forShare = ` FOR SHARE OF s`
	}
	byID := map[scheduling.ID]*entry{}
	batch.Queue(`SELECT `+entryColumns+`
		FROM sessions s JOIN patients p ON p.id = s.patient_id JOIN doctors d ON d.id = s.doctor_id
		WHERE `+inQueue+` ORDER BY s.id`+forShare, branchID, dateArg, doctorID).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			e := &entry{}
			if err := scanEntry(rows, e); err != nil {
				return err
			}
			d.entries, byID[e.id] = append(d.entries, e), e
		}
		return rows.Err()
	})
	batch.Queue(`SELECT x.session_id, e.name
		FROM sessions s JOIN session_examinations x ON x.session_id = s.id JOIN examinations e ON e.id = x.examination_id
		WHERE `+inQueue+` ORDER BY x.session_id, x.position`, branchID, dateArg, doctorID).Query(func(rows pgx.Rows) error {
		var id scheduling.ID
		var name string
		_, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			if e := byID[id]; e != nil { // one that joined the queue between the two statements waits for the next read
				e.exams = append(e.exams, name)
			}
			return nil
		})
		return err
	})
	batch.Queue(`SELECT doctor_id, session_ids FROM queue_orders WHERE branch_id = $1 AND day = $2::date`,
		branchID, dateArg).Query(func(rows pgx.Rows) error {
		var scope scheduling.ID
		var ids []scheduling.ID
		_, err := pgx.ForEachRow(rows, []any{&scope, &ids}, func() error {
			d.kept[scope] = ids
			return nil
		})
		return err
	})
	batch.Queue(`WITH q AS (SELECT DISTINCT s.doctor_id FROM sessions s WHERE `+inQueue+`)
		SELECT q.doctor_id, h.booked, h.actual FROM q CROSS JOIN LATERAL (
			SELECT extract(epoch FROM c.ends_at - c.starts_at)::float8 AS booked,
				extract(epoch FROM c.completed_at - c.opened_at)::float8 AS actual, c.completed_at
			FROM sessions c WHERE c.doctor_id = q.doctor_id AND c.status = 'completed' AND c.completed_at <= $4
			ORDER BY c.completed_at DESC LIMIT $5) h
		ORDER BY q.doctor_id, h.completed_at`, branchID, dateArg, doctorID, now, eta.MaxSamples).Query(func(rows pgx.Rows) error {
		var doctor scheduling.ID
		var booked, actual float64
		_, err := pgx.ForEachRow(rows, []any{&doctor, &booked, &actual}, func() error {
			d.history[doctor] = append(d.history[doctor], eta.Sample{Booked: seconds(booked), Actual: seconds(actual)})
			return nil
		})
		return err
	})
	if err := db.SendBatch(ctx, batch).Close(); err != nil {
		var domain *scheduling.Error
		if errors.As(err, &domain) {
			return nil, err
		}
		return nil, fmt.Errorf("read queue of branch %d on %s: %w", branchID, dateArg, err)
	}
	loc, err := scheduling.LoadLocation(d.tz)
	if err != nil {
		return nil, fmt.Errorf("branch %d: %w", branchID, err)
	}
	d.loc = loc
	d.now = wholeSecond(now).In(loc)
	for _, e := range d.entries {
		e.inZone(loc)
	}
	return d, nil
}

// noRows turns pgx.ErrNoRows into notFound.
func noRows(err error, notFound error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound
	}
	return err
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// wholeSecond rounds t up to a whole second, so that no time derived from it is before t.
func wholeSecond(t time.Time) time.Time {
	if r := t.Truncate(time.Second); !r.Equal(t) {
		return r.Add(time.Second)
	}
	return t
}

func dateString(d scheduling.Date) string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// daysFrom is the number of days from a to b.
func daysFrom(a, b scheduling.Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// checkDay refuses a date too far from today for a queue to mean anything.
func (s *Service) checkDay(date scheduling.Date) error {
	today := scheduling.DateOf(s.now().UTC())
	if n := daysFrom(today, date); n > MaxDaysAway || n < -MaxDaysAway {
		return scheduling.Rule("out_of_range", "a queue can be shown for dates within %d days of today; %s is %d days away",
			MaxDaysAway, dateString(date), abs(n))
	}
	return nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
