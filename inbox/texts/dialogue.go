package texts

// The booking chat's texts (channels/dialogue), shared by the website chatbot, WhatsApp and
// Telegram. Arguments are fmt verbs in the order the engine passes them.

var dialogueEnglish = map[string]string{
	"dialogue.unavailable": "Sorry, the chat cannot continue right now. You can still ask for a visit with our booking form: %s",
	"dialogue.timeout":     "That took a while, so let's start again.",
	"dialogue.lost":        "Sorry, I lost my place in our conversation, so let's start again.",
	"dialogue.welcome": "Hello! I can book a visit for you. At any time you can write \"status\" for your place in the queue, " +
		"\"my bookings\", \"human\" to talk to our staff, \"start over\" or \"language\".",
	"dialogue.welcome_back":   "Welcome back, %s! At any time you can write \"status\", \"my bookings\", \"human\", \"start over\" or \"language\".",
	"dialogue.ask_exam":       "What would you like to book?",
	"dialogue.no_exams":       "Sorry, there is nothing to book online at the moment.",
	"dialogue.choice_restart": "Start over",
	"dialogue.choice_human":   "Talk to our staff",
	"dialogue.ask_branch":     "Where would you like your %s?",
	"dialogue.any_doctor":     "Any doctor",
	"dialogue.ask_doctor":     "Which doctor would you like to see?",
	"dialogue.ask_day":        "Which day suits you?",
	"dialogue.no_days":        "Sorry, there are no free times online in the coming days. Our staff can help you find one.",
	"dialogue.day_full":       "Sorry, that day has just filled up.",
	"dialogue.ask_slot":       "These times are free on %s. Which one would you like?",
	"dialogue.slot_gone":      "Sorry, someone else has just taken that time. Here are the times still free.",
	"dialogue.ask_name":       "What is your full name?",
	"dialogue.help_name":      "Please write your name in letters.",
	"dialogue.ask_phone":      "What is your phone number, with the country code (for example +351 912 345 678)?",
	"dialogue.help_phone":     "That does not look like a phone number. Please write it with the country code, for example +351 912 345 678.",
	"dialogue.help_choice":    "Sorry, I did not understand. Please pick one of the choices, or write its number.",
	"dialogue.recorded": "Thank you, %s! We have your request for %s on %s at %s with %s at %s. " +
		"Our staff will confirm it shortly with a message here.",
	"dialogue.booked": "Thank you, %s! I am booking your %s on %s at %s with %s at %s. " +
		"The confirmation with its link follows in a moment.",
	"dialogue.booking_failed": "Sorry, that time could not be booked automatically. Our staff have your request " +
		"and will contact you here shortly.",
	"dialogue.cancelled":             "All right, I have stopped. Write anything when you want to start again.",
	"dialogue.status_none":           "I cannot find a visit for today with your phone number.",
	"dialogue.status_open":           "%s, your %s visit: it is your turn, please go in.",
	"dialogue.status_other":          "%s, your %s visit: it is no longer waiting in the queue.",
	"dialogue.status_waiting":        "%s, your %s visit: people ahead of you: %d. Expected between %s and %s.",
	"dialogue.status_waiting_no_eta": "%s, your %s visit: people ahead of you: %d.",
	"dialogue.human":                 "A member of our staff will answer you here shortly.",
	"dialogue.ask_language":          "Which language would you like?",
	"dialogue.language_set":          "I will write in English from now on.",
	"dialogue.bookings_unverified": "For your privacy I can show your bookings only once your phone number is confirmed, " +
		"by sharing your contact on Telegram, on WhatsApp, or through the link in your confirmation.",
	"dialogue.bookings_none":     "You have no upcoming visits.",
	"dialogue.bookings_list":     "Your upcoming visits. Pick one if you want to cancel it.",
	"dialogue.confirm_cancel":    "Cancel your visit on %s?",
	"dialogue.choice_yes_cancel": "Yes, cancel it",
	"dialogue.choice_no_keep":    "No, keep it",
	"dialogue.cancel_kept":       "All right, your visit stays booked.",
	"dialogue.cancel_failed":     "Sorry, this visit can no longer be cancelled here. Please contact the clinic.",
	"dialogue.cancel_reason":     "Cancelled by the patient in the chat",
	"dialogue.cancel_done":       "Your visit is cancelled.",
	"dialogue.date":              "%s %d %s",

	"dialogue.weekday.1": "Mon", "dialogue.weekday.2": "Tue", "dialogue.weekday.3": "Wed",
	"dialogue.weekday.4": "Thu", "dialogue.weekday.5": "Fri", "dialogue.weekday.6": "Sat", "dialogue.weekday.7": "Sun",
	"dialogue.month.1": "Jan", "dialogue.month.2": "Feb", "dialogue.month.3": "Mar", "dialogue.month.4": "Apr",
	"dialogue.month.5": "May", "dialogue.month.6": "Jun", "dialogue.month.7": "Jul", "dialogue.month.8": "Aug",
	"dialogue.month.9": "Sep", "dialogue.month.10": "Oct", "dialogue.month.11": "Nov", "dialogue.month.12": "Dec",
}

var dialogueArabic = map[string]string{
	"dialogue.unavailable": "عذرًا، لا يمكن متابعة المحادثة الآن. يمكنك طلب موعد من خلال نموذج الحجز: %s",
	"dialogue.timeout":     "مرّ وقت طويل، فلنبدأ من جديد.",
	"dialogue.lost":        "عذرًا، فقدتُ موضعي في محادثتنا، فلنبدأ من جديد.",
	"dialogue.welcome": "مرحبًا! يمكنني حجز موعد لك. في أي وقت يمكنك كتابة \"الحالة\" لمعرفة دورك في الانتظار، " +
		"أو \"حجوزاتي\"، أو \"موظف\" للتحدث مع فريقنا، أو \"من جديد\"، أو \"اللغة\".",
	"dialogue.welcome_back":   "أهلًا بعودتك يا %s! في أي وقت يمكنك كتابة \"الحالة\" أو \"حجوزاتي\" أو \"موظف\" أو \"من جديد\" أو \"اللغة\".",
	"dialogue.ask_exam":       "ماذا تودّ أن تحجز؟",
	"dialogue.no_exams":       "عذرًا، لا يوجد ما يمكن حجزه عبر الإنترنت حاليًا.",
	"dialogue.choice_restart": "البدء من جديد",
	"dialogue.choice_human":   "التحدث مع الفريق",
	"dialogue.ask_branch":     "في أي فرع تودّ إجراء %s؟",
	"dialogue.any_doctor":     "أي طبيب",
	"dialogue.ask_doctor":     "أي طبيب تودّ أن تراجع؟",
	"dialogue.ask_day":        "أي يوم يناسبك؟",
	"dialogue.no_days":        "عذرًا، لا توجد مواعيد متاحة عبر الإنترنت في الأيام القادمة. يمكن لفريقنا مساعدتك في إيجاد موعد.",
	"dialogue.day_full":       "عذرًا، امتلأ ذلك اليوم للتو.",
	"dialogue.ask_slot":       "هذه الأوقات متاحة يوم %s. أيّها تفضّل؟",
	"dialogue.slot_gone":      "عذرًا، حجز شخص آخر هذا الوقت للتو. إليك الأوقات التي ما زالت متاحة.",
	"dialogue.ask_name":       "ما اسمك الكامل؟",
	"dialogue.help_name":      "يُرجى كتابة اسمك بالحروف.",
	"dialogue.ask_phone":      "ما رقم هاتفك مع رمز الدولة (مثل ‎+351 912 345 678)؟",
	"dialogue.help_phone":     "لا يبدو هذا رقم هاتف. يُرجى كتابته مع رمز الدولة، مثل ‎+351 912 345 678.",
	"dialogue.help_choice":    "عذرًا، لم أفهم. يُرجى اختيار أحد الخيارات أو كتابة رقمه.",
	"dialogue.recorded": "شكرًا يا %s! وصلنا طلبك لـ%s يوم %s الساعة %s مع %s في %s. " +
		"سيؤكّده فريقنا قريبًا برسالة هنا.",
	"dialogue.booked": "شكرًا يا %s! أقوم الآن بحجز %s يوم %s الساعة %s مع %s في %s. " +
		"ستصلك رسالة التأكيد مع رابطها بعد لحظات.",
	"dialogue.booking_failed":        "عذرًا، تعذّر حجز هذا الوقت تلقائيًا. طلبك لدى فريقنا وسيتواصل معك هنا قريبًا.",
	"dialogue.cancelled":             "حسنًا، توقفت. اكتب أي شيء عندما تريد البدء من جديد.",
	"dialogue.status_none":           "لم أجد موعدًا لك اليوم بهذا الرقم.",
	"dialogue.status_open":           "%s، موعدك الساعة %s: حان دورك، تفضّل بالدخول.",
	"dialogue.status_other":          "%s، موعدك الساعة %s: لم يعد في قائمة الانتظار.",
	"dialogue.status_waiting":        "%s، موعدك الساعة %s: عدد من قبلك: %d. الموعد المتوقع بين %s و%s.",
	"dialogue.status_waiting_no_eta": "%s، موعدك الساعة %s: عدد من قبلك: %d.",
	"dialogue.human":                 "سيرد عليك أحد أفراد فريقنا هنا قريبًا.",
	"dialogue.ask_language":          "بأي لغة تفضّل؟",
	"dialogue.language_set":          "سأكتب لك بالعربية من الآن.",
	"dialogue.bookings_unverified": "حفاظًا على خصوصيتك، لا أعرض حجوزاتك إلا بعد تأكيد رقم هاتفك: " +
		"بمشاركة جهة الاتصال في تيليجرام، أو عبر واتساب، أو من خلال الرابط في رسالة التأكيد.",
	"dialogue.bookings_none":     "ليست لديك مواعيد قادمة.",
	"dialogue.bookings_list":     "مواعيدك القادمة. اختر موعدًا إن أردت إلغاءه.",
	"dialogue.confirm_cancel":    "هل تريد إلغاء موعدك يوم %s؟",
	"dialogue.choice_yes_cancel": "نعم، ألغِه",
	"dialogue.choice_no_keep":    "لا، أبقِه",
	"dialogue.cancel_kept":       "حسنًا، يبقى موعدك محجوزًا.",
	"dialogue.cancel_failed":     "عذرًا، لم يعد بالإمكان إلغاء هذا الموعد من هنا. يُرجى التواصل مع العيادة.",
	"dialogue.cancel_reason":     "ألغاه المريض عبر المحادثة",
	"dialogue.cancel_done":       "تم إلغاء موعدك.",
	"dialogue.date":              "%s %d %s",

	"dialogue.weekday.1": "الاثنين", "dialogue.weekday.2": "الثلاثاء", "dialogue.weekday.3": "الأربعاء",
	"dialogue.weekday.4": "الخميس", "dialogue.weekday.5": "الجمعة", "dialogue.weekday.6": "السبت", "dialogue.weekday.7": "الأحد",
	"dialogue.month.1": "يناير", "dialogue.month.2": "فبراير", "dialogue.month.3": "مارس", "dialogue.month.4": "أبريل",
	"dialogue.month.5": "مايو", "dialogue.month.6": "يونيو", "dialogue.month.7": "يوليو", "dialogue.month.8": "أغسطس",
	"dialogue.month.9": "سبتمبر", "dialogue.month.10": "أكتوبر", "dialogue.month.11": "نوفمبر", "dialogue.month.12": "ديسمبر",
}

func init() {
	Register("en", dialogueEnglish)
	Register("ar", dialogueArabic)
}
