package public

// The booking form (/book), its thank-you page and the confirm page (/c/{token}) are pages of the
// same site as the queue tracker, with its layout and styles.
func init() {
	pageNames = append(pageNames, "book", "book_thanks", "confirm")
}

// AssetURL is the content-hashed address of a static file, for pages and scripts that name it
// outside a template (the chat widget's loader).
func (s *Site) AssetURL(name string) (string, error) { return s.url(name) }
