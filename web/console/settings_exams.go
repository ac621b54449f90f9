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

// examWindowsText sums up service windows for the list, days with the same hours together:
// "Mon–Sat 07:00–10:00".
func examWindowsText(ws []scheduling.WeeklyHours) string {
	hours := map[int][]string{}
	for _, w := range ws {
		hours[w.Weekday] = append(hours[w.Weekday], w.Start+"–"+w.End)
	}
	var parts []string
	done := map[int]bool{}
	for d := 1; d <= 7; d++ {
		if done[d] || hours[d] == nil {
			continue
		}
		same := strings.Join(hours[d], ", ")
		var days []int
		for e := d; e <= 7; e++ {
			if !done[e] && strings.Join(hours[e], ", ") == same {
				days, done[e] = append(days, e), true
			}
		}
		parts = append(parts, examDaysText(days)+" "+same)
	}
	return strings.Join(parts, "; ")
}

// examDaysText writes weekdays in order, runs of three or more as a range: "Mon–Fri", "Tue, Thu".
func examDaysText(days []int) string {
	var out []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1] == days[j]+1 {
			j++
		}
		switch {
		case j-i >= 2:
			out = append(out, examWeekdays[days[i]][:3]+"–"+examWeekdays[days[j]][:3])
		default:
			for k := i; k <= j; k++ {
				out = append(out, examWeekdays[days[k]][:3])
			}
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}
