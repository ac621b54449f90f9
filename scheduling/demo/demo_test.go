package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/demo"
	"clinic/scheduling/schedtest"
)

// TestDemoWeekOnEveryWeekday loads the demo with the clock on each day of a week, at hours from before
// the branches open to after they close: every day a branch opens has bookings, today's past hours
// have visits already seen, and no patient is ever in two sessions at once.
func TestDemoWeekOnEveryWeekday(t *testing.T) {
	t.Parallel()
	hours := []int{7, 10, 13, 16, 19, 22, 1}
	for i, hour := range hours {
		now := time.Date(2027, 3, 8+i, hour, 17, 0, 0, time.UTC) // Monday 8 to Sunday 14 March 2027
		t.Run(now.Format("Monday 15:04"), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := schedtest.New(t)
			*b.Clock = now
			sum, err := demo.Load(ctx, b.Svc, now)
			require.NoError(t, err)
			require.Equal(t, 20, sum.Patients)

			var overlaps int
			require.NoError(t, b.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions a JOIN sessions b
				ON a.patient_id = b.patient_id AND a.id < b.id
				AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
				WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'`).Scan(&overlaps))
			require.Zero(t, overlaps, "a patient is booked twice at once")

			branches := schedtest.Must(b.Svc.ListBranches(ctx))(t)
			require.Len(t, branches, 2)
			for _, br := range branches {
				loc, err := scheduling.LoadLocation(br.Timezone)
				require.NoError(t, err)
				today := scheduling.DateOf(now.In(loc))
				week := scheduling.DateOf(now.In(loc).AddDate(0, 0, 6))
				perDay := map[scheduling.Date]int{}
				for _, s := range sessionsAt(t, b, br.ID) {
					perDay[scheduling.DateOf(s.start.In(loc))]++
				}
				blocks := schedtest.Must(b.Svc.ListBlocks(ctx, br.ID, today, week))(t)
				for d := range 7 {
					day := now.In(loc).AddDate(0, 0, d)
					if opens(br, blocks, day) {
						require.NotZero(t, perDay[scheduling.DateOf(day)], "%s has no bookings on %s", br.Name, day.Format("Monday 2 January"))
					}
				}
			}
		})
	}
}

type booked struct {
	start, end time.Time
	status     string
}

// sessionsAt reads every session of a branch.
func sessionsAt(t *testing.T, b *schedtest.Bundle, branch scheduling.ID) []booked {
	t.Helper()
	rows, err := b.Pool.Query(context.Background(), `SELECT starts_at, ends_at, status FROM sessions WHERE branch_id = $1`, branch)
	require.NoError(t, err)
	var out []booked
	for rows.Next() {
		var s booked
		require.NoError(t, rows.Scan(&s.start, &s.end, &s.status))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

// opens reports whether the branch has opening hours on day's weekday and no branch-wide closure that
// day.
func opens(br scheduling.Branch, blocks []scheduling.Block, day time.Time) bool {
	weekday := int(day.Weekday())
	if weekday == 0 {
		weekday = 7
	}
	for _, blk := range blocks {
		if blk.DoctorID == nil && blk.RoomID == nil && scheduling.DateOf(blk.Start) == scheduling.DateOf(day) {
			return false
		}
	}
	for _, h := range br.Hours {
		if h.Weekday == weekday {
			return true
		}
	}
	return false
}

func TestDemoTodayAndPrices(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := schedtest.New(t)
	now := time.Date(2027, 3, 10, 11, 5, 0, 0, time.UTC) // Wednesday, 11:05 in Lisbon
	*b.Clock = now
	_, err := demo.Load(ctx, b.Svc, now)
	require.NoError(t, err)

	branches := schedtest.Must(b.Svc.ListBranches(ctx))(t)
	lisbon, ny := branches[0], branches[1]
	require.Equal(t, []string{"EUR", "USD"}, []string{lisbon.Currency, ny.Currency})
	lis, err := scheduling.LoadLocation(lisbon.Timezone)
	require.NoError(t, err)
	today := scheduling.DateOf(now.In(lis))
	statuses := map[string]int{}
	for _, s := range sessionsAt(t, b, lisbon.ID) {
		if scheduling.DateOf(s.start.In(lis)) != today {
			continue
		}
		statuses[s.status]++
		if s.end.Before(now) {
			require.Equal(t, scheduling.StatusCompleted, s.status, "a visit over before now was seen")
		}
	}
	require.NotZero(t, statuses[scheduling.StatusCompleted], "this morning's visits: %v", statuses)
	require.NotZero(t, statuses[scheduling.StatusOpen], "a visit under way at 11:05: %v", statuses)
	require.NotZero(t, statuses[scheduling.StatusWaiting], "visits still to come: %v", statuses)
	require.NotZero(t, statuses[scheduling.StatusCancelled], "a cancelled visit: %v", statuses)

	exams := schedtest.Must(b.Svc.ListExaminations(ctx, 0))(t)
	require.Equal(t, "GP01", exams[0].Code)
	require.Equal(t, int64(6000), exams[0].PriceAt(lisbon.ID), "60.00 EUR in Lisbon")
	require.Equal(t, int64(15000), exams[0].PriceAt(ny.ID), "150.00 USD in New York")
}
