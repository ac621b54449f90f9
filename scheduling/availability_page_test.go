package scheduling_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// moreDoctors adds n doctors who attend the clinic's branch at the standard hours and perform the
// consultation and the ECG, so that several doctors offer the same starts.
func moreDoctors(t *testing.T, b *schedtest.Bundle, c *schedtest.Clinic, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		d := schedtest.Must(b.Svc.CreateDoctor(ctx, "Doctor "+string(rune('B'+i)), ""))(t)
		schedtest.Must(b.Svc.SetAttendance(ctx, scheduling.Attendance{DoctorID: d.ID, BranchID: c.Branch.ID, Weekly: schedtest.Hours()}))(t)
		_, err := b.Pool.Exec(ctx, `INSERT INTO examination_doctors (examination_id, doctor_id) VALUES ($1, $3), ($2, $3)`,
			c.Consultation.ID, c.ECG.ID, d.ID)
		require.NoError(t, err)
	}
}

// allPages follows the cursors of q with the given page size and returns every slot in order.
func allPages(t *testing.T, svc *scheduling.Service, q scheduling.AvailabilityQuery, limit int) []scheduling.Slot {
	t.Helper()
	q.Limit = limit
	var out []scheduling.Slot
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10000, "the cursors never end")
		page, err := svc.AvailabilityPage(context.Background(), q)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Slots), limit)
		out = append(out, page.Slots...)
		if page.NextCursor == "" {
			return out
		}
		require.Len(t, page.Slots, limit, "only the last page is short")
		q.Cursor = page.NextCursor
	}
}

// TestAvailabilityPagesAreTheWholeAnswerInPieces: following the cursors yields exactly the slots of the
// answer computed in one piece, with no slot twice and none missing, also when a page ends between
// doctors offering the same start, when a session needs a room, and for an online channel.
func TestAvailabilityPagesAreTheWholeAnswerInPieces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	moreDoctors(t, b, c, 2)
	// Bookings and a block shift each doctor's rhythm differently.
	schedtest.Must(b.Svc.Book(ctx, "t", c.Booking(c.At(5, 8, 10))))(t)
	schedtest.Must(b.Svc.CreateBlock(ctx, scheduling.BlockInput{BranchID: c.Branch.ID, DoctorID: &c.Doctor.ID,
		Start: c.At(6, 9, 5), End: c.At(6, 10, 0), Reason: "meeting"}))(t)

	base := scheduling.AvailabilityQuery{BranchID: c.Branch.ID, ExaminationIDs: []scheduling.ID{c.Consultation.ID},
		From: scheduling.Date{Year: 2027, Month: time.January, Day: 5}, To: scheduling.Date{Year: 2027, Month: time.January, Day: 9}}
	ecg := base
	ecg.ExaminationIDs = []scheduling.ID{c.ECG.ID, c.Consultation.ID}
	online := base
	online.Channel = scheduling.ChannelWebForm
	oneDoctor := base
	oneDoctor.DoctorID = c.Doctor.ID
	for name, q := range map[string]scheduling.AvailabilityQuery{"every doctor": base, "with a room": ecg,
		"online": online, "one doctor": oneDoctor} {
		whole, err := b.Svc.AvailabilityPage(ctx, q)
		require.NoError(t, err)
		require.Empty(t, whole.NextCursor, "%s: the whole answer fits one page", name)
		require.Greater(t, len(whole.Slots), 50, name)
		for _, limit := range []int{1, 7, 30} {
			require.Equal(t, whole.Slots, allPages(t, b.Svc, q, limit), "%s, pages of %d", name, limit)
		}
	}
}

// TestHugeAvailabilityAnswersABoundedPage: the longest range, ten doctors and a one-minute rhythm are
// nearly half a million slots; one request answers the first page and a cursor for the rest.
func TestHugeAvailabilityAnswersABoundedPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	moreDoctors(t, b, c, 9)
	one, no, price := 1, false, int64(100)
	quick := schedtest.Must(b.Svc.CreateExamination(ctx, scheduling.ExaminationInput{Code: "BP", Name: "Blood pressure",
		Price: &price, DurationMinutes: &one, Taxable: &no, BranchIDs: []scheduling.ID{c.Branch.ID},
		DoctorIDs: []scheduling.ID{c.Doctor.ID}}))(t)
	_, err := b.Pool.Exec(ctx, `INSERT INTO examination_doctors (examination_id, doctor_id)
		SELECT $1, id FROM doctors WHERE id <> $2`, quick.ID, c.Doctor.ID)
	require.NoError(t, err)

	from := scheduling.Date{Year: 2027, Month: time.January, Day: 4}
	q := scheduling.AvailabilityQuery{BranchID: c.Branch.ID, ExaminationIDs: []scheduling.ID{quick.ID}, From: from,
		To: scheduling.Date{Year: 2027, Month: time.April, Day: 6}}
	page, err := b.Svc.AvailabilityPage(ctx, q)
	require.NoError(t, err)
	require.Len(t, page.Slots, scheduling.DefaultSlotPage)
	require.NotEmpty(t, page.NextCursor)
	// 2000 one-minute starts of ten doctors side by side: the first 200 minutes of opening time.
	require.Equal(t, c.At(4, 8, 0), page.Slots[0].Start)
	require.Equal(t, c.At(4, 11, 19), page.Slots[len(page.Slots)-1].Start)

	q.Cursor, q.Limit = page.NextCursor, 10
	next, err := b.Svc.AvailabilityPage(ctx, q)
	require.NoError(t, err)
	require.Len(t, next.Slots, 10)
	require.Equal(t, c.At(4, 11, 20), next.Slots[0].Start, "the next page starts where the first ended")
}

// TestAvailabilityPageLimitsAndCursors: a cursor is bound to the query it came from; the page size
// has a ceiling.
func TestAvailabilityPageLimitsAndCursors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	q := scheduling.AvailabilityQuery{BranchID: c.Branch.ID, ExaminationIDs: []scheduling.ID{c.Consultation.ID},
		From: scheduling.Date{Year: 2027, Month: time.January, Day: 5}, To: scheduling.Date{Year: 2027, Month: time.January, Day: 6}, Limit: 3}
	page, err := b.Svc.AvailabilityPage(ctx, q)
	require.NoError(t, err)
	require.Len(t, page.Slots, 3)
	require.NotEmpty(t, page.NextCursor)

	for name, edit := range map[string]func(q *scheduling.AvailabilityQuery){
		"an altered cursor":         func(q *scheduling.AvailabilityQuery) { q.Cursor = alter(page.NextCursor) },
		"not a cursor":              func(q *scheduling.AvailabilityQuery) { q.Cursor = "%%%" },
		"a cursor of another range": func(q *scheduling.AvailabilityQuery) { q.To.Day = 7 },
		"a cursor of another channel": func(q *scheduling.AvailabilityQuery) {
			q.Channel = scheduling.ChannelTelegram
		},
		"a cursor of other examinations": func(q *scheduling.AvailabilityQuery) {
			q.ExaminationIDs = []scheduling.ID{c.ECG.ID}
		},
	} {
		bad := q
		bad.Cursor = page.NextCursor
		edit(&bad)
		_, err := b.Svc.AvailabilityPage(ctx, bad)
		requireKind(t, err, scheduling.KindInvalid, "invalid_cursor", name)
	}

	// The page size may change from one page to the next.
	q.Cursor, q.Limit = page.NextCursor, 0
	rest, err := b.Svc.AvailabilityPage(ctx, q)
	require.NoError(t, err)
	require.Empty(t, rest.NextCursor)
	require.Len(t, rest.Slots, 40-3)

	q.Cursor, q.Limit = "", scheduling.MaxSlotPage+1
	_, err = b.Svc.AvailabilityPage(ctx, q)
	requireKind(t, err, scheduling.KindRule, "invalid_limit", "over the ceiling")
}

// alter changes one character of s.
func alter(s string) string {
	b := []byte(s)
	if b[len(b)/2] == 'A' {
		b[len(b)/2] = 'B'
	} else {
		b[len(b)/2] = 'A'
	}
	return string(b)
}

func requireKind(t *testing.T, err error, kind scheduling.Kind, code, name string) {
	t.Helper()
	var e *scheduling.Error
	require.ErrorAs(t, err, &e, name)
	require.Equal(t, kind, e.Kind, "%s: %v", name, err)
	require.Equal(t, code, e.Code, name)
}
