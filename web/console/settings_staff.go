package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

// The owner reaches these pages from the settings index (settings_catalog.go), which lists them for
// the owner alone; the top bar has no room for an entry of their own on a tablet.
func init() { pageNames = append(pageNames, "settings_users", "settings_tokens") }

// trailLength is how many recent changes to users and tokens the owner's pages show.
const trailLength = 30

// staffSettingsRoutes serves the owner's page of users and API tokens.
func (con *Console) staffSettingsRoutes(in *gin.RouterGroup) {
	owner := in.Group("/settings", con.allow(access.Owner))
	owner.GET("/users", con.usersPage)
	owner.POST("/users", con.addUser)
	owner.POST("/users/:id/role", con.changeRole)
	owner.POST("/users/:id/disable", con.disableUser)
	owner.POST("/users/:id/enable", con.enableUser)
	owner.GET("/tokens", con.tokensPage)
	owner.POST("/tokens", con.issueToken)
	owner.POST("/tokens/:id/revoke", con.revokeToken)
}

// principal is the signed-in owner as the access store records them.
func (a account) principal() access.Principal {
	return access.Principal{Kind: "user", ID: a.UserID, Name: a.Email, Role: a.Role, DoctorID: a.DoctorID}
}

// roleOption is one choice of the role select. A doctor's role comes with its doctor, so each doctor
// is a choice of its own ("doctor:ID") and a doctor's role can never be chosen without one.
type roleOption struct {
	Value, Label string
	Selected     bool
}

// roleChoices are the role select's options, grouped: the roles that act for no doctor, then one
// per doctor.
type roleChoices struct {
	Plain, Doctors []roleOption
}

func roleValue(role access.Role, doctor scheduling.ID) string {
	if role == access.Doctor {
		return "doctor:" + strconv.FormatInt(int64(doctor), 10)
	}
	return string(role)
}

// newRoleChoices are the choices of a role select with the value chosen selected.
func newRoleChoices(doctors []scheduling.Doctor, chosen string) roleChoices {
	var rc roleChoices
	for _, r := range []access.Role{access.Receptionist, access.Manager, access.Owner} {
		rc.Plain = append(rc.Plain, roleOption{Value: string(r), Label: roleLabel(r), Selected: chosen == string(r)})
	}
	for _, d := range doctors {
		v := roleValue(access.Doctor, d.ID)
		rc.Doctors = append(rc.Doctors, roleOption{Value: v, Label: "Doctor – " + d.Name, Selected: chosen == v})
	}
	return rc
}

// roleLabel is a role as a person reads it.
func roleLabel(r access.Role) string {
	if r == "" {
		return ""
	}
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// parseRoleChoice reads the role select: a role, or "doctor:ID". Anything else is an unknown role,
// and "doctor" alone is a doctor's role without its doctor; the store refuses both.
func parseRoleChoice(v string) (access.Role, scheduling.ID) {
	role, id, ok := strings.Cut(strings.TrimSpace(v), ":")
	if !ok {
		return access.Role(role), 0
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if role != string(access.Doctor) || err != nil || n <= 0 {
		return access.Role(v), 0
	}
	return access.Doctor, scheduling.ID(n)
}

// staffDoctors lists the doctors, and maps each to their name for the lists.
func (con *Console) staffDoctors(ctx context.Context) ([]scheduling.Doctor, map[scheduling.ID]string, error) {
	list, err := con.sched.ListDoctors(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[scheduling.ID]string, len(list))
	for _, d := range list {
		names[d.ID] = d.Name
	}
	return list, names, nil
}

// accessTrailRow is one recorded change as the page shows it.
type accessTrailRow struct {
	When, Who, What, Subject, Detail string
}

var accessActionWords = map[access.Action]string{
	access.UserCreated:     "added the user",
	access.UserRoleChanged: "changed the role of",
	access.UserDisabled:    "disabled",
	access.UserEnabled:     "enabled again",
	access.TokenCreated:    "created the API token",
	access.TokenRevoked:    "revoked the API token",
}

// accessTrail reads the latest changes to users and tokens.
func (con *Console) accessTrail(ctx context.Context) ([]accessTrailRow, error) {
	events, err := con.acc.ListEvents(ctx, trailLength)
	if err != nil {
		return nil, err
	}
	rows := make([]accessTrailRow, 0, len(events))
	for _, e := range events {
		r := accessTrailRow{When: accessStamp(e.At), Who: e.ActorName(), What: accessActionWords[e.Action], Subject: e.Subject}
		switch e.Action {
		case access.UserCreated, access.TokenCreated:
			r.Detail = " as " + e.Detail
		case access.UserRoleChanged:
			r.Detail = ": " + e.Detail
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// accessStamp is a time on the owner's pages, in UTC like the sign-ins page.
func accessStamp(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// staffSentence turns a store message into a sentence for the page.
func staffSentence(msg string) string {
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// staffPathID reads a positive id from the path, or answers 404.
func (con *Console) staffPathID(c *gin.Context, what string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		con.errorPage(c, http.StatusNotFound, "Not found", "There is no such "+what+".")
		return 0, false
	}
	return id, true
}
