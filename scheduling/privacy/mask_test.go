package privacy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPatientName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule, name, mode, want string
	}{
		{"full keeps the name", "Maria Silva", NameFull, "Maria Silva"},
		{"full tidies spaces", "  Maria \t  da   Silva ", NameFull, "Maria da Silva"},
		{"first name and last initial", "Maria da Silva", NameFirstInitial, "Maria S."},
		{"initials of every word", "Maria da Silva", NameInitials, "M. D. S."},
		{"hidden shows nothing", "Maria Silva", NameHidden, ""},
		{"an unknown rule hides", "Maria Silva", "everything", ""},
		{"one word: first_initial keeps it", "Cher", NameFirstInitial, "Cher"},
		{"one word: initials", "Cher", NameInitials, "C."},
		{"lower-case initials are capitalised", "ana lima", NameInitials, "A. L."},
		{"an empty name", "   ", NameFull, ""},
		{"an empty name masked", "", NameInitials, ""},
		{"accents typed as two code points stay one letter", "E\u0301lodie Dubois", NameInitials, "É. D."},
		{"a name starting with an accented letter", "Ólafur Arnalds", NameFirstInitial, "Ólafur A."},
		{"hyphenated family name", "Jean-Luc Picard", NameInitials, "J. P."},
		{"leading punctuation is skipped", "Ana (Nina) Lopes", NameInitials, "A. N. L."},
		{"non-breaking spaces split words", "Ana\u00a0Lopes", NameFirstInitial, "Ana L."},
		{"direction marks are dropped", "\u200fAna\u200e Lopes", NameFull, "Ana Lopes"},
		{"Greek", "Σοφία Παπαδοπούλου", NameFirstInitial, "Σοφία Π."},
		{"CJK", "王 小明", NameInitials, "王. 小."},

		{"Arabic full", "محمد  عبد الله", NameFull, "محمد عبد الله"},
		{"Arabic first_initial", "محمد علي", NameFirstInitial, "محمد ع."},
		{"Arabic initials", "فاطمة الزهراء حسن", NameInitials, "ف. ز. ح."},
		{"Arabic article is skipped for the initial", "خالد الأحمد", NameFirstInitial, "خالد أ."},
		{"Arabic vowel marks stay with their letter", "مُحمد سَعيد", NameInitials, "مُ. سَ."},
		{"Arabic one word", "ليلى", NameFirstInitial, "ليلى"},
		{"Arabic one word initials", "ليلى", NameInitials, "ل."},
		{"Arabic hidden", "محمد علي", NameHidden, ""},
		{"a short word starting with ال is a name", "ال", NameInitials, "ا."},
	}
	for _, c := range cases {
		require.Equal(t, c.want, PatientName(c.name, c.mode), c.rule)
	}
}

func TestDoctorName(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Dr Ana Costa", DoctorName(" Dr  Ana Costa", DoctorShown))
	require.Equal(t, "د. سارة يوسف", DoctorName("د. سارة  يوسف", DoctorShown))
	require.Equal(t, "", DoctorName("Dr Ana Costa", DoctorHidden))
	require.Equal(t, "", DoctorName("د. سارة يوسف", DoctorHidden))
	require.Equal(t, "", DoctorName("Dr Ana Costa", "maybe"))
}

func TestPhone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule, phone, mode, want string
	}{
		{"last four digits", "+351912345678", PhoneLastDigits, "•••• 5678"},
		{"Arabic-region number", "+971501234567", PhoneLastDigits, "•••• 4567"},
		{"formatting is ignored", "+1 (555) 010-9999", PhoneLastDigits, "•••• 9999"},
		{"a short number shows a third of its digits", "1234567", PhoneLastDigits, "•••• 567"},
		{"too short to show any", "+12345", PhoneLastDigits, ""},
		{"hidden", "+351912345678", PhoneHidden, ""},
		{"an unknown rule hides", "+351912345678", "all", ""},
		{"no phone", "", PhoneLastDigits, ""},
	}
	for _, c := range cases {
		require.Equal(t, c.want, Phone(c.phone, c.mode), c.rule)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, Defaults.Validate())
	bad := Defaults
	bad.PatientName = "initial"
	require.ErrorContains(t, bad.Validate(), "patient_name must be one of full, first_initial, initials or hidden")
	bad = Defaults
	bad.Phone = ""
	require.ErrorContains(t, bad.Validate(), "phone is required")
	bad = Defaults
	bad.DefaultLanguage = "fr"
	require.ErrorContains(t, bad.Validate(), "default_language must be one of en or ar")
}
