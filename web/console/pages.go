package console

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the pages there are, each templates/NAME.html defining "title" and "content".
var pageNames = []string{"signin", "today", "signins", "error", "calendar", "book", "reschedule", "cancel"}

// fragmentNames are the fragments of templates/partials that Go code renders by name (see
// Console.fragment); start-up fails when one is missing.
var fragmentNames []string

// pages holds each page parsed with the layout.
type pages map[string]*template.Template

// navItem is one entry of the top bar. A page is listed only for the roles that may open it, and
// its route is guarded for the same roles (Mount).
type navItem struct {
	Name, Path string
	Roles      []access.Role
	// Badge is a count shown beside the name; 0 shows none.
	Badge int
	// badge, when set, decides on each page whether the entry shows (a part the server runs without
	// hides it) and fills its Badge.
	badge func(con *Console, c *gin.Context) (show bool, count int)
}

var (
	allStaff   = []access.Role{access.Owner, access.Manager, access.Doctor, access.Receptionist}
	navigation = []navItem{
		{Name: "Today", Path: Prefix + "/", Roles: allStaff},
		{Name: "Calendar", Path: Prefix + "/calendar", Roles: allStaff},
		{Name: "Book", Path: Prefix + "/book", Roles: deskRoles},
	}
)

// parsePages parses the layout and the shared fragments once, and every page on a copy of them.
func parsePages(fsys fs.FS, a *assets) (pages, error) {
	// Fragments that several pages share are defined under templates/partials, parsed with the layout.
	layout, err := template.New("layout.html").Funcs(template.FuncMap{"asset": a.url, "fieldOf": fieldOf}).
		ParseFS(fsys, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("console templates: %w", err)
	}
	for _, name := range fragmentNames {
		if layout.Lookup(name) == nil {
			return nil, fmt.Errorf("console templates: no fragment %q under templates/partials", name)
		}
	}
	p := pages{}
	for _, name := range pageNames {
		t, err := template.Must(layout.Clone()).ParseFS(fsys, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("console page %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("console page %s: templates/%s.html defines no \"content\"", name, name)
		}
		p[name] = t
	}
	return p, nil
}

// view is what the layout shows around a page.
type view struct {
	Clinic string
	Title  string
	// Account is the signed-in user; nil on the sign-in and error pages of a signed-out visitor.
	Account *account
	Nav     []navItem
	// Current is the navigation entry the page belongs to (its path), to mark it.
	Current string
	Flash   *flash
	// Alerts are the channels patients cannot use right now, shown above every page.
	Alerts []channelAlert
	Page   any
}

// render writes a page inside the layout. It renders into a buffer first, so a failing template
// answers an error page, never half a page.
func (con *Console) render(c *gin.Context, status int, name, title string, page any) {
	v := view{Clinic: con.cfg.ClinicName, Title: title, Current: section(c.Request.URL.Path), Flash: con.takeFlash(c), Page: page}
	if a, ok := c.Get(ctxAccount); ok {
		acc := a.(account)
		v.Account = &acc
		v.Alerts = con.channelAlerts(c)
		for _, item := range navigation {
			if !slices.Contains(item.Roles, acc.Role) {
				continue
			}
			if item.badge != nil {
				show, n := item.badge(con, c)
				if !show {
					continue
				}
				item.Badge = n
			}
			v.Nav = append(v.Nav, item)
		}
	}
	var buf bytes.Buffer
	if err := con.pages[name].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		con.log.ErrorContext(c.Request.Context(), "console page failed", "page", name, "err", err)
		if name == "error" {
			c.String(http.StatusInternalServerError, "Something went wrong on our side. Please try again.")
			return
		}
		con.errorPage(c, http.StatusInternalServerError, "Something went wrong",
			"This page could not be shown. Please try again; if it keeps happening, tell the clinic's administrator.")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage answers a friendly page with a title and a message, and stops the request.
func (con *Console) errorPage(c *gin.Context, status int, title, message string) {
	con.render(c, status, "error", title, struct{ Message string }{message})
	c.Abort()
}

// csrfRefused answers a form whose CSRF token is missing or wrong: most often a page left open
// across a sign-out or a restart, so the page says how to carry on.
func (con *Console) csrfRefused(c *gin.Context) {
	con.errorPage(c, http.StatusForbidden, "This form has expired",
		"For your safety the form was not accepted: it was sent from an old page or another site. "+
			"Go back, reload the page and try again.")
}

var kindStatus = map[scheduling.Kind]int{
	scheduling.KindInvalid:   http.StatusBadRequest,
	scheduling.KindRule:      http.StatusUnprocessableEntity,
	scheduling.KindNotFound:  http.StatusNotFound,
	scheduling.KindConflict:  http.StatusConflict,
	scheduling.KindForbidden: http.StatusForbidden,
}

// fail answers err: a domain error with its message and status, a time-out as a retryable 503, and
// anything else as a logged 500 that names the request id (never the error's text).
func (con *Console) fail(c *gin.Context, err error) {
	var de *scheduling.Error
	switch {
	case errors.As(err, &de):
		con.errorPage(c, kindStatus[de.Kind], "That did not work", de.Message)
	case errors.Is(err, context.Canceled):
		c.Abort()
	case errors.Is(err, context.DeadlineExceeded):
		con.errorPage(c, http.StatusServiceUnavailable, "Please try again", "The clinic's server is busy right now. Please try again in a moment.")
	default:
		id := c.Writer.Header().Get("X-Request-ID")
		con.log.ErrorContext(c.Request.Context(), "console request failed", "request_id", id, "err", err)
		con.errorPage(c, http.StatusInternalServerError, "Something went wrong",
			"Something went wrong on our side. Please try again; if it keeps happening, tell the clinic's administrator (request "+id+").")
	}
}

const flashCookie = "clinic_flash"

// Flash kinds: how a message is coloured.
const (
	flashInfo    = "info"
	flashSuccess = "success"
	flashError   = "error"
)

// flash is a message carried across a redirect, so that every action shows what it did.
type flash struct {
	Kind, Message string
}

// flash leaves a message for the next page the browser shows.
func (con *Console) flash(c *gin.Context, kind, message string) {
	con.setCookie(c, flashCookie, url.QueryEscape(kind+":"+message), 60)
}

// takeFlash reads the message the previous response left, and removes it so it is shown once.
func (con *Console) takeFlash(c *gin.Context) *flash {
	cookie, err := c.Request.Cookie(flashCookie)
	if err != nil || cookie.Value == "" {
		return nil
	}
	con.setCookie(c, flashCookie, "", -1)
	raw, err := url.QueryUnescape(cookie.Value)
	if err != nil {
		return nil
	}
	kind, message, ok := strings.Cut(raw, ":")
	if !ok || message == "" || kind != flashInfo && kind != flashSuccess && kind != flashError {
		return nil
	}
	return &flash{Kind: kind, Message: message}
}

// section is the path of the navigation entry a page belongs to: the entry whose path is the page's
// or a folder above it (a patient's page is under Patients), the longest such.
func section(path string) string {
	best := ""
	for _, item := range navigation {
		p := item.Path
		if (path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") && p != Prefix+"/") && len(p) > len(best) {
			best = p
		}
	}
	if best == "" && path == Prefix {
		return Prefix + "/"
	}
	return best
}
