package availability

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLocalSpansOnClockChanges lays local hours out as instants on the days Lisbon changes its clocks:
// the whole day lasts 23 and 25 hours, an hour the clock skips is empty, and a repeated one counts once.
func TestLocalSpansOnClockChanges(t *testing.T) {
	t.Parallel()
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	require.NoError(t, err)
	spring, autumn := Date{2027, time.March, 28}, Date{2027, time.October, 31}
	day := []Span{{0, 1440}}

	got := LocalSpans(lisbon, spring, day)
	require.Len(t, got, 1)
	require.Equal(t, 23*time.Hour, got[0].End.Sub(got[0].Start))
	got = LocalSpans(lisbon, autumn, day)
	require.Len(t, got, 1)
	require.Equal(t, 25*time.Hour, got[0].End.Sub(got[0].Start))

	// 01:00–02:00 does not exist on the spring day; 01:30–03:00 starts at the jump.
	got = LocalSpans(lisbon, spring, []Span{{60, 120}, {90, 180}, {600, 660}})
	require.Len(t, got, 2)
	require.Equal(t, time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC), got[0].Start.UTC())
	require.Equal(t, time.Hour, got[0].End.Sub(got[0].Start))
	require.Equal(t, time.Date(2027, 3, 28, 9, 0, 0, 0, time.UTC), got[1].Start.UTC(), "10:00 summer time")

	// 01:00–02:00 happens twice on the autumn day; a span from 01:30 starts at its first occurrence.
	got = LocalSpans(lisbon, autumn, []Span{{90, 150}})
	require.Len(t, got, 1)
	require.Equal(t, time.Date(2027, 10, 31, 0, 30, 0, 0, time.UTC), got[0].Start.UTC())
	require.Equal(t, 2*time.Hour, got[0].End.Sub(got[0].Start))
}
