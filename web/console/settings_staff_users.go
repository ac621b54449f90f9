package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// usersPage is the owner's list of console users, the form that adds one, and the trail of changes.
type usersPage struct {
	Users []userRow
	// Add is the add-a-user form as sent, with a message at each field that was refused.
	Add userForm
	// Problem says why a change to a listed user was refused.
	Problem string
	Trail   []accessTrailRow
	// MinPassword is the shortest password allowed, for the form's hint.
	MinPassword int
	CSRF        string
}

type userForm struct {
	// Role is the role select's value: a role, or "doctor:ID".
	Email, Role string
	// Roles are the choices of the role select, Role selected.
	Roles  roleChoices
	Errors map[string]string
}

type userRow struct {
	ID                                 int64
	Email, Role, RoleLabel, Doctor     string
	Created, LastSignIn, DisabledSince string
	// Yours marks the owner looking at the page, who may neither demote nor disable themselves.
	Yours bool
	Roles roleChoices
}

// usersPage lists the users.
func (con *Console) usersPage(c *gin.Context) {
	con.renderUsers(c, http.StatusOK, userForm{}, "")
}

// renderUsers shows the users page with the add form as given and a refusal, if any.
func (con *Console) renderUsers(c *gin.Context, status int, add userForm, problem string) {
	ctx, a := c.Request.Context(), signedIn(c)
	users, err := con.acc.ListUsers(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	doctors, names, err := con.staffDoctors(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	trail, err := con.accessTrail(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	add.Roles = newRoleChoices(doctors, add.Role)
	page := usersPage{Add: add, Problem: problem, Trail: trail, MinPassword: access.MinPasswordLength, CSRF: a.CSRF}
	for _, u := range users {
		row := userRow{ID: u.ID, Email: u.Email, Role: string(u.Role), RoleLabel: roleLabel(u.Role), Doctor: names[u.DoctorID],
			Created: accessStamp(u.CreatedAt), LastSignIn: "—", Yours: u.ID == a.UserID,
			Roles: newRoleChoices(doctors, roleValue(u.Role, u.DoctorID))}
		if u.LastSignIn != nil {
			row.LastSignIn = accessStamp(*u.LastSignIn)
		}
		if u.DisabledAt != nil {
			row.DisabledSince = accessStamp(*u.DisabledAt)
		}
		page.Users = append(page.Users, row)
	}
	con.render(c, status, "settings_users", "Users", page)
}

// addUser creates a user with the role and initial password the owner chose.
func (con *Console) addUser(c *gin.Context) {
	in := access.NewUser{Email: strings.TrimSpace(c.PostForm("email")), Password: c.PostForm("password")}
	roleField := c.PostForm("role")
	in.Role, in.DoctorID = parseRoleChoice(roleField)
	u, err := con.acc.AddUser(c.Request.Context(), signedIn(c).principal(), in)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, "Added "+u.Email+" as "+con.roleWords(c, u.Role, u.DoctorID)+
			". Give them their password in person; they sign in with it at once.")
		c.Redirect(http.StatusSeeOther, Prefix+"/settings/users")
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden:
		con.fail(c, err)
		return
	}
	field, msg := userFieldError(de)
	form := userForm{Email: in.Email, Role: roleField, Errors: map[string]string{field: msg}}
	con.renderUsers(c, kindStatus[de.Kind], form, "")
}

// userFieldError names the field of the add form a refusal is about, in the owner's words.
func userFieldError(de *scheduling.Error) (field, message string) {
	switch de.Code {
	case "email_required":
		return "email", "Enter the email they will sign in with."
	case "invalid_email":
		return "email", "This is not an email address."
	case "email_taken":
		return "email", "There is already a user with this email."
	case "weak_password":
		return "password", "The password needs at least " + strconv.Itoa(access.MinPasswordLength) + " characters."
	case "password_too_long":
		return "password", "The password is too long: at most " + strconv.Itoa(access.MaxPasswordBytes) + " letters."
	case "invalid_role":
		return "role", "Choose a role."
	case "doctor_required":
		return "role", "Choose the doctor this account acts for."
	case scheduling.CodeNotFound:
		return "role", "That doctor is no longer in the clinic. Choose another."
	}
	return "role", staffSentence(de.Message)
}

// changeRole gives a listed user another role.
func (con *Console) changeRole(c *gin.Context) {
	id, ok := con.staffPathID(c, "user")
	if !ok {
		return
	}
	role, doctor := parseRoleChoice(c.PostForm("role"))
	u, err := con.acc.SetUserRole(c.Request.Context(), signedIn(c).principal(), id, role, doctor)
	if con.refusedChange(c, err) {
		return
	}
	con.flash(c, flashSuccess, u.Email+" is now "+con.roleWords(c, u.Role, u.DoctorID)+".")
	c.Redirect(http.StatusSeeOther, Prefix+"/settings/users")
}

// disableUser stops a user from signing in and ends their sign-ins.
func (con *Console) disableUser(c *gin.Context) {
	id, ok := con.staffPathID(c, "user")
	if !ok {
		return
	}
	u, err := con.acc.DisableUser(c.Request.Context(), signedIn(c).principal(), id)
	if con.refusedChange(c, err) {
		return
	}
	con.flash(c, flashSuccess, u.Email+" is disabled: they cannot sign in, and any open sign-in has ended.")
	c.Redirect(http.StatusSeeOther, Prefix+"/settings/users")
}

// enableUser lets a disabled user sign in again.
func (con *Console) enableUser(c *gin.Context) {
	id, ok := con.staffPathID(c, "user")
	if !ok {
		return
	}
	u, err := con.acc.EnableUser(c.Request.Context(), signedIn(c).principal(), id)
	if con.refusedChange(c, err) {
		return
	}
	con.flash(c, flashSuccess, u.Email+" can sign in again.")
	c.Redirect(http.StatusSeeOther, Prefix+"/settings/users")
}

// refusedChange answers a change to a listed user that failed, and reports whether it did: a broken
// rule is shown on the users page, anything else as an error page.
func (con *Console) refusedChange(c *gin.Context, err error) bool {
	if err == nil {
		return false
	}
	var de *scheduling.Error
	if !errors.As(err, &de) || de.Kind == scheduling.KindNotFound && strings.HasPrefix(de.Message, "user ") ||
		de.Kind == scheduling.KindForbidden {
		con.fail(c, err)
		return true
	}
	msg := staffSentence(de.Message)
	switch de.Code {
	case "invalid_role":
		msg = "Choose a role from the list."
	case "doctor_required":
		msg = "Choose the doctor this account acts for."
	case scheduling.CodeNotFound:
		msg = "That doctor is no longer in the clinic. Choose another."
	}
	con.renderUsers(c, kindStatus[de.Kind], userForm{}, msg)
	return true
}

// roleWords is a role in a sentence: "a receptionist", "the doctor account of Ana Ferreira".
func (con *Console) roleWords(c *gin.Context, role access.Role, doctor scheduling.ID) string {
	if role != access.Doctor {
		if role == access.Owner {
			return "an owner"
		}
		return "a " + string(role)
	}
	if d, err := con.sched.GetDoctor(c.Request.Context(), doctor); err == nil {
		return "a doctor acting for " + d.Name
	}
	return "a doctor"
}
