package schedtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/scheduling"
)

// InsertSessions writes n waiting 10-minute consultations in the clinic's branch straight into the
// database, for lists that need more rows than booking one by one would make quickly. Session i goes
// to doctors[i%k] and patients[i%k] (k = len(doctors) = len(patients)) at start + (i/k)·10 minutes,
// so k sessions share each start and ties are broken by id. It returns the ids in insertion order.
func InsertSessions(t testing.TB, pool *pgxpool.Pool, c *Clinic, start time.Time, n int, doctors, patients []scheduling.ID) []scheduling.ID {
	t.Helper()
	if len(doctors) == 0 || len(doctors) != len(patients) {
		t.Fatalf("InsertSessions: give as many patients as doctors")
	}
	ctx := context.Background()
	rows, err := pool.Query(ctx, `INSERT INTO sessions (patient_id, branch_id, doctor_id, starts_at, ends_at, created_at, updated_at)
		SELECT ($1::bigint[])[1 + g % $2], $3, ($4::bigint[])[1 + g % $2],
			$5::timestamptz + (g / $2) * interval '10 minutes', $5::timestamptz + (g / $2 + 1) * interval '10 minutes', $6, $6
		FROM generate_series(0, $7 - 1) g ORDER BY g RETURNING id`,
		patients, len(doctors), c.Branch.ID, doctors, start, Now, n)
	if err != nil {
		t.Fatalf("InsertSessions: %v", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[scheduling.ID])
	if err != nil {
		t.Fatalf("InsertSessions: %v", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO session_examinations (session_id, position, examination_id, starts_at, ends_at)
		SELECT id, 0, $2, starts_at, ends_at FROM sessions WHERE id = ANY($1)`, ids, c.Consultation.ID); err != nil {
		t.Fatalf("InsertSessions: examinations: %v", err)
	}
	return ids
}
