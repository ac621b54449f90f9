package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// addRoom adds a room to a branch; a refused name is shown at the room form, with the branch's
// settings as stored.
func (con *Console) addRoom(c *gin.Context) {
	id, ok := con.branchID(c)
	if !ok {
		return
	}
	name := strings.TrimSpace(c.PostForm("room_name"))
	r, err := con.sched.CreateRoom(c.Request.Context(), id, name)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, "Room "+r.Name+" is added.")
		c.Redirect(http.StatusSeeOther, Prefix+"/settings/branches/"+idPath(id)+"#rooms")
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden:
		con.fail(c, err)
		return
	}
	page, ok := con.storedBranch(c, id)
	if !ok {
		return
	}
	page.Room = roomForm{Name: name, Error: roomMessage(de)}
	con.render(c, kindStatus[de.Kind], "settings_branch", page.Name, page)
}

// roomMessage says why a room's name was refused.
func roomMessage(de *scheduling.Error) string {
	switch de.Code {
	case "missing_name":
		return "Enter the room's name."
	case "duplicate_room":
		return "This branch already has a room with this name."
	}
	return textMessage(de)
}
