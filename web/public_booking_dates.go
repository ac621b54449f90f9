package web

import (
	"time"

	"clinic/web/i18n"
)

var (
	arabicWeekdays = [...]string{"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"}
	arabicMonths   = [...]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
		"سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}
)

// dayName writes a day the way a patient reads it: "Tuesday 5 January", "الثلاثاء ٥ يناير".
func dayName(lang string, t time.Time) string {
	if lang == i18n.Arabic {
		return arabicWeekdays[t.Weekday()] + " " + i18n.Number(lang, t.Day()) + " " + arabicMonths[t.Month()-1]
	}
	return t.Format("Monday 2 January")
}

// clockLabel is the time of day of t as lang reads it.
func clockLabel(lang string, t time.Time) string { return i18n.Clock(lang, t) }
