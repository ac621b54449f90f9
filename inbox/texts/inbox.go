package texts

// The inbox's texts: what patients receive when staff convert their request, when they cancel
// through their confirm link and when staff hand the conversation back to the assistant.

var inboxEnglish = map[string]string{
	// examinations, branch, doctor, date (YYYY-MM-DD), time (HH:MM) local to the branch, confirm link
	"inbox.confirmation": "Your visit is booked: %s at %s with %s on %s at %s. " +
		"Please open this link to confirm it; it also shows your place in the queue on the day and lets you cancel: %s",
	// date, time local to the branch
	"inbox.visit_cancelled": "Your visit on %s at %s is cancelled. Write to us here whenever you want to book again.",
	"inbox.handback":        "You are talking with our booking assistant again. Write anything to continue.",
}

var inboxArabic = map[string]string{
	"inbox.confirmation": "تم حجز زيارتك: %s في %s مع %s يوم %s الساعة %s. " +
		"يُرجى فتح هذا الرابط لتأكيدها؛ كما يعرض دورك في قائمة الانتظار يوم الزيارة ويتيح لك الإلغاء: %s",
	"inbox.visit_cancelled": "تم إلغاء زيارتك يوم %s الساعة %s. راسلنا هنا متى أردت الحجز من جديد.",
	"inbox.handback":        "أنت الآن تتحدث مع مساعد الحجز مرة أخرى. اكتب أي شيء للمتابعة.",
}

func init() {
	Register("en", inboxEnglish)
	Register("ar", inboxArabic)
}
