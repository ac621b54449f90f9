package console

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// tokensPage is the owner's list of API tokens, the form that creates one and the trail of changes.
type tokensPage struct {
	Tokens []tokenRow
	// Issued is the token just created, whose secret this one answer shows.
	Issued *issuedToken
	Add    tokenForm
	Trail  []accessTrailRow
	CSRF   string
}

type tokenForm struct {
	// Role is the role select's value: a role, or "doctor:ID".
	Name, Role string
	Roles      roleChoices
	Errors     map[string]string
}

type tokenRow struct {
	ID                            int64
	Name, Role, RoleLabel, Doctor string
	Created, RevokedSince         string
}

type issuedToken struct {
	Name, Secret string
}

// tokensPage lists the API tokens.
func (con *Console) tokensPage(c *gin.Context) {
	con.renderTokens(c, http.StatusOK, tokenForm{}, nil)
}

// renderTokens shows the tokens page with the create form as given and, right after creating one, its
// secret.
func (con *Console) renderTokens(c *gin.Context, status int, add tokenForm, issued *issuedToken) {
	ctx := c.Request.Context()
	tokens, err := con.acc.ListTokens(ctx)
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
	page := tokensPage{Issued: issued, Add: add, Trail: trail, CSRF: signedIn(c).CSRF}
	// Active tokens first, the newest on top; revoked ones after them.
	for _, active := range []bool{true, false} {
		for i := len(tokens) - 1; i >= 0; i-- {
			t := tokens[i]
			if (t.RevokedAt == nil) != active {
				continue
			}
			row := tokenRow{ID: t.ID, Name: t.Name, Role: string(t.Role), RoleLabel: roleLabel(t.Role), Doctor: names[t.DoctorID],
				Created: accessStamp(t.CreatedAt)}
			if t.RevokedAt != nil {
				row.RevokedSince = accessStamp(*t.RevokedAt)
			}
			page.Tokens = append(page.Tokens, row)
		}
	}
	con.render(c, status, "settings_tokens", "API tokens", page)
}

// issueToken creates a token and shows its secret in this answer only: it is not kept anywhere, so
// it is not redirected to a page that could show it again.
func (con *Console) issueToken(c *gin.Context) {
	form := tokenForm{Name: c.PostForm("name"), Role: c.PostForm("role")}
	role, doctor := parseRoleChoice(form.Role)
	t, secret, err := con.acc.IssueToken(c.Request.Context(), signedIn(c).principal(), form.Name, role, doctor)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.renderTokens(c, http.StatusCreated, tokenForm{}, &issuedToken{Name: t.Name, Secret: secret})
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden:
		con.fail(c, err)
		return
	}
	field, msg := "role", staffSentence(de.Message)
	switch de.Code {
	case "name_required":
		field, msg = "name", "Name the token after what will use it, such as “lab results export”."
	case "invalid_text":
		field, msg = "name", "The name must be plain text on one line."
	case "too_long":
		field, msg = "name", "The name is too long: at most "+strconv.Itoa(scheduling.MaxNameLength)+" characters."
	case "invalid_role":
		msg = "Choose a role."
	case "doctor_required":
		msg = "Choose the doctor this token acts for."
	case scheduling.CodeNotFound:
		msg = "That doctor is no longer in the clinic. Choose another."
	}
	form.Errors = map[string]string{field: msg}
	con.renderTokens(c, kindStatus[de.Kind], form, nil)
}

// revokeToken stops a token from working, at once.
func (con *Console) revokeToken(c *gin.Context) {
	id, ok := con.staffPathID(c, "token")
	if !ok {
		return
	}
	t, changed, err := con.acc.RevokeTokenBy(c.Request.Context(), signedIn(c).principal(), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	if changed {
		con.flash(c, flashSuccess, "The token “"+t.Name+"” is revoked: it no longer works.")
	} else {
		con.flash(c, flashInfo, "The token “"+t.Name+"” was already revoked.")
	}
	c.Redirect(http.StatusSeeOther, Prefix+"/settings/tokens")
}
