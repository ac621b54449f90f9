package console

import (
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
)

func TestTaxRatesAreReadAsExactBasisPoints(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"23": 2300, "6.5": 650, "6,5": 650, "0.25": 25, "0": 0, " 13 % ": 1300, "8.88": 888} {
		got, err := basisPoints(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "x", "-5", "6.125", "1e3", "99999", "6.5.1"} {
		_, err := basisPoints(bad)
		require.Error(t, err, bad)
	}
	for bp, want := range map[int]string{2300: "23", 650: "6.5", 25: "0.25", 0: "0", 888: "8.88", 100000: "1000"} {
		require.Equal(t, want, percentOf(bp))
	}
}

func TestTypedTimesAreWrittenAsTheCoreReadsThem(t *testing.T) {
	t.Parallel()
	require.Equal(t, "09:00", clockOf("9:00"))
	require.Equal(t, "09:30", clockOf("09:30:00"))
	require.Equal(t, "nine", clockOf("nine"))
	require.Equal(t, "24:00", endClock("00:00"), "an end at midnight is the end of the day")
	require.Equal(t, "00:00", shownEnd("24:00"))
	require.Equal(t, "17:00", endClock("17:00"))
}

func TestWeekSummaryJoinsDaysWithTheSameHours(t *testing.T) {
	t.Parallel()
	h := func(wd int, start, end string) scheduling.WeeklyHours {
		return scheduling.WeeklyHours{Weekday: wd, Start: start, End: end}
	}
	require.Equal(t, "", weekSummary(nil))
	require.Equal(t, "Mon–Wed 09:00–13:00; Fri 09:00–13:00, 14:00–18:00; Sun 10:00–12:00", weekSummary([]scheduling.WeeklyHours{
		h(1, "09:00", "13:00"), h(2, "09:00", "13:00"), h(3, "09:00", "13:00"),
		h(5, "09:00", "13:00"), h(5, "14:00", "18:00"), h(7, "10:00", "12:00")}))
}
