package scheduling_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

func TestSessionListsCarryPatientAndDoctorNames(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	s := schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0))))(t)

	page, err := b.Svc.ListSessions(ctx, scheduling.SessionFilter{BranchID: c.Branch.ID, From: date(5), To: date(5)})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, "Maria Silva", page.Items[0].PatientName)
	require.Equal(t, "Ana Ferreira", page.Items[0].DoctorName)
	got := schedtest.Must(b.Svc.GetSession(ctx, s.ID))(t)
	require.Equal(t, "Maria Silva", got.PatientName)
	require.Equal(t, "Ana Ferreira", got.DoctorName)
}

func date(day int) scheduling.Date { return scheduling.Date{Year: 2027, Month: 1, Day: day} }

// twoDoctors adds a second doctor and patient, so that InsertSessions can put two sessions at each start.
func twoDoctors(t *testing.T, b *schedtest.Bundle, c *schedtest.Clinic) (doctors, patients []scheduling.ID) {
	ctx := context.Background()
	d := schedtest.Must(b.Svc.CreateDoctor(ctx, "Bruno Costa", ""))(t)
	p := schedtest.Must(b.Svc.CreatePatient(ctx, scheduling.PatientInput{Name: "Rui Sousa", Phone: "+351934567890"}))(t)
	return []scheduling.ID{c.Doctor.ID, d.ID}, []scheduling.ID{c.Patient.ID, p.ID}
}

// collect follows next_cursor from the first page to the last and returns every session and each page's size.
func collect(t *testing.T, svc *scheduling.Service, f scheduling.SessionFilter) (all []scheduling.Session, sizes []int) {
	t.Helper()
	for {
		page, err := svc.ListSessions(context.Background(), f)
		require.NoError(t, err)
		all, sizes = append(all, page.Items...), append(sizes, len(page.Items))
		if page.NextCursor == "" {
			return all, sizes
		}
		f.Cursor = page.NextCursor
		require.Less(t, len(sizes), 20, "paging does not end")
	}
}

func TestListSessionsPagesThrough1200Sessions(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	doctors, patients := twoDoctors(t, b, c)
	ids := schedtest.InsertSessions(t, b.Pool, c, c.At(5, 0, 0), 1200, doctors, patients) // 600 starts, two sessions each
	f := scheduling.SessionFilter{BranchID: c.Branch.ID, From: date(5), To: date(10)}

	for _, tc := range []struct {
		limit int
		sizes []int
	}{{0, []int{500, 500, 200}}, {333, []int{333, 333, 333, 201}}, {1000, []int{1000, 200}}} {
		f.Limit = tc.limit
		all, sizes := collect(t, b.Svc, f)
		require.Equal(t, tc.sizes, sizes, "limit %d", tc.limit)
		got := make([]scheduling.ID, len(all))
		for i, s := range all {
			got[i] = s.ID
			if i > 0 {
				prev := all[i-1]
				require.True(t, prev.Start.Before(s.Start) || prev.Start.Equal(s.Start) && prev.ID < s.ID,
					"in start order, then by id: %v %d before %v %d", prev.Start, prev.ID, s.Start, s.ID)
			}
		}
		require.ElementsMatch(t, ids, got, "every session exactly once")
		require.Len(t, all[len(all)-1].Examinations, 1, "every page carries its examinations")
	}

	// Newest first pages the other way over the same sessions.
	all, _ := collect(t, b.Svc, scheduling.SessionFilter{PatientID: patients[1], NewestFirst: true, Limit: 250})
	require.Len(t, all, 600)
	require.True(t, slices.IsSortedFunc(all, func(x, y scheduling.Session) int { return y.Start.Compare(x.Start) }))

	f.Limit = scheduling.MaxSessionPage + 1
	_, err := b.Svc.ListSessions(context.Background(), f)
	requireCode(t, err, scheduling.KindRule, "invalid_limit")
}

func TestListSessionsCursorIsBoundToItsFilter(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	schedtest.InsertSessions(t, b.Pool, c, c.At(5, 9, 0), 3, []scheduling.ID{c.Doctor.ID}, []scheduling.ID{c.Patient.ID})
	ctx := context.Background()
	f := scheduling.SessionFilter{BranchID: c.Branch.ID, From: date(5), To: date(5), Limit: 1}
	page, err := b.Svc.ListSessions(ctx, f)
	require.NoError(t, err)
	require.NotEmpty(t, page.NextCursor)

	for _, other := range []scheduling.SessionFilter{
		{BranchID: c.Branch.ID, From: date(5), To: date(6), Cursor: page.NextCursor},
		{BranchID: c.Branch.ID, From: date(5), To: date(5), Status: scheduling.StatusWaiting, Cursor: page.NextCursor},
		{PatientID: c.Patient.ID, Cursor: page.NextCursor},
		{BranchID: c.Branch.ID, From: date(5), To: date(5), Cursor: page.NextCursor[:len(page.NextCursor)-2]},
		{BranchID: c.Branch.ID, From: date(5), To: date(5), Cursor: "!!"},
	} {
		_, err := b.Svc.ListSessions(ctx, other)
		requireCode(t, err, scheduling.KindInvalid, "invalid_cursor")
	}
	f.Cursor, f.Limit = page.NextCursor, 5
	page, err = b.Svc.ListSessions(ctx, f)
	require.NoError(t, err, "another page size is the same list")
	require.Len(t, page.Items, 2)
}

func TestListSessionsTakesTheLargestIDs(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	schedtest.Must(b.Svc.Book(ctx, "desk", c.Booking(c.At(5, 9, 0))))(t)
	const big = scheduling.ID(math.MaxInt64)
	for _, f := range []scheduling.SessionFilter{
		{PatientID: big},
		{BranchID: c.Branch.ID, From: date(5), To: date(5), DoctorID: big},
		{BranchID: c.Branch.ID, From: date(5), To: date(5), PatientID: big},
		{PatientID: c.Patient.ID, DoctorID: big},
	} {
		page, err := b.Svc.ListSessions(ctx, f)
		require.NoError(t, err, "%+v", f)
		require.Empty(t, page.Items)
	}
	_, err := b.Svc.ListSessions(ctx, scheduling.SessionFilter{BranchID: big, From: date(5), To: date(5)})
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
}
