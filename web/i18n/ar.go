package i18n

import "golang.org/x/text/feature/plural"

// arabic is the Arabic catalog (read right to left).
var arabic = entries{
	"language":      text("اللغة"),
	"tracker.title": text("دورك في الانتظار"),

	"tracker.waiting": text("أنت في قائمة الانتظار"),
	"tracker.ahead": plural.Selectf(1, "%d",
		"=0", "أنت التالي",
		"one", "شخص واحد قبلك",
		"two", "شخصان قبلك",
		"few", "%[1]d أشخاص قبلك",
		"many", "%[1]d شخصًا قبلك",
		"other", "%[1]d شخص قبلك"),
	"tracker.position":    text("ترتيبك في الدور: %s"),
	"tracker.eta":         text("الموعد المتوقع بين %s و%s"),
	"tracker.eta_at":      text("الموعد المتوقع نحو %s"),
	"tracker.appointment": text("الموعد"),

	"tracker.open":             text("حان دورك"),
	"tracker.open_detail":      text("تفضّل بالدخول الآن."),
	"tracker.completed":        text("اكتملت زيارتك"),
	"tracker.completed_detail": text("شكرًا لزيارتك. يمكنك إغلاق هذه الصفحة."),
	"tracker.cancelled":        text("أُلغيت هذه الزيارة"),
	"tracker.no_show":          text("فاتك هذا الموعد"),
	"tracker.contact_clinic":   text("إن لم تكن تتوقع ذلك، يُرجى التواصل مع العيادة."),

	"tracker.patient": text("المريض"),
	"tracker.doctor":  text("الطبيب"),
	"tracker.clinic":  text("العيادة"),
	"tracker.phone":   text("الهاتف"),

	"tracker.live":         text("تُحدَّث هذه الصفحة تلقائيًا."),
	"tracker.reconnecting": text("انقطع الاتصال. جارٍ إعادة الاتصال…"),

	"tracker.not_found":          text("الرابط غير صالح"),
	"tracker.not_found_detail":   text("رابط المتابعة هذا غير معروف أو انتهت صلاحيته. يُرجى طلب رابط جديد من مكتب الاستقبال."),
	"tracker.unavailable":        text("لا يمكن عرض دورك الآن"),
	"tracker.unavailable_detail": text("يُرجى المحاولة مرة أخرى بعد قليل."),
}
