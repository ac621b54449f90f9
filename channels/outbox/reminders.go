package outbox

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/inbox"
	"clinic/scheduling"
)

// dueReminder is a reminder whose time has come for a waiting session.
type dueReminder struct {
	sessionID, patientID scheduling.ID
	start                time.Time
	channel              string
	offset               int
	// timely is false when the reminder's time had already passed when the session was booked or
	// last rescheduled: it is never sent.
	timely             bool
	branch, tz, doctor string
}

// dueReminders lists, per waiting session whose patient has not arrived, the reminders due by now
// that have no row yet. Sessions are found through each branch's (branch, start) index, within the
// largest offset of now.
const dueReminders = `
SELECT s.id, s.patient_id, s.starts_at, s.channel, o.m,
	s.starts_at - make_interval(mins => o.m) >= COALESCE((SELECT max(e.at) FROM session_events e
		WHERE e.session_id = s.id AND e.action = 'rescheduled'), s.created_at),
	b.name, b.timezone, d.name
FROM branches b
	JOIN sessions s ON s.branch_id = b.id AND s.starts_at > $1 AND s.starts_at <= $1 + make_interval(mins => $3)
	JOIN doctors d ON d.id = s.doctor_id
	CROSS JOIN unnest($2::int[]) AS o(m)
WHERE s.status = 'waiting' AND s.checked_in_at IS NULL AND s.starts_at - make_interval(mins => o.m) <= $1
	AND NOT EXISTS (SELECT 1 FROM outbox_reminders r
		WHERE r.session_id = s.id AND r.offset_minutes = o.m AND r.starts_at = s.starts_at)
ORDER BY s.id, o.m`

// Remind sends the reminders that are due: for each waiting session, once per (offset, start), so a
// rescheduled session is reminded of its new time and a cancelled one, or one whose patient has
// checked in, of nothing. When several are
// due at once (the server was down) only the nearest goes out. A reminder whose time had passed when
// the session was booked is never sent. A patient with no conversation that may be messaged gets
// nothing (until they write, if the visit is still ahead).
func (o *Outbox) Remind(ctx context.Context) error {
	set, err := o.Settings(ctx)
	if err != nil {
		return err
	}
	if len(set.ReminderOffsets) == 0 {
		return nil
	}
	now := o.now()
	rows, err := o.pool.Query(ctx, dueReminders, now, set.ReminderOffsets, slices.Max(set.ReminderOffsets))
	if err != nil {
		return fmt.Errorf("outbox: find due reminders: %w", err)
	}
	var due []dueReminder
	var r dueReminder
	_, err = pgx.ForEachRow(rows, []any{&r.sessionID, &r.patientID, &r.start, &r.channel, &r.offset, &r.timely,
		&r.branch, &r.tz, &r.doctor}, func() error {
		due = append(due, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox: read due reminders: %w", err)
	}
	for len(due) > 0 {
		n := 1
		for n < len(due) && due[n].sessionID == due[0].sessionID {
			n++
		}
		if err := o.remindSession(ctx, due[:n], now); err != nil {
			return err
		}
		due = due[n:]
	}
	return nil
}

// remindSession sends the nearest timely reminder of one session (its due rows come nearest first)
// and records every due one, in one transaction.
func (o *Outbox) remindSession(ctx context.Context, due []dueReminder, now time.Time) error {
	send := slices.IndexFunc(due, func(r dueReminder) bool { return r.timely })
	offsets := make([]int, len(due))
	for i, r := range due {
		offsets[i] = r.offset
	}
	first := due[0]
	return pgx.BeginFunc(ctx, o.pool, func(tx pgx.Tx) error {
		var conv *inbox.Conversation
		if send >= 0 {
			var err error
			if conv, err = o.reachable(ctx, tx, first.patientID, first.channel); err != nil {
				return err
			}
			if conv == nil {
				return nil // nobody to tell: looked at again while the visit is ahead
			}
		}
		rows, err := tx.Query(ctx, `INSERT INTO outbox_reminders (session_id, offset_minutes, starts_at, at)
			SELECT $1, unnest($2::int[]), $3, $4 ON CONFLICT DO NOTHING RETURNING offset_minutes`,
			first.sessionID, offsets, first.start, now)
		if err != nil {
			return fmt.Errorf("outbox: record reminders of session %d: %w", first.sessionID, err)
		}
		written, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return fmt.Errorf("outbox: record reminders of session %d: %w", first.sessionID, err)
		}
		if send < 0 || !slices.Contains(written, due[send].offset) {
			return nil // nothing timely, or another server sent it
		}
		r := due[send]
		loc, err := scheduling.LoadLocation(r.tz)
		if err != nil {
			return fmt.Errorf("outbox: session %d: %w", r.sessionID, err)
		}
		start := r.start.In(loc)
		msg, err := o.say(ctx, tx, conv, fmt.Sprintf("reminder:%d:%d:%d", r.sessionID, r.offset, r.start.Unix()),
			"outbox.reminder", r.branch, r.doctor, start.Format("2006-01-02"), start.Format("15:04"))
		if err != nil {
			return fmt.Errorf("outbox: remind session %d: %w", r.sessionID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE outbox_reminders SET message_id = $4
			WHERE session_id = $1 AND offset_minutes = $2 AND starts_at = $3`, r.sessionID, r.offset, r.start, msg.ID); err != nil {
			return fmt.Errorf("outbox: record reminder of session %d: %w", r.sessionID, err)
		}
		return nil
	})
}
