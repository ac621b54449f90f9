package console

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

// secretInput finds the new token's secret on the page that shows it.
var secretInput = regexp.MustCompile(`id="token-secret" value="(clk_[A-Za-z0-9_-]+)"`)

// userID is the id of the user with that email.
func (tb *testBundle) userID(t *testing.T, email string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE email = $1`, email).Scan(&id))
	return id
}

func (tb *testBundle) countRows(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, tb.Pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

// staffForm is a form with the CSRF token of the users page, as the signed-in browser sees it.
func staffForm(t *testing.T, br *browser, fields ...string) url.Values {
	t.Helper()
	form := url.Values{"csrf": {csrf(t, br.get("/console/settings/users"))}}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Set(fields[i], fields[i+1])
	}
	return form
}

func TestUsersAndTokensAreForOwnersOnly(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	require.Contains(t, owner.get("/console/settings").body, `href="/console/settings/users"`, "the owner's settings list Users")
	receptionist := tb.userID(t, tb.emails[access.Receptionist])
	tok, _, err := tb.deps.Access.IssueToken(context.Background(), access.Principal{Kind: "user", ID: 1, Role: access.Owner},
		"script", access.Manager, 0)
	require.NoError(t, err)

	for _, role := range []access.Role{access.Manager, access.Doctor, access.Receptionist} {
		br := tb.signedIn(t, role)
		home := br.get("/console/")
		require.NotContains(t, home.body, "/console/settings/users", "no link for a %s", role)
		require.NotContains(t, br.get("/console/settings").body, "/console/settings/users", "no link for a %s", role)
		for _, path := range []string{"/console/settings/users", "/console/settings/tokens"} {
			p := br.get(path)
			require.Equalf(t, http.StatusForbidden, p.status, "%s opens %s", role, path)
			require.Contains(t, p.body, "may not open this page")
		}
		token := csrf(t, home)
		for path, form := range map[string]url.Values{
			"/console/settings/users": {"email": {"x@clinic.test"}, "role": {"manager"}, "password": {"long enough password"}},
			"/console/settings/users/" + strconv.FormatInt(receptionist, 10) + "/role":    {"role": {"owner"}},
			"/console/settings/users/" + strconv.FormatInt(receptionist, 10) + "/disable": {},
			"/console/settings/tokens": {"name": {"mine"}, "role": {"owner"}},
			"/console/settings/users/" + strconv.FormatInt(receptionist, 10) + "/enable": {},
			"/console/settings/tokens/" + strconv.FormatInt(tok.ID, 10) + "/revoke":      {},
		} {
			form.Set("csrf", token)
			require.Equalf(t, http.StatusForbidden, br.post(path, form).status, "%s posts %s", role, path)
		}
	}
	require.Zero(t, tb.countRows(t, `SELECT count(*) FROM users WHERE email = 'x@clinic.test' OR role = 'owner' AND id = $1 OR disabled_at IS NOT NULL`, receptionist))
	require.Equal(t, 1, tb.countRows(t, `SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL`), "only the test's token, not revoked")
	require.Equal(t, 1, tb.countRows(t, `SELECT count(*) FROM access_events`), "no change but the test's token")
}

func TestStaffFormsWithoutTheCSRFTokenAreRefused(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	desk := strconv.FormatInt(tb.userID(t, tb.emails[access.Receptionist]), 10)
	tok, _, err := tb.deps.Access.IssueToken(context.Background(), access.Principal{Kind: "user", ID: 1, Role: access.Owner},
		"script", access.Manager, 0)
	require.NoError(t, err)
	for path, form := range map[string]url.Values{
		"/console/settings/users":                                               {"email": {"x@clinic.test"}, "role": {"manager"}, "password": {"long enough password"}},
		"/console/settings/users/" + desk + "/role":                             {"role": {"owner"}},
		"/console/settings/users/" + desk + "/disable":                          {},
		"/console/settings/users/" + desk + "/enable":                           {},
		"/console/settings/tokens":                                              {"name": {"mine"}, "role": {"owner"}},
		"/console/settings/tokens/" + strconv.FormatInt(tok.ID, 10) + "/revoke": {},
	} {
		for _, token := range []string{"", "not-the-token"} {
			if token != "" {
				form.Set("csrf", token)
			}
			p := owner.post(path, form)
			require.Equalf(t, http.StatusForbidden, p.status, "%s with csrf %q", path, token)
			require.Contains(t, p.body, "This form has expired")
		}
	}
	require.Equal(t, 1, tb.countRows(t, `SELECT count(*) FROM access_events`), "nothing changed but the token made for the test")
	require.Equal(t, 1, tb.countRows(t, `SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL`))
}

func TestOwnerAddsAUserWhoCanSignIn(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	page := owner.get("/console/settings/users")
	require.Equal(t, http.StatusOK, page.status)
	for _, email := range tb.emails {
		require.Contains(t, page.body, email)
	}
	require.Contains(t, page.body, "acts for "+tb.clinic.Doctor.Name, "a doctor's account names its doctor")
	require.Contains(t, page.body, `value="doctor:`+strconv.FormatInt(int64(tb.clinic.Doctor.ID), 10)+`"`, "each doctor is a choice")
	require.Contains(t, page.body, "No changes yet.")

	p := owner.post("/console/settings/users", staffForm(t, owner, "email", " New.Desk@Clinic.test ", "role", "receptionist",
		"password", "a long first password"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/settings/users", p.location())
	page = owner.get("/console/settings/users")
	require.Contains(t, page.body, "Added new.desk@clinic.test as a receptionist.")
	require.Contains(t, page.body, "added the user <strong>new.desk@clinic.test</strong> as receptionist")
	require.Equal(t, http.StatusSeeOther, tb.browser(t).signin("new.desk@clinic.test", "a long first password", "").status,
		"the new user signs in")

	doctor := "doctor:" + strconv.FormatInt(int64(tb.clinic.Doctor.ID), 10)
	p = owner.post("/console/settings/users", staffForm(t, owner, "email", "second.doctor@clinic.test", "role", doctor,
		"password", "a long first password"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	var doctorID int64
	require.NoError(t, tb.Pool.QueryRow(context.Background(), `SELECT doctor_id FROM users WHERE email = 'second.doctor@clinic.test'`).Scan(&doctorID))
	require.Equal(t, int64(tb.clinic.Doctor.ID), doctorID)
}

func TestAddUserRefusalsAreShownAtTheirField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	for _, tc := range []struct {
		name, email, role, password string
		status                      int
		field, says                 string
	}{
		{"no email", "", "manager", "a long first password", http.StatusBadRequest, "email", "Enter the email they will sign in with."},
		{"not an email", "front desk", "manager", "a long first password", http.StatusBadRequest, "email", "This is not an email address."},
		{"email in use", "Manager@clinic.test", "receptionist", "a long first password", http.StatusConflict, "email", "There is already a user with this email."},
		{"short password", "x@clinic.test", "manager", "shortpw", http.StatusBadRequest, "password", "The password needs at least 10 characters."},
		{"long password", "x@clinic.test", "manager", strings.Repeat("p", 73), http.StatusBadRequest, "password", "The password is too long"},
		{"no role", "x@clinic.test", "", "a long first password", http.StatusBadRequest, "role", "Choose a role."},
		{"unknown role", "x@clinic.test", "admin", "a long first password", http.StatusBadRequest, "role", "Choose a role."},
		{"doctor without doctor", "x@clinic.test", "doctor", "a long first password", http.StatusBadRequest, "role", "Choose the doctor this account acts for."},
		{"unknown doctor", "x@clinic.test", "doctor:999", "a long first password", http.StatusNotFound, "role", "That doctor is no longer in the clinic."},
	} {
		p := owner.post("/console/settings/users", staffForm(t, owner, "email", tc.email, "role", tc.role, "password", tc.password))
		require.Equalf(t, tc.status, p.status, "%s: %s", tc.name, p.body)
		require.Containsf(t, p.body, `<span class="field-error" id="`+tc.field+`-error">`+tc.says, tc.name)
		if tc.email != "" {
			require.Containsf(t, p.body, `value="`+strings.TrimSpace(tc.email)+`"`, "%s: the email stays filled in", tc.name)
		}
		require.NotContainsf(t, p.body, tc.password, "%s: the password is not sent back", tc.name)
	}
	require.Equal(t, 4, tb.countRows(t, `SELECT count(*) FROM users`), "refused users leave no row")
	require.Zero(t, tb.countRows(t, `SELECT count(*) FROM access_events`))
}

func TestOwnerChangesRolesAndDisablesUsersWhoAreSignedOutAtOnce(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	desk := tb.signedIn(t, access.Receptionist)
	deskID := strconv.FormatInt(tb.userID(t, tb.emails[access.Receptionist]), 10)
	require.Equal(t, http.StatusOK, desk.get("/console/").status)

	p := owner.post("/console/settings/users/"+deskID+"/role", staffForm(t, owner, "role", "manager"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	page := owner.get("/console/settings/users")
	require.Contains(t, page.body, "receptionist@clinic.test is now a manager.")
	require.Contains(t, page.body, "changed the role of <strong>receptionist@clinic.test</strong>: receptionist → manager")
	require.Contains(t, desk.get("/console/").body, `<span class="role role-manager">manager</span>`, "the new role applies at the next page")

	p = owner.post("/console/settings/users/"+deskID+"/role", staffForm(t, owner, "role", "doctor"))
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Contains(t, p.body, "Choose the doctor this account acts for.")

	p = owner.post("/console/settings/users/"+deskID+"/disable", staffForm(t, owner))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Contains(t, owner.get("/console/settings/users").body, "is disabled: they cannot sign in")
	require.Zero(t, tb.countRows(t, `SELECT count(*) FROM console_sessions WHERE user_id = $1`, deskID))
	away := desk.get("/console/")
	require.Equal(t, http.StatusSeeOther, away.status, "their open sign-in has ended")
	require.Contains(t, away.location(), "/console/signin")
	require.Equal(t, http.StatusUnauthorized, tb.signinStatus(t, access.Receptionist), "a disabled user cannot sign in")

	p = owner.post("/console/settings/users/"+deskID+"/enable", staffForm(t, owner))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Contains(t, owner.get("/console/settings/users").body, "receptionist@clinic.test can sign in again.")
	require.Equal(t, http.StatusSeeOther, tb.signinStatus(t, access.Receptionist))

	for _, path := range []string{"/console/settings/users/99999/disable", "/console/settings/users/x/role", "/console/settings/users/99999/role"} {
		require.Equal(t, http.StatusNotFound, owner.post(path, staffForm(t, owner, "role", "manager")).status, path)
	}
}

func TestOwnersCannotRemoveThemselvesNorTheLastOwner(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	ownerID := strconv.FormatInt(tb.userID(t, tb.emails[access.Owner]), 10)
	page := owner.get("/console/settings/users")
	require.NotContains(t, page.body, `action="/console/settings/users/`+ownerID+`/`, "no forms against oneself")
	require.Contains(t, page.body, "Another owner can change your role.")

	for path, says := range map[string]string{
		"/console/settings/users/" + ownerID + "/role":    "You cannot change your own role",
		"/console/settings/users/" + ownerID + "/disable": "You cannot disable your own account",
	} {
		p := owner.post(path, staffForm(t, owner, "role", "manager"))
		require.Equal(t, http.StatusUnprocessableEntity, p.status, path)
		require.Contains(t, p.body, `<p class="form-error staff-problem" role="alert">`+says)
	}

	// A second owner may demote the first, and then is the last owner, whom nobody can remove.
	tb.emails["second"] = tb.addUser(t, "second@clinic.test", access.Owner, 0)
	second := tb.browser(t)
	require.Equal(t, http.StatusSeeOther, second.signin("second@clinic.test", testPassword, "").status)
	p := second.post("/console/settings/users/"+ownerID+"/role", staffForm(t, second, "role", "manager"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, http.StatusForbidden, owner.get("/console/settings/users").status, "a manager now")
	require.Equal(t, 1, tb.countRows(t, `SELECT count(*) FROM users WHERE role = 'owner' AND disabled_at IS NULL`))
}

func TestOwnerCreatesATokenSeesItsSecretOnceAndRevokesIt(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	owner := tb.signedIn(t, access.Owner)
	page := owner.get("/console/settings/tokens")
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, page.body, "No API tokens yet.")

	form := url.Values{"csrf": {csrf(t, page)}, "name": {"Lab export"}, "role": {"manager"}}
	p := owner.post("/console/settings/tokens", form)
	require.Equal(t, http.StatusCreated, p.status, p.body)
	require.Equal(t, "no-store", p.resp.Header.Get("Cache-Control"))
	secret := secretInput.FindStringSubmatch(p.body)
	require.NotNil(t, secret, p.body)
	require.Contains(t, p.body, "Copy the new token “Lab export” now")
	principal, err := tb.deps.Access.Authenticate(ctx, secret[1])
	require.NoError(t, err, "the secret shown works")
	require.Equal(t, access.Manager, principal.Role)

	again := owner.get("/console/settings/tokens")
	require.NotContains(t, again.body, secret[1], "the secret is never shown again")
	require.Contains(t, again.body, "Lab export")
	require.Contains(t, again.body, "created the API token <strong>Lab export</strong> as manager")

	revoke := url.Values{"csrf": {csrf(t, again)}}
	p = owner.post("/console/settings/tokens/"+strconv.FormatInt(principal.ID, 10)+"/revoke", revoke)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/settings/tokens", p.location())
	_, err = tb.deps.Access.Authenticate(ctx, secret[1])
	require.ErrorIs(t, err, access.ErrUnauthenticated, "revoked at once")
	after := owner.get("/console/settings/tokens")
	require.Contains(t, after.body, "The token “Lab export” is revoked: it no longer works.")
	require.Contains(t, after.body, "Revoked")
	require.Contains(t, after.body, "revoked the API token <strong>Lab export</strong>")
	p = owner.post("/console/settings/tokens/"+strconv.FormatInt(principal.ID, 10)+"/revoke", revoke)
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, owner.get("/console/settings/tokens").body, "was already revoked.")
	require.Equal(t, http.StatusNotFound, owner.post("/console/settings/tokens/4242/revoke", revoke).status)
}

func TestCreateTokenRefusalsAreShownAtTheirField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	owner := tb.signedIn(t, access.Owner)
	token := csrf(t, owner.get("/console/settings/tokens"))
	for _, tc := range []struct {
		name, token, role string
		status            int
		field, says       string
	}{
		{"no name", "  ", "manager", http.StatusBadRequest, "name", "Name the token after what will use it"},
		{"two lines", "a\nb", "manager", http.StatusBadRequest, "name", "The name must be plain text on one line."},
		{"long name", strings.Repeat("n", 500), "manager", http.StatusBadRequest, "name", "The name is too long"},
		{"no role", "export", "", http.StatusBadRequest, "role", "Choose a role."},
		{"doctor without doctor", "export", "doctor", http.StatusBadRequest, "role", "Choose the doctor this token acts for."},
		{"unknown doctor", "export", "doctor:999", http.StatusNotFound, "role", "That doctor is no longer in the clinic."},
	} {
		p := owner.post("/console/settings/tokens", url.Values{"csrf": {token}, "name": {tc.token}, "role": {tc.role}})
		require.Equalf(t, tc.status, p.status, "%s: %s", tc.name, p.body)
		require.Containsf(t, p.body, `<span class="field-error" id="`+tc.field+`-error">`+tc.says, tc.name)
		require.NotRegexp(t, secretInput, p.body)
	}
	require.Zero(t, tb.countRows(t, `SELECT count(*) FROM api_tokens`), "refused tokens leave no row")
}
