package billing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// TestBookingWrittenWithItsDraftIsAllOrNothing: a booking written in one batch with its draft priced
// from memory leaves exactly one session, one audit row and one draft per booking, also when the
// remembered prices turned out stale or the patient has money records (the batch is undone and the
// booking written again from fresh reads) and when the slot is taken (nothing is written).
func TestBookingWrittenWithItsDraftIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// batched counts the bookings whose draft went in one batch with the session, and undone those
	// whose batch the draft statement undid; bookings are written one at a time.
	var batched, undone int
	listener := billing.NewSessionListener()
	prepare := listener.Prepare
	listener.Prepare = func(ctx context.Context, db scheduling.DB, ch scheduling.Change) (scheduling.Prepared, bool, error) {
		p, ok, err := prepare(ctx, db, ch)
		if ok {
			batched++
			scan := p.Scan
			p.Scan = func(row pgx.Row) error {
				err := scan(row)
				if errors.Is(err, scheduling.ErrUnprepared) {
					undone++
				}
				return err
			}
		}
		return p, ok, err
	}
	b := schedtest.NewWith(t, scheduling.Config{Listeners: []scheduling.Listener{listener}})
	c := schedtest.NewClinic(t, b.Svc)
	store := billing.NewStore(b.Pool, nil)
	patients := make([]scheduling.ID, 5)
	for i := range patients {
		patients[i] = c.AddPatient(t, b.Svc, i).ID
	}
	counts := func(step string, want int) {
		t.Helper()
		var sessions, events, invoices, lines int
		require.NoError(t, b.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM sessions),
			(SELECT count(*) FROM session_events WHERE action = 'booked'), (SELECT count(*) FROM invoices),
			(SELECT count(*) FROM invoice_lines)`).Scan(&sessions, &events, &invoices, &lines))
		require.Equal(t, []int{want, want, want, want}, []int{sessions, events, invoices, lines}, step)
	}
	book := func(i int, step string) *billing.SavedInvoice {
		t.Helper()
		in := c.Booking(c.At(5, 8+i, 0))
		in.PatientID = patients[i]
		sess, err := b.Svc.Book(ctx, "desk", in)
		require.NoError(t, err, step)
		require.NotZero(t, sess.ID, step)
		saved, err := store.SessionInvoice(ctx, sess.ID)
		require.NoError(t, err, step)
		require.Equal(t, sess.ID, saved.SessionID, step)
		require.Equal(t, billing.StatusDraft, saved.Status, step)
		return saved
	}

	first := book(0, "read from the database")
	counts("first", 1)
	require.Equal(t, []int{0, 0}, []int{batched, undone}, "nothing remembered yet")
	require.Equal(t, first.Total, book(1, "priced from memory").Total)
	counts("from memory", 2)
	require.Equal(t, []int{1, 0}, []int{batched, undone}, "written in one batch")

	_, err := b.Pool.Exec(ctx, `INSERT INTO examination_prices (examination_id, branch_id, price) VALUES ($1, $2, 4321)`,
		c.Consultation.ID, c.Branch.ID)
	require.NoError(t, err)
	require.EqualValues(t, 4321, book(2, "stale prices in memory").Subtotal)
	counts("after stale prices", 3)
	require.Equal(t, []int{2, 1}, []int{batched, undone}, "the batch with stale prices undone")

	_, err = store.AddPackage(ctx, "test", patients[3], billing.PackageInput{Name: "One consultation",
		ExaminationIDs: []scheduling.ID{c.Consultation.ID}, Uses: ptr[int64](1)})
	require.NoError(t, err)
	require.Positive(t, book(3, "patient with a package").PackageCovered)
	counts("after a patient with records", 4)
	require.Equal(t, []int{3, 2}, []int{batched, undone}, "the batch for a patient with records undone")

	taken := c.Booking(c.At(5, 8, 0))
	taken.PatientID = patients[4]
	_, err = b.Svc.Book(ctx, "desk", taken)
	require.True(t, scheduling.IsCode(err, scheduling.CodeSlotTaken), "got %v", err)
	counts("after a taken slot", 4)
}
