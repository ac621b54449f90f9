package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"clinic/scheduling"
	"clinic/scheduling/eta"
	"clinic/scheduling/queue"
)

// View is a session's place as its patient may see it, on the public tracker and from the bots: the
// place in the doctor's line and the names masked as the clinic's settings say. Nothing else about
// the session, and nothing about anyone else, is in it.
type View struct {
	Status    string `json:"status"`
	CheckedIn bool   `json:"checked_in"`
	// Position is the place in the doctor's line from 1 (1 is next); 0 when not waiting.
	Position   int        `json:"position"`
	Ahead      int        `json:"ahead"`
	WithDoctor bool       `json:"with_doctor"`
	ETA        *eta.Range `json:"eta"`
	// Start and the ETA are in the branch's time zone; Date is the branch's local day.
	Start time.Time `json:"start"`
	Date  string    `json:"date"`
	// Names masked as the settings say; nil when hidden.
	PatientName *string `json:"patient_name"`
	DoctorName  *string `json:"doctor_name"`
	Phone       string  `json:"phone,omitempty"`
	Branch      string  `json:"branch"`
}

// Mask is the view of p under st; branch is the branch's name.
func Mask(p *queue.Place, branch string, st Settings) View {
	loc := time.UTC
	if l, err := scheduling.LoadLocation(p.Timezone); err == nil {
		loc = l
	}
	v := View{Status: p.Status, CheckedIn: p.CheckedIn, Position: p.Position, Ahead: p.Ahead, WithDoctor: p.WithDoctor,
		Start: p.Start.In(loc), Date: p.Day, Branch: branch, Phone: Phone(p.PatientPhone, st.Phone),
		PatientName: orNil(PatientName(p.PatientName, st.PatientName)),
		DoctorName:  orNil(DoctorName(p.DoctorName, st.DoctorName))}
	if p.ETA != nil && p.Status == scheduling.StatusWaiting {
		v.ETA = &eta.Range{From: p.ETA.From.In(loc), To: p.ETA.To.In(loc)}
	}
	return v
}

func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WhereAmI answers "where am I in line?" for the patient with that phone number, as the bots ask it:
// the places of their sessions today (today at each session's branch), in start order, masked as the
// clinic's settings say. None when no patient has that number or they have no session today.
func (s *Store) WhereAmI(ctx context.Context, q *queue.Service, phone string) ([]View, error) {
	places, err := q.PlacesByPhone(ctx, phone)
	if err != nil || len(places) == 0 {
		return nil, err
	}
	st, err := s.Get(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]scheduling.ID, len(places))
	for i, p := range places {
		ids[i] = p.BranchID
	}
	rows, err := s.db.Query(ctx, `SELECT id, name FROM branches WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("branch names: %w", err)
	}
	names := map[scheduling.ID]string{}
	var id scheduling.ID
	var name string
	if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error { names[id] = name; return nil }); err != nil {
		return nil, fmt.Errorf("branch names: %w", err)
	}
	out := make([]View, len(places))
	for i := range places {
		out[i] = Mask(&places[i], names[places[i].BranchID], st)
	}
	return out, nil
}
