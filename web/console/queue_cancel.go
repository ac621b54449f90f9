package console

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// queueCancelPage asks for the reason to cancel a session from the board, as the session page does.
func (con *Console) queueCancelPage(c *gin.Context) {
	v, ok := con.queueCancelViewOf(c, c.Query)
	if !ok {
		return
	}
	con.render(c, http.StatusOK, "cancel", "Cancel a session", v)
}

// queueCancelViewOf is the cancel page reached from the board: it posts to the board's own route,
// carries the board's branch, sort and doctor, and goes back to the board.
func (con *Console) queueCancelViewOf(c *gin.Context, get func(string) string) (*cancelView, bool) {
	s, ok := con.queueScopeOf(c, get)
	if !ok {
		return nil, false
	}
	sess, ok := con.sessionOf(c)
	if !ok {
		return nil, false
	}
	v, err := con.cancelView(c, sess)
	if err != nil {
		con.fail(c, err)
		return nil, false
	}
	v.Action, v.Back, v.BackLabel = Prefix+"/queue/sessions/"+sess.ID.String()+"/cancel", s.url(), "Back to the queue"
	v.Hidden = []hiddenField{{"branch", s.Branch.ID.String()}, {"sort", s.Sort}}
	if s.DoctorID != 0 {
		v.Hidden = append(v.Hidden, hiddenField{"doctor", s.DoctorID.String()})
	}
	return v, true
}

// queueCancel cancels the session with the chosen reason and goes back to the board.
func (con *Console) queueCancel(c *gin.Context) {
	if v, ok := con.queueCancelViewOf(c, c.PostForm); ok {
		con.submitCancel(c, v)
	}
}
