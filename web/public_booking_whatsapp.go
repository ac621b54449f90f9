package web

import (
	"context"
	"time"
)

// whatsappOffered reports whether the booking form offers to send the confirmation and reminders on
// WhatsApp: only while a phone is linked to the clinic's WhatsApp. A channel that is set up but not
// linked (or logged out) could not deliver, and a patient who ticked the box would wait for messages
// that never come; a link that is only disconnected for a while still counts, since the outbox sends
// once it is back. A state that cannot be read in time offers nothing.
func (s *Server) whatsappOffered(ctx context.Context) bool {
	wa := s.whatsappHealth()
	if wa == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	l, err := wa.Link(ctx)
	return err == nil && l.Linked()
}
