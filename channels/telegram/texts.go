package telegram

// Patient-facing texts of the Telegram channel, in the languages the clinic speaks to patients.
const (
	keySharePhone     = "telegram.share_phone"
	keyNotOwnContact  = "telegram.contact_not_own"
	keyForeignContact = "telegram.contact_foreign"
)

var catalog = map[string]map[string]string{
	"en": {
		keySharePhone:     "Share my phone number",
		keyNotOwnContact:  "Thank you, but we can only take your own number. Please tap the button below to share it.",
		keyForeignContact: "(shared a contact that is not their own)",
	},
	"ar": {
		keySharePhone:     "مشاركة رقم هاتفي",
		keyNotOwnContact:  "شكرًا لك، لكن لا يمكننا قبول إلا رقمك أنت. يُرجى الضغط على الزر أدناه لمشاركته.",
		keyForeignContact: "(شارك جهة اتصال ليست له)",
	},
}

func text(lang, key string) string {
	if t, ok := catalog[lang][key]; ok {
		return t
	}
	return catalog["en"][key]
}

func sharePhoneLabel(lang string) string { return text(lang, keySharePhone) }
