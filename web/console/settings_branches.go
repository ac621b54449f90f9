package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// branchRow is a branch in the list.
type branchRow struct {
	ID                       scheduling.ID
	Name, Timezone, Currency string
	Tax, Hours               string
	Rooms                    int
}

// branches lists the branches with their zone, currency, tax and hours.
func (con *Console) branches(c *gin.Context) {
	ctx := c.Request.Context()
	list, err := con.sched.ListBranches(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	rooms, err := con.sched.ListRooms(ctx, 0)
	if err != nil {
		con.fail(c, err)
		return
	}
	rows := make([]branchRow, len(list))
	for i, b := range list {
		rows[i] = branchRow{ID: b.ID, Name: b.Name, Timezone: b.Timezone, Currency: b.Currency,
			Tax: percentOf(b.TaxRateBP) + " %", Hours: weekSummary(b.Hours)}
		for _, r := range rooms {
			if r.BranchID == b.ID {
				rows[i].Rooms++
			}
		}
	}
	con.render(c, http.StatusOK, "settings_branches", "Branches", rows)
}

// branchPage is the form of a new branch or of an existing one with its rooms. Every setting is in
// the form, since saving replaces the whole branch.
type branchPage struct {
	// ID is 0 for a new branch.
	ID                       scheduling.ID
	Name, Timezone, Currency string
	// TaxRate is a percentage; SlotInterval and MinNotice are minutes (no interval: the visit's length).
	TaxRate, SlotInterval, MinNotice, HorizonDays string
	Week                                          weekGrid
	Zones                                         []string
	Errors                                        map[string]string
	// FormError is a refusal that no single field is to blame for.
	FormError string
	CSRF      string
	Rooms     []roomRow
	Room      roomForm
}

// roomRow is a room of the branch with its rename form: the name as typed, and why a change of it
// was refused.
type roomRow struct {
	ID                 scheduling.ID
	Name, Value, Error string
}

func roomRows(rooms []scheduling.Room) []roomRow {
	rows := make([]roomRow, len(rooms))
	for i, r := range rooms {
		rows[i] = roomRow{ID: r.ID, Name: r.Name, Value: r.Name}
	}
	return rows
}

// roomForm is the form that adds a room to a branch.
type roomForm struct {
	Name, Error string
}

// newBranch shows an empty branch form: closed every day until hours are typed.
func (con *Console) newBranch(c *gin.Context) {
	page := branchPage{Timezone: "UTC", TaxRate: "0", MinNotice: strconv.Itoa(scheduling.DefaultMinNoticeMinutes),
		HorizonDays: strconv.Itoa(scheduling.DefaultHorizonDays), Week: newWeekGrid("hours", nil),
		Zones: scheduling.CanonicalZones(), CSRF: signedIn(c).CSRF}
	con.render(c, http.StatusOK, "settings_branch", "New branch", page)
}

// editBranch shows a branch's form with its rooms.
func (con *Console) editBranch(c *gin.Context) {
	id, ok := con.branchID(c)
	if !ok {
		return
	}
	page, ok := con.storedBranch(c, id)
	if !ok {
		return
	}
	con.render(c, http.StatusOK, "settings_branch", page.Name, page)
}

// storedBranch is the form of a branch as stored, with its rooms.
func (con *Console) storedBranch(c *gin.Context, id scheduling.ID) (branchPage, bool) {
	ctx := c.Request.Context()
	b, err := con.sched.GetBranch(ctx, id)
	if err != nil {
		con.fail(c, err)
		return branchPage{}, false
	}
	rooms, err := con.sched.ListRooms(ctx, id)
	if err != nil {
		con.fail(c, err)
		return branchPage{}, false
	}
	page := branchPage{ID: id, Name: b.Name, Timezone: b.Timezone, Currency: b.Currency, TaxRate: percentOf(b.TaxRateBP),
		MinNotice: strconv.Itoa(b.MinNoticeMinutes), HorizonDays: strconv.Itoa(b.HorizonDays),
		Week: newWeekGrid("hours", b.Hours), Zones: scheduling.CanonicalZones(), CSRF: signedIn(c).CSRF, Rooms: roomRows(rooms)}
	if b.SlotIntervalMinutes != nil {
		page.SlotInterval = strconv.Itoa(*b.SlotIntervalMinutes)
	}
	return page, true
}

func (con *Console) branchID(c *gin.Context) (scheduling.ID, bool) {
	return con.pathID(c, "id", "branch", "Pick one from the list of branches.")
}

// createBranch adds a branch from the form.
func (con *Console) createBranch(c *gin.Context) {
	page, in, ok := readBranchForm(c)
	status := http.StatusUnprocessableEntity
	if ok {
		b, err := con.sched.CreateBranch(c.Request.Context(), in)
		if err == nil {
			con.flash(c, flashSuccess, "Branch "+b.Name+" is added. Add its rooms below.")
			c.Redirect(http.StatusSeeOther, Prefix+"/settings/branches/"+idPath(b.ID))
			return
		}
		if status = con.branchRefused(c, &page, in, err); status == 0 {
			return
		}
	}
	if page.FormError == "" {
		page.FormError = "Nothing was saved. Correct the marked fields and save again."
	}
	con.render(c, status, "settings_branch", "New branch", page)
}

// saveBranch replaces a branch's settings and hours from the form; all of them are saved or none.
func (con *Console) saveBranch(c *gin.Context) {
	id, ok := con.branchID(c)
	if !ok {
		return
	}
	page, in, ok := readBranchForm(c)
	page.ID = id
	status := http.StatusUnprocessableEntity
	if rooms, err := con.sched.ListRooms(c.Request.Context(), id); err == nil {
		page.Rooms = roomRows(rooms)
	}
	if ok {
		_, err := con.sched.UpdateBranch(c.Request.Context(), id, in)
		if err == nil {
			con.flash(c, flashSuccess, "The branch's settings and opening hours are saved.")
			c.Redirect(http.StatusSeeOther, Prefix+"/settings/branches/"+idPath(id))
			return
		}
		if status = con.branchRefused(c, &page, in, err); status == 0 {
			return
		}
	}
	if page.FormError == "" {
		page.FormError = "Nothing was saved. Correct the marked fields and save again."
	}
	con.render(c, status, "settings_branch", "Edit "+page.Name, page)
}

// readBranchForm reads the branch form as typed; ok is false when it cannot be sent as it is, with
// the reasons at the fields.
func readBranchForm(c *gin.Context) (page branchPage, in scheduling.BranchInput, ok bool) {
	field := func(name string) string { return strings.TrimSpace(c.PostForm(name)) }
	page = branchPage{Name: field("name"), Timezone: field("timezone"), Currency: strings.ToUpper(field("currency")),
		TaxRate: field("tax_rate"), SlotInterval: field("slot_interval"), MinNotice: field("min_notice"),
		HorizonDays: field("horizon_days"), Zones: scheduling.CanonicalZones(), CSRF: signedIn(c).CSRF,
		Errors: map[string]string{}}
	in = scheduling.BranchInput{Name: page.Name, Timezone: page.Timezone, Currency: page.Currency}
	var hoursOK bool
	page.Week, in.Hours, hoursOK = readWeekGrid(c, "hours")
	if bp, err := basisPoints(page.TaxRate); err != nil {
		page.Errors["tax_rate"] = err.Error()
	} else {
		in.TaxRateBP = &bp
	}
	whole := func(name, value string, optional bool, message string) *int {
		if value == "" && optional {
			return nil
		}
		n, err := strconv.Atoi(value)
		if err != nil {
			page.Errors[name] = message
			return nil
		}
		return &n
	}
	// The zone and currency are checked here too, so that they are marked with any other mistake.
	if !scheduling.IsCanonicalZone(page.Timezone) {
		page.Errors["timezone"] = "Choose a time zone from the list."
	}
	if !scheduling.IsActiveCurrency(page.Currency) {
		page.Errors["currency"] = "Enter a currency code in use, such as EUR or USD."
	}
	in.SlotIntervalMinutes = whole("slot_interval", page.SlotInterval, true, "Enter a number of minutes, or leave it empty.")
	in.MinNoticeMinutes = whole("min_notice", page.MinNotice, false, "Enter a number of minutes, 0 for none.")
	in.HorizonDays = whole("horizon_days", page.HorizonDays, false, "Enter a number of days.")
	return page, in, hoursOK && len(page.Errors) == 0
}

// branchRefused puts the core's refusal of a branch at its field and answers the status to show the
// form with, or answers the error page for anything that is not about the form and returns 0.
func (con *Console) branchRefused(c *gin.Context, page *branchPage, in scheduling.BranchInput, err error) int {
	var de *scheduling.Error
	if !errors.As(err, &de) || de.Kind == scheduling.KindNotFound || de.Kind == scheduling.KindForbidden {
		con.fail(c, err)
		return 0
	}
	if page.Week.weekError("hours", de, in.Hours) {
		return kindStatus[de.Kind]
	}
	field, msg := branchFieldError(de)
	if field == "" {
		page.FormError = msg
	} else {
		page.Errors[field] = msg
	}
	return kindStatus[de.Kind]
}

// branchFieldError names the field of the branch form a refusal is about, and says what to do.
func branchFieldError(de *scheduling.Error) (field, message string) {
	about := func(name string) bool { return strings.HasPrefix(de.Message, name) }
	switch {
	case de.Code == "missing_name":
		return "name", "Enter the branch's name."
	case about("name"):
		return "name", textMessage(de)
	case de.Code == "invalid_timezone":
		return "timezone", "Choose a time zone from the list."
	case de.Code == "invalid_currency":
		return "currency", "Enter a currency code in use, such as EUR or USD."
	case de.Code == "missing_tax_rate":
		return "tax_rate", "Enter the tax rate, 0 for none."
	case about("tax_rate_bp"):
		return "tax_rate", "Enter a rate between 0 and 1000 %."
	case about("slot_interval_minutes"):
		return "slot_interval", "Enter between 5 and 1440 minutes, or leave it empty."
	case about("min_notice_minutes"):
		return "min_notice", "Enter between 0 and 525600 minutes (a year)."
	case about("horizon_days"):
		return "horizon_days", "Enter between 1 and 730 days."
	case about("hours"):
		return "hours", sentence(strings.Replace(de.Message, "hours has", "The week has", 1))
	}
	return "", sentence(de.Message)
}

// textMessage says what is wrong with a text field.
func textMessage(de *scheduling.Error) string {
	if de.Code == "too_long" {
		_, limit, _ := strings.Cut(de.Message, "; ")
		return strings.TrimSuffix("This is too long: "+limit, ": ") + "."
	}
	return "This is not valid text."
}

// basisPoints reads a percentage with up to two decimals ("23", "6.5", "6,5") as basis points, exactly.
func basisPoints(s string) (int, error) {
	bad := errors.New("Enter the rate as a percentage, such as 23 or 6.5; 0 for none.")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" || len(frac) > 2 || len(whole) > 4 {
		return 0, bad
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, bad
		}
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	return w*100 + f, nil
}

// percentOf writes basis points as a percentage without trailing zeros: 2300 is "23", 650 "6.5".
func percentOf(bp int) string {
	s := strconv.Itoa(bp/100) + "." + strconv.Itoa(100 + bp%100)[1:]
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
