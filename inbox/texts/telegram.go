package texts

// The Telegram channel's own texts (channels/telegram): the contact button, and the polite refusal of
// a contact that is not the sender's own (DESIGN 3.5).

var telegramEnglish = map[string]string{
	"telegram.share_phone":      "Share my phone number",
	"telegram.contact_not_own":  "Thank you, but we can only take your own number. Please tap the button below to share it.",
	"telegram.contact_received": "(shared a contact that is not their own)",
}

var telegramArabic = map[string]string{
	"telegram.share_phone":      "مشاركة رقم هاتفي",
	"telegram.contact_not_own":  "شكرًا لك، لكن لا يمكننا قبول إلا رقمك أنت. يُرجى الضغط على الزر أدناه لمشاركته.",
	"telegram.contact_received": "(شارك جهة اتصال ليست له)",
}

func init() {
	Register("en", telegramEnglish)
	Register("ar", telegramArabic)
}
