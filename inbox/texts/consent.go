package texts

// The booking form's WhatsApp opt-in (web: /book). The English or Arabic words a patient ticked are
// also what the clinic keeps as the record of their consent.

func init() {
	Register("en", map[string]string{
		"form.whatsapp_consent": "Send me my confirmation and reminders on WhatsApp at this number",
	})
	Register("ar", map[string]string{
		"form.whatsapp_consent": "أرسلوا لي تأكيد الموعد والتذكيرات على واتساب على هذا الرقم",
	})
}
