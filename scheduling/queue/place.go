package queue

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
)

// Place returns one session's place in its doctor's line on its day, for the public view.
func (s *Service) Place(ctx context.Context, sessionID scheduling.ID) (*Place, error) {
	var e entry
	var tz string
	err := scanEntryZone(s.db.QueryRow(ctx, `SELECT `+entryColumns+`, `+examNames+`, b.timezone
		FROM sessions s JOIN patients p ON p.id = s.patient_id JOIN doctors d ON d.id = s.doctor_id
			JOIN branches b ON b.id = s.branch_id
		WHERE s.id = $1`, sessionID), &e, &tz)
	if err != nil {
		return nil, noRows(err, scheduling.NotFound("session", sessionID))
	}
	loc, err := scheduling.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("session %d: %w", sessionID, err)
	}
	e.inZone(loc)
	p := &Place{SessionID: e.id, Status: e.status, CheckedIn: e.checkedIn != nil, WithDoctor: e.status == scheduling.StatusOpen,
		Start: e.start, End: e.end, PatientID: e.patientID, PatientName: e.patientName, PatientPhone: e.phone,
		DoctorID: e.doctorID, DoctorName: e.doctorName, Examinations: e.exams, BranchID: e.branchID, Timezone: tz,
		Day: dateString(scheduling.DateOf(e.start))}
	if p.Examinations == nil {
		p.Examinations = []string{}
	}
	if e.status != scheduling.StatusWaiting {
		return p, nil
	}
	d, err := s.load(ctx, s.db, e.branchID, scheduling.DateOf(e.start), e.doctorID, false)
	if err != nil {
		return nil, err
	}
	// A session that left the queue between the two reads keeps the status read first, with no place.
	if l, ok := d.lines([]scheduling.ID{e.doctorID})[e.id]; ok {
		p.Ahead, p.Position, p.ETA = l.ahead, l.ahead+1, &l.eta
	}
	return p, nil
}

func scanEntryZone(row pgx.Row, e *entry, tz *string) error {
	return row.Scan(&e.id, &e.patientID, &e.doctorID, &e.branchID, &e.status, &e.start, &e.end, &e.booked,
		&e.checkedIn, &e.opened, &e.patientName, &e.phone, &e.doctorName, &e.exams, tz)
}

// PlacesByPhone returns the places of today's sessions (today at each session's branch) of the
// patient with that phone number, in start order; none when no patient has it.
func (s *Service) PlacesByPhone(ctx context.Context, phone string) ([]Place, error) {
	phone, err := scheduling.NormalizePhone(phone, "")
	if err != nil {
		return nil, err
	}
	now := s.now()
	rows, err := s.db.Query(ctx, `SELECT s.id FROM sessions s JOIN patients p ON p.id = s.patient_id
			JOIN branches b ON b.id = s.branch_id
		WHERE p.phone = $1 AND s.starts_at > $2::timestamptz - interval '2 days' AND s.starts_at < $2::timestamptz + interval '2 days'
			AND (s.starts_at AT TIME ZONE b.timezone)::date = ($2::timestamptz AT TIME ZONE b.timezone)::date
		ORDER BY s.starts_at, s.id`, phone, now)
	if err != nil {
		return nil, fmt.Errorf("sessions by phone: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[scheduling.ID])
	if err != nil {
		return nil, fmt.Errorf("sessions by phone: %w", err)
	}
	places := make([]Place, 0, len(ids))
	for _, id := range ids {
		p, err := s.Place(ctx, id)
		if err != nil {
			return nil, err
		}
		places = append(places, *p)
	}
	return places, nil
}
