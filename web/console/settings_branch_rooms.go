package console

import (
	"errors"
	"net/http"
	"slices"
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
	if err == nil {
		con.roomDone(c, id, "Room "+r.Name+" is added.")
		return
	}
	de, ok := con.roomRefused(c, err)
	if !ok {
		return
	}
	page, ok := con.storedBranch(c, id)
	if !ok {
		return
	}
	page.Room = roomForm{Name: name, Error: roomMessage(de)}
	con.render(c, kindStatus[de.Kind], "settings_branch", page.Name, page)
}

// renameRoom changes the name of a room of the branch.
func (con *Console) renameRoom(c *gin.Context) {
	con.changeRoom(c, func(room scheduling.ID, name string) (string, error) {
		r, err := con.sched.RenameRoom(c.Request.Context(), room, name)
		if err != nil {
			return "", err
		}
		return "The room is renamed " + r.Name + ".", nil
	})
}

// removeRoom removes a room of the branch that no session or examination depends on.
func (con *Console) removeRoom(c *gin.Context) {
	con.changeRoom(c, func(room scheduling.ID, _ string) (string, error) {
		return "The room is removed.", con.sched.RemoveRoom(c.Request.Context(), room)
	})
}

// changeRoom applies change to the room of the path, once it is known to be the branch's; a refusal
// is shown at the room's row, with the name as typed.
func (con *Console) changeRoom(c *gin.Context, change func(room scheduling.ID, name string) (string, error)) {
	id, ok := con.branchID(c)
	if !ok {
		return
	}
	room, ok := con.pathID(c, "room", "room", "Pick one from the branch's rooms.")
	if !ok {
		return
	}
	page, ok := con.storedBranch(c, id)
	if !ok {
		return
	}
	at := slices.IndexFunc(page.Rooms, func(r roomRow) bool { return r.ID == room })
	if at < 0 {
		con.errorPage(c, http.StatusNotFound, "No such room", "This branch has no room at this address. Pick one from the branch's rooms.")
		return
	}
	name := strings.TrimSpace(c.PostForm("room_name"))
	done, err := change(room, name)
	if err == nil {
		con.roomDone(c, id, done)
		return
	}
	de, ok := con.roomRefused(c, err)
	if !ok {
		return
	}
	if _, typed := c.GetPostForm("room_name"); typed {
		page.Rooms[at].Value = name
	}
	page.Rooms[at].Error = roomMessage(de)
	con.render(c, kindStatus[de.Kind], "settings_branch", page.Name, page)
}

// roomDone says what was done and goes back to the branch's rooms.
func (con *Console) roomDone(c *gin.Context, branch scheduling.ID, message string) {
	con.flash(c, flashSuccess, message)
	c.Redirect(http.StatusSeeOther, Prefix+"/settings/branches/"+idPath(branch)+"#rooms")
}

// roomRefused answers the domain error a room's change was refused with, or the error page for
// anything the form cannot show (and false).
func (con *Console) roomRefused(c *gin.Context, err error) (*scheduling.Error, bool) {
	var de *scheduling.Error
	if !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden {
		con.fail(c, err)
		return nil, false
	}
	return de, true
}

// roomMessage says why a room's change was refused.
func roomMessage(de *scheduling.Error) string {
	switch de.Code {
	case "missing_name":
		return "Enter the room's name."
	case "duplicate_room":
		return "This branch already has a room with this name."
	case "room_in_use":
		return sentence(strings.Replace(de.Message, "the room", "This room", 1))
	case "too_long", "invalid_text":
		return textMessage(de)
	}
	return sentence(de.Message)
}
