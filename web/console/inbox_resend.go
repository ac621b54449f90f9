package console

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
)

// Resender sends a message that could not be delivered to a patient again; the channels' outbox
// implements it, refusing a message that did not fail.
type Resender interface {
	Retry(ctx context.Context, messageID inbox.ID) error
}

// inboxResend sends a failed message of the request's conversation again; its delivery then shows
// under it as it moves.
func (con *Console) inboxResend(c *gin.Context) {
	id := con.inboxID(c)
	if id == 0 {
		return
	}
	msg := idOf(c.Param("msg"))
	lead, err := con.inbox.Get(c.Request.Context(), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	inThread := msg != 0 && slices.ContainsFunc(lead.Messages, func(m inbox.Message) bool { return m.ID == msg && m.Direction == inbox.Out })
	confirmation := false
	if !inThread && msg != 0 && lead.ConversationID == nil {
		// A form request's confirmation sent on WhatsApp, as the patient agreed.
		wa, err := con.inbox.WhatsAppConsentOf(c.Request.Context(), id)
		if err != nil {
			con.fail(c, err)
			return
		}
		confirmation = wa != nil && wa.Confirmation != nil && wa.Confirmation.ID == msg
	}
	if !inThread && !confirmation {
		con.errorPage(c, http.StatusNotFound, "No such message", "That message is not part of this request's conversation. Reload the page.")
		return
	}
	// The card the message shows on: the conversation's, or the WhatsApp card of a form request.
	card := "reply"
	if confirmation {
		card = "whatsapp"
	}
	if err := con.resend.Retry(c.Request.Context(), msg); err != nil {
		con.refused(c, id, err, card, nil)
		return
	}
	con.flash(c, flashSuccess, "The message is queued to be sent again.")
	c.Redirect(http.StatusSeeOther, requestLink(id)+"#"+card)
}
