package record

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseDecimalKeepsTheNumberExactly(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"36.6":     "36.6",
		"72.50":    "72.5",
		"3.66e1":   "36.6",
		"0.3":      "0.3",
		"120":      "120",
		"120.000":  "120",
		"-2.25":    "-2.25",
		"0.000001": "0.000001",
		"1E2":      "100",
	} {
		d, ok := ParseDecimal(in)
		require.True(t, ok, in)
		require.Equal(t, want, d.String(), in)
		out, err := json.Marshal(d)
		require.NoError(t, err)
		require.Equal(t, want, string(out), "answered digit for digit")
	}
}

func TestParseDecimalRefusesWhatIsNoMeasure(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "abc", `"36.6"`, "true", "null", "0.0000001", "1e999999999", "1e-50", "+1", ".5", "1.", "NaN", "[1]"} {
		_, ok := ParseDecimal(in)
		require.False(t, ok, in)
	}
}

func TestDecimalCompareAndScale(t *testing.T) {
	t.Parallel()
	a, _ := ParseDecimal("45.0")
	b, _ := ParseDecimal("45.01")
	require.Equal(t, -1, a.Cmp(b))
	require.Equal(t, 2, b.Scale())
	require.Equal(t, 0, a.Scale(), "45.0 is kept as 45")
	require.True(t, a.IsInt(), "45.0 is the whole number 45")
	require.False(t, b.IsInt())
	var empty Decimal
	require.True(t, empty.IsZero())
	require.Equal(t, 0, empty.Rat().Sign(), "no number reads as zero, never as nil")
	out, _ := json.Marshal(empty)
	require.Equal(t, "null", string(out))
}

// TestBMI: weight / height², rounded half up to one decimal, computed exactly (a float would put
// 24.95 at 24.9499… and round it down).
func TestBMI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ weight, height, want string }{
		{"70", "175", "22.9"},    // 22.857…
		{"72.5", "180", "22.4"},  // 22.376…
		{"24.95", "100", "25.0"}, // exactly 24.95: half up
		{"80", "200", "20.0"},
		{"3.4", "50", "13.6"},
	} {
		w, _ := ParseDecimal(tc.weight)
		h, _ := ParseDecimal(tc.height)
		require.Equal(t, tc.want, BMI(w, h).String(), "%s kg, %s cm", tc.weight, tc.height)
	}
	w, _ := ParseDecimal("70")
	require.True(t, BMI(w, Decimal{}).IsZero(), "no height, no BMI")
	require.True(t, BMI(Decimal{}, w).IsZero(), "no weight, no BMI")
}
