package dialogue

import (
	"strconv"
	"time"

	"clinic/inbox/texts"
)

// say is the patient text key in lang, filled with args.
func say(lang, key string, args ...any) string { return texts.T(lang, key, args...) }

// dayLabel names a local day the way a patient reads it: "Tue 5 Jan", "الثلاثاء 5 يناير".
func dayLabel(lang string, t time.Time) string {
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	return say(lang, "dialogue.date", say(lang, "dialogue.weekday."+strconv.Itoa(wd)), t.Day(),
		say(lang, "dialogue.month."+strconv.Itoa(int(t.Month()))))
}
