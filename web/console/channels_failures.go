package console

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"clinic/channels/outbox"
)

// failureLister is the outbox as the channels page uses it: the messages that could not be delivered.
// The console's Resender is the outbox in the server, so the page lists them when it is one.
type failureLister interface {
	Failures(ctx context.Context, limit int) ([]outbox.Failure, error)
}

// pageFailures is how many undelivered messages the channels page lists, newest first.
const pageFailures = 20

// failureRow is one message that could not be delivered.
type failureRow struct {
	ID                         string
	Channel, Name, Text, Error string
	At                         string
}

// failures lists the latest messages that could not be delivered, if the outbox runs here.
func (con *Console) failures(ctx context.Context) ([]failureRow, bool, error) {
	fl, ok := con.resend.(failureLister)
	if !ok {
		return nil, false, nil
	}
	list, err := fl.Failures(ctx, pageFailures)
	if err != nil {
		return nil, true, err
	}
	rows := make([]failureRow, 0, len(list))
	for _, f := range list {
		name := f.Name
		if name == "" {
			name = "a patient"
		}
		at := f.At
		rows = append(rows, failureRow{ID: f.MessageID.String(), Channel: channelNames[f.Channel], Name: name,
			Text: cut(f.Text, 160), Error: f.Error, At: con.since(&at)})
	}
	return rows, true, nil
}

// resendFailure queues a message that could not be delivered again, from the channels page.
func (con *Console) resendFailure(c *gin.Context) {
	id := idOf(c.Param("msg"))
	if con.resend == nil || id == 0 {
		con.errorPage(c, http.StatusNotFound, "No such message", "That message is not waiting to be sent again. Reload the page.")
		return
	}
	if err := con.resend.Retry(c.Request.Context(), id); err != nil {
		con.whatsappRefused(c, err)
		return
	}
	con.flash(c, flashSuccess, "The message is queued to be sent again.")
	c.Redirect(http.StatusSeeOther, channelsPath+"#failures")
}

// cut shortens s to n characters, marking the cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
