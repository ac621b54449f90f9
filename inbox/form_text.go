package inbox

import "clinic/inbox/texts"

// FormText is the booking form's, the confirm page's or the chat widget's text of key in lang, from
// the patients' message catalog (inbox/texts/form.go).
func FormText(lang, key string, args ...any) string { return formText(lang, key, args...) }

func formText(lang, key string, args ...any) string { return texts.T(lang, key, args...) }
