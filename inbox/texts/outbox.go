package texts

// The texts the outbox sends by itself (channels/outbox): reminders before a visit and "your turn is
// near". Arguments are fmt verbs in the order the outbox passes them.

var outboxEnglish = map[string]string{
	// branch, doctor, date (YYYY-MM-DD), time (HH:MM), both local to the branch
	"outbox.reminder": "Reminder: your visit at %s with %s is on %s at %s. We look forward to seeing you.",
	// place in the doctor's line (1 is next), doctor
	"outbox.turn_near": "Your turn is near: you are number %d in line for %s. Please stay close to the consulting room.",
}

var outboxArabic = map[string]string{
	"outbox.reminder":  "تذكير: موعد زيارتك في %s مع %s يوم %s الساعة %s. نتطلع إلى رؤيتك.",
	"outbox.turn_near": "اقترب دورك: أنت رقم %d في الدور لدى %s. يُرجى البقاء قريبًا من غرفة الفحص.",
}

func init() {
	Register("en", outboxEnglish)
	Register("ar", outboxArabic)
}
