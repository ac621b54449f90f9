package texts

// The WhatsApp channel's answer to a patient who wrote STOP: the one message it still sends them.

func init() {
	Register("en", map[string]string{
		"whatsapp.stopped": "You will no longer get messages from the clinic on WhatsApp. To get them again, just write to us here.",
	})
	Register("ar", map[string]string{
		"whatsapp.stopped": "لن تصلك بعد الآن رسائل من العيادة على واتساب. لتصلك مجددًا، يكفي أن تراسلنا هنا.",
	})
}
