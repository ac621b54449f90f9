package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// reasonsPage is the editor of the cancellation reasons the front desk picks from.
type reasonsPage struct {
	Reasons []reasonRow
	// New is the reason being added, kept when it was refused.
	New    string
	Errors map[string]string
	CSRF   string
	Max    int
}

// reasonRow is one reason at its place in the list.
type reasonRow struct {
	Index, Pos  int
	Label       string
	First, Last bool
}

// reasonsPage shows the list in the order staff see it.
func (con *Console) reasonsPage(c *gin.Context) {
	reasons, err := con.sched.CancelReasons(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "settings_reasons", "Cancellation reasons", reasonsPageOf(reasons, "", nil, signedIn(c).CSRF))
}

func reasonsPageOf(reasons []string, added string, errs map[string]string, csrf string) reasonsPage {
	p := reasonsPage{New: added, Errors: errs, CSRF: csrf, Max: scheduling.MaxCancelReasons}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	for i, r := range reasons {
		p.Reasons = append(p.Reasons, reasonRow{Index: i, Pos: i + 1, Label: r, First: i == 0, Last: i == len(reasons)-1})
	}
	return p
}

// reasonsSave applies one change to the list as it stands on the page (a reason added, removed,
// moved, or the labels edited) and saves the whole list; a refused list is shown again as typed, with
// the message at the reason it is about, and nothing is saved.
func (con *Console) reasonsSave(c *gin.Context) {
	reasons := c.PostFormArray("reason")
	for i := range reasons {
		reasons[i] = strings.TrimSpace(reasons[i])
	}
	added := strings.TrimSpace(c.PostForm("new"))
	action, arg, _ := strings.Cut(c.PostForm("action"), ":")
	i, err := strconv.Atoi(arg)
	inRange := err == nil && i >= 0 && i < len(reasons)
	done := "The cancellation reasons are saved."
	switch {
	case action == "add":
		if added == "" {
			con.render(c, http.StatusUnprocessableEntity, "settings_reasons", "Cancellation reasons",
				reasonsPageOf(reasons, added, map[string]string{"new": "Type the reason to add."}, signedIn(c).CSRF))
			return
		}
		reasons = append(reasons, added)
		done = fmt.Sprintf("“%s” is added.", added)
	case action == "remove" && inRange:
		done = fmt.Sprintf("“%s” is removed.", reasons[i])
		reasons = append(reasons[:i], reasons[i+1:]...)
	case action == "up" && inRange && i > 0:
		reasons[i-1], reasons[i] = reasons[i], reasons[i-1]
		done = fmt.Sprintf("“%s” moved up.", reasons[i-1])
	case action == "down" && inRange && i < len(reasons)-1:
		reasons[i+1], reasons[i] = reasons[i], reasons[i+1]
		done = fmt.Sprintf("“%s” moved down.", reasons[i+1])
	case action == "save" && added != "":
		// Enter pressed in the field of a new reason saves the list with it.
		reasons = append(reasons, added)
		action, done = "add", fmt.Sprintf("“%s” is added.", added)
	case action == "save":
	default:
		con.errorPage(c, http.StatusBadRequest, "That did not work", "The page asked for a change it does not offer. Reload it and try again.")
		return
	}
	if reasons == nil {
		reasons = []string{}
	}
	_, err = con.sched.SetCancelReasons(c.Request.Context(), reasons)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, done)
		c.Redirect(http.StatusSeeOther, Prefix+"/settings/cancel-reasons")
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden || de.Kind == scheduling.KindNotFound:
		con.fail(c, err)
		return
	}
	field, msg := reasonFieldError(de, reasons, action == "add")
	if action == "add" {
		reasons = reasons[:len(reasons)-1] // shown again in the field it was typed in
	} else {
		added = c.PostForm("new")
	}
	con.render(c, kindStatus[de.Kind], "settings_reasons", "Cancellation reasons",
		reasonsPageOf(reasons, added, map[string]string{field: msg}, signedIn(c).CSRF))
}

// reasonFieldError names the reason a refused list is about ("reason_3", or "new" for the one being
// added) and says what to do.
func reasonFieldError(de *scheduling.Error, reasons []string, adding bool) (field, message string) {
	field = "form"
	var at int
	if _, err := fmt.Sscanf(de.Message, "reasons[%d]", &at); err == nil {
		field = "reason_" + strconv.Itoa(at)
	}
	if de.Code == "duplicate_reason" {
		seen := map[string]bool{}
		for i, r := range reasons {
			if seen[strings.ToLower(r)] {
				field = "reason_" + strconv.Itoa(i)
				break
			}
			seen[strings.ToLower(r)] = true
		}
	}
	if adding && field == "reason_"+strconv.Itoa(len(reasons)-1) {
		field = "new"
	}
	switch de.Code {
	case "missing_reason":
		return field, "Type a reason, or remove this one."
	case "duplicate_reason":
		return field, "This reason is already in the list."
	case "too_long":
		return field, fmt.Sprintf("This is too long: at most %d characters.", scheduling.MaxNameLength)
	case "list_too_long":
		if adding {
			field = "new"
		}
		return field, fmt.Sprintf("The list holds at most %d reasons: remove one first.", scheduling.MaxCancelReasons)
	case "invalid_text":
		return field, "This is not valid text."
	}
	return field, sentence(de.Message)
}
