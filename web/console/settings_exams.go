package console

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
	"clinic/web/access"
)

func init() {
	pageNames = append(pageNames, "settings_exams", "settings_exam", "settings_reasons", "settings_templates",
		"settings_template", "settings_template_new")
}

// examSettingsRoutes serves the managers' settings of examinations, cancellation reasons and record
// templates.
func (con *Console) examSettingsRoutes(in *gin.RouterGroup) {
	g := in.Group("/settings", con.allow(access.Owner, access.Manager))
	g.GET("/examinations", con.examList)
	g.GET("/examinations/new", con.examNew)
	g.POST("/examinations", con.examCreate)
	g.GET("/examinations/:id", con.examEdit)
	g.POST("/examinations/:id", con.examSave)
	g.GET("/cancel-reasons", con.reasonsPage)
	g.POST("/cancel-reasons", con.reasonsSave)
	g.GET("/templates", con.templateList)
	g.GET("/templates/new", con.templateNew)
	g.POST("/templates", con.templateCreate)
	g.GET("/templates/:id", con.templateView)
}

// examRow is one examination in the settings list, with its price at each branch that offers it.
type examRow struct {
	ID        scheduling.ID
	Code      string
	Name      string
	Minutes   int
	Prices    []examPriceView
	Doctors   string
	NeedsRoom bool
	Windows   string
}

// examPriceView is an examination's price at one branch, as money.
type examPriceView struct {
	Branch, Price string
	Own           bool
}

// examListPage is the list of examinations.
type examListPage struct {
	Rows []examRow
}

// examList shows every examination with its prices per branch, doctors, room and hours.
func (con *Console) examList(c *gin.Context) {
	ctx := c.Request.Context()
	exams, err := con.sched.ListExaminations(ctx, 0)
	if err != nil {
		con.fail(c, err)
		return
	}
	cat, err := con.examCatalog(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	page := examListPage{}
	for _, e := range exams {
		r := examRow{ID: e.ID, Code: e.Code, Name: e.Name, Minutes: e.DurationMinutes, NeedsRoom: e.NeedsRoom,
			Windows: examWindowsText(e.Windows)}
		for _, b := range cat.branches {
			if slices.Contains(e.BranchIDs, b.ID) {
				own := slices.ContainsFunc(e.Prices, func(p scheduling.BranchPrice) bool { return p.BranchID == b.ID })
				r.Prices = append(r.Prices, examPriceView{Branch: b.Name, Price: priceText(e.PriceAt(b.ID), b.Currency), Own: own})
			}
		}
		var names []string
		for _, d := range cat.doctors {
			if slices.Contains(e.DoctorIDs, d.ID) {
				names = append(names, d.Name)
			}
		}
		r.Doctors = strings.Join(names, ", ")
		page.Rows = append(page.Rows, r)
	}
	con.render(c, http.StatusOK, "settings_exams", "Examinations", page)
}

// examCatalog is what the examination pages choose from: branches, their rooms, and doctors.
type examCatalog struct {
	branches []scheduling.Branch
	rooms    []scheduling.Room
	doctors  []scheduling.Doctor
}

func (con *Console) examCatalog(ctx context.Context) (*examCatalog, error) {
	var cat examCatalog
	var err error
	if cat.branches, err = con.sched.ListBranches(ctx); err != nil {
		return nil, err
	}
	if cat.rooms, err = con.sched.ListRooms(ctx, 0); err != nil {
		return nil, err
	}
	if cat.doctors, err = con.sched.ListDoctors(ctx); err != nil {
		return nil, err
	}
	return &cat, nil
}

// examWeekdays are the ISO weekdays, 1 (Monday) to 7 (Sunday).
var examWeekdays = [8]string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// examWindowsText sums up service windows for the list: "Mon 07:00–10:00, Tue 07:00–10:00".
func examWindowsText(ws []scheduling.WeeklyHours) string {
	if len(ws) == 0 {
		return ""
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = examWeekdays[w.Weekday][:3] + " " + w.Start + "–" + w.End
	}
	return strings.Join(parts, ", ")
}
