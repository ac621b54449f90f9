package console

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/inbox"
	"clinic/scheduling"
	"clinic/web/access"
)

func init() { pageNames = append(pageNames, "settings_form") }

const formSettingsPath = Prefix + "/settings/booking-form"

// formSettingsRoutes mounts the settings of the public booking form: which fields show, which are
// required, and the clinic's custom fields. Managers and the owner edit them.
func (con *Console) formSettingsRoutes(in *gin.RouterGroup) {
	if con.inbox == nil {
		return
	}
	g := in.Group("/settings", con.allow(access.Owner, access.Manager))
	g.GET("/booking-form", con.formSettingsPage)
	g.POST("/booking-form", con.formSettingsSave)
}

// formPage is the booking form's settings as the page edits them.
type formPage struct {
	CSRF     string
	Standard []standardRow
	Fields   []customRow
	New      customRow
	Kinds    []kindChoice
	Errors   map[string]string
}

// standardRow is one standard field with its visibility.
type standardRow struct {
	Name, Label, About string
	Visibility         inbox.Visibility
}

// customRow is one custom field as typed: Options are written one a line as "English | Arabic".
type customRow struct {
	Index, Pos                           int
	Key, LabelEN, LabelAR, Kind, Options string
	Required, First, Last                bool
}

// kindChoice is one kind of custom field in the kind select.
type kindChoice struct{ Value, Label string }

var (
	standardLabels = map[string][2]string{
		"examination":    {"Examination", "What the visit is for."},
		"branch":         {"Branch", "Where the visit takes place."},
		"doctor":         {"Doctor", "A doctor the patient asks for."},
		"preferred_time": {"Preferred time", "A real free slot the patient picks; needs the examination and the branch."},
		"message":        {"Message", "Anything else the patient wants to say."},
		"email":          {"Email", "An email address besides the phone."},
	}
	kindChoices = []kindChoice{{"text", "Text"}, {"choice", "Choice"}, {"date", "Date"}, {"yes_no", "Yes / no"}}
)

func (con *Console) formSettingsPage(c *gin.Context) {
	f, err := con.inbox.FormSettings(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	rows := make([]customRow, len(f.Fields))
	for i, fd := range f.Fields {
		var opts []string
		for _, o := range fd.Options {
			opts = append(opts, o.Label.EN+" | "+o.Label.AR)
		}
		rows[i] = customRow{Key: fd.Key, LabelEN: fd.Label.EN, LabelAR: fd.Label.AR, Kind: string(fd.Kind),
			Options: strings.Join(opts, "\n"), Required: fd.Required}
	}
	con.render(c, http.StatusOK, "settings_form", "Booking form", formPageOf(f, rows, customRow{Kind: "text"}, nil, signedIn(c).CSRF))
}

func formPageOf(f *inbox.FormSettings, rows []customRow, added customRow, errs map[string]string, csrf string) formPage {
	p := formPage{CSRF: csrf, New: added, Kinds: kindChoices, Errors: errs}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	for _, sf := range f.Standard() {
		l := standardLabels[sf.Name]
		p.Standard = append(p.Standard, standardRow{Name: sf.Name, Label: l[0], About: l[1], Visibility: *sf.Visibility})
	}
	for i := range rows {
		rows[i].Index, rows[i].Pos, rows[i].First, rows[i].Last = i, i+1, i == 0, i == len(rows)-1
	}
	p.Fields = rows
	return p
}

// formSettingsSave applies one change to the settings as they stand on the page (a field added,
// removed or moved, or everything saved) and saves them whole; refused settings are shown again as
// typed, with the message at the field they are about, and nothing is saved.
func (con *Console) formSettingsSave(c *gin.Context) {
	f := inbox.DefaultFormSettings()
	for _, sf := range f.Standard() {
		*sf.Visibility = inbox.Visibility(c.PostForm("vis_" + sf.Name))
	}
	rows := postedRows(c)
	added := customRow{LabelEN: strings.TrimSpace(c.PostForm("new_label_en")), LabelAR: strings.TrimSpace(c.PostForm("new_label_ar")),
		Kind: c.PostForm("new_kind"), Options: c.PostForm("new_options"), Required: c.PostForm("new_required") != ""}
	action, arg, _ := strings.Cut(c.PostForm("action"), ":")
	i, err := strconv.Atoi(arg)
	inRange := err == nil && i >= 0 && i < len(rows)
	done := "The booking form is saved."
	switch {
	case action == "add":
		if added.LabelEN == "" && added.LabelAR == "" {
			con.render(c, http.StatusUnprocessableEntity, "settings_form", "Booking form",
				formPageOf(&f, rows, added, map[string]string{"new": "Type the new field's label in English and in Arabic."}, signedIn(c).CSRF))
			return
		}
		rows = append(rows, added)
		done = fmt.Sprintf("“%s” is added to the form.", added.LabelEN)
	case action == "remove" && inRange:
		done = fmt.Sprintf("“%s” is removed from the form.", rows[i].LabelEN)
		rows = slices.Delete(rows, i, i+1)
	case action == "up" && inRange && i > 0:
		rows[i-1], rows[i] = rows[i], rows[i-1]
		done = fmt.Sprintf("“%s” moved up.", rows[i-1].LabelEN)
	case action == "down" && inRange && i < len(rows)-1:
		rows[i+1], rows[i] = rows[i], rows[i+1]
		done = fmt.Sprintf("“%s” moved down.", rows[i+1].LabelEN)
	case action == "save":
	default:
		con.errorPage(c, http.StatusBadRequest, "That did not work", "The page asked for a change it does not offer. Reload it and try again.")
		return
	}
	for n, r := range rows {
		fd, msg := customOf(r)
		if msg != "" {
			con.refuseForm(c, &f, rows, added, action == "add", n, msg)
			return
		}
		f.Fields = append(f.Fields, fd)
	}
	_, err = con.inbox.SetFormSettings(c.Request.Context(), f, signedIn(c).Email)
	var de *scheduling.Error
	switch {
	case err == nil:
		con.flash(c, flashSuccess, done)
		c.Redirect(http.StatusSeeOther, formSettingsPath)
		return
	case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden || de.Kind == scheduling.KindNotFound:
		con.fail(c, err)
		return
	}
	field, _ := de.Details["field"].(string)
	_, msg, _ := strings.Cut(de.Message, ": ")
	var at int
	if _, err := fmt.Sscanf(field, "fields[%d]", &at); err == nil {
		con.refuseForm(c, &f, rows, added, action == "add", at, sentence(msg))
		return
	}
	key := "form"
	if _, ok := standardLabels[field]; ok {
		key = "vis_" + field
	}
	con.render(c, kindStatus[de.Kind], "settings_form", "Booking form",
		formPageOf(&f, rows, added, map[string]string{key: sentence(msg)}, signedIn(c).CSRF))
}

// refuseForm shows the settings again with msg at custom field n (at the new field's row when it is
// the one being added).
func (con *Console) refuseForm(c *gin.Context, f *inbox.FormSettings, rows []customRow, added customRow, adding bool, n int, msg string) {
	key := "row_" + strconv.Itoa(n)
	if adding && n == len(rows)-1 {
		rows, key = rows[:n], "new"
	} else if adding {
		rows = rows[:len(rows)-1]
	}
	con.render(c, http.StatusUnprocessableEntity, "settings_form", "Booking form",
		formPageOf(f, rows, added, map[string]string{key: msg}, signedIn(c).CSRF))
}

// postedRows reads the custom fields as the page posted them, in page order.
func postedRows(c *gin.Context) []customRow {
	keys, en, ar := c.PostFormArray("key"), c.PostFormArray("label_en"), c.PostFormArray("label_ar")
	kinds, opts, required := c.PostFormArray("kind"), c.PostFormArray("options"), c.PostFormArray("required")
	var rows []customRow
	for i := range keys {
		at := func(s []string) string {
			if i < len(s) {
				return s[i]
			}
			return ""
		}
		rows = append(rows, customRow{Key: keys[i], LabelEN: strings.TrimSpace(at(en)), LabelAR: strings.TrimSpace(at(ar)),
			Kind: at(kinds), Options: at(opts), Required: slices.Contains(required, strconv.Itoa(i))})
	}
	return rows
}

// customOf reads a typed row; msg says what is wrong with its options when they cannot be read.
func customOf(r customRow) (fd inbox.CustomField, msg string) {
	fd = inbox.CustomField{Key: r.Key, Kind: inbox.FieldKind(r.Kind), Required: r.Required,
		Label: inbox.Label{EN: r.LabelEN, AR: r.LabelAR}}
	if fd.Kind != inbox.FieldChoice {
		return fd, ""
	}
	for _, line := range strings.Split(r.Options, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		en, ar, ok := strings.Cut(line, "|")
		if !ok || strings.TrimSpace(en) == "" || strings.TrimSpace(ar) == "" {
			return fd, fmt.Sprintf("Write each option on its own line as English | Arabic (“%s” is not).", line)
		}
		fd.Options = append(fd.Options, inbox.Option{Label: inbox.Label{EN: strings.TrimSpace(en), AR: strings.TrimSpace(ar)}})
	}
	return fd, ""
}
