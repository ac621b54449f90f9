package console

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// settingsRoles may open the clinic's settings; the users' page among them is the owner's alone.
var settingsRoles = []access.Role{access.Owner, access.Manager}

func init() {
	pageNames = append(pageNames, "settings", "settings_branches", "settings_branch", "settings_doctors", "settings_doctor",
		"settings_doctor_edit")
	// Settings comes before the owner's own pages in the top bar.
	at := slices.IndexFunc(navigation, func(n navItem) bool { return n.Name == "Sign-ins" })
	if at < 0 {
		at = len(navigation)
	}
	navigation = slices.Insert(navigation, at, navItem{Name: "Settings", Path: Prefix + "/settings", Roles: settingsRoles})
}

// catalogSettingsRoutes serves the managers' settings of branches, their hours and rooms, and doctors
// with their attendance.
func (con *Console) catalogSettingsRoutes(in *gin.RouterGroup) {
	g := in.Group("/settings", con.allow(settingsRoles...))
	g.GET("", con.settings)
	g.GET("/branches", con.branches)
	g.GET("/branches/new", con.newBranch)
	g.POST("/branches", con.createBranch)
	g.GET("/branches/:id", con.editBranch)
	g.POST("/branches/:id", con.saveBranch)
	g.POST("/branches/:id/rooms", con.addRoom)
	g.POST("/branches/:id/rooms/:room", con.renameRoom)
	g.POST("/branches/:id/rooms/:room/delete", con.removeRoom)
	g.GET("/doctors", con.doctors)
	g.POST("/doctors", con.createDoctor)
	g.GET("/doctors/:id", con.doctorPage)
	g.GET("/doctors/:id/edit", con.doctorEdit)
	g.POST("/doctors/:id/edit", con.saveDoctor)
	g.POST("/doctors/:id/attendance/:branch", con.saveAttendance)
}

// settingsLink is one entry of the settings index.
type settingsLink struct {
	Name, Path, About string
}

// settingsSection is a group of settings pages.
type settingsSection struct {
	Title string
	Links []settingsLink
}

// settings is the index of the settings pages the signed-in role may open.
func (con *Console) settings(c *gin.Context) {
	sections := []settingsSection{
		{Title: "Clinic", Links: []settingsLink{
			{"Branches", Prefix + "/settings/branches", "Each location: its time zone, currency, tax, opening hours and rooms."},
			{"Doctors", Prefix + "/settings/doctors", "Who works where: weekly attendance at each branch, leave and changed hours."},
			{"Channels", channelsPath, "WhatsApp's link to the clinic's phone, and whether each way patients write in works."},
		}},
		{Title: "Care and records", Links: []settingsLink{
			{"Examinations", Prefix + "/settings/examinations", "What can be booked: durations, prices, rooms and service hours."},
			{"Consumables and commission", Prefix + "/settings/consumables", "Items examinations use: prices, billing, stock at each branch; what each examination earns."},
			{"Loyalty", loyaltyPath, "Points patients earn on what they pay, and the tiers that give them a discount."},
			{"Cancellation reasons", Prefix + "/settings/cancel-reasons", "The reasons offered when a session is cancelled."},
			{"Record templates", Prefix + "/settings/templates", "Fields a doctor fills in for each kind of visit."},
		}},
	}
	if con.inbox != nil {
		sections[0].Links = append(sections[0].Links, settingsLink{"Booking form", formSettingsPath,
			"What patients fill in on the public booking form: which fields show, which are required, and your own."})
	}
	if signedIn(c).Role == access.Owner {
		sections = append(sections, settingsSection{Title: "Staff", Links: []settingsLink{
			{"Users and API tokens", Prefix + "/settings/users", "Who may sign in, with which role, and the tokens of other systems."},
			{"Sign-ins", Prefix + "/sign-ins", "Who is signed in to the console now; end a sign-in left open on a lost or shared device."},
		}})
	}
	con.render(c, http.StatusOK, "settings", "Settings", sections)
}

// pathID reads a numeric path parameter; a malformed one answers the not-found page for what.
func (con *Console) pathID(c *gin.Context, param, what, back string) (scheduling.ID, bool) {
	id, err := strconv.ParseInt(c.Param(param), 10, 64)
	if err != nil || id <= 0 {
		con.errorPage(c, http.StatusNotFound, "No such "+what, "There is no "+what+" at this address. "+back)
		return 0, false
	}
	return scheduling.ID(id), true
}

// idPath writes an id for a path.
func idPath(id scheduling.ID) string { return strconv.FormatInt(int64(id), 10) }
