package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/scheduling"
)

// examBlankWindows is how many empty service-window rows the form offers beyond those in use.
const examBlankWindows = 3

// examForm is the form that creates or changes an examination: what is stored, or what was typed
// when a save was refused, with the message at the field it is about.
type examForm struct {
	ID        scheduling.ID // 0 for a new examination
	Code      string
	Name      string
	Duration  string
	Price     string
	Taxable   bool
	NeedsRoom bool
	// PriceCurrency names the currency the default price is typed in.
	PriceCurrency string
	Branches      []examBranchChoice
	Doctors       []examChoice
	Windows       []examWindowRow
	Weekdays      []examChoice
	Errors        map[string]string
	CSRF          string
}

// examBranchChoice is a branch that may offer the examination, with its own price and rooms.
type examBranchChoice struct {
	ID       scheduling.ID
	Name     string
	Currency string
	Offered  bool
	// Price is the branch's own price as typed; empty: the default applies.
	Price string
	// Default is the default price as money in the branch's currency, shown as the placeholder.
	Default string
	Rooms   []examChoice
}

// examChoice is one checkbox or option.
type examChoice struct {
	ID      scheduling.ID
	Name    string
	Checked bool
}

// examWindowRow is one service window row; an all-empty row is left out.
type examWindowRow struct {
	Index      int
	Weekday    int
	Start, End string
}

// examFormOf fills the form from a stored examination (nil: a new one) and the catalog.
func examFormOf(e *scheduling.Examination, cat *examCatalog) *examForm {
	f := &examForm{Errors: map[string]string{}}
	if e != nil {
		f.ID, f.Code, f.Name, f.Duration = e.ID, e.Code, e.Name, strconv.Itoa(e.DurationMinutes)
		f.Taxable, f.NeedsRoom = e.Taxable, e.NeedsRoom
		for _, w := range e.Windows {
			f.Windows = append(f.Windows, examWindowRow{Weekday: w.Weekday, Start: w.Start, End: w.End})
		}
	}
	f.PriceCurrency = examDefaultCurrency(cat.branches, func(b scheduling.Branch) bool { return e == nil || slices.Contains(e.BranchIDs, b.ID) })
	if e != nil {
		f.Price = priceInput(e.Price, f.PriceCurrency)
	}
	for _, b := range cat.branches {
		bc := examBranchChoice{ID: b.ID, Name: b.Name, Currency: b.Currency}
		if e != nil {
			bc.Offered = slices.Contains(e.BranchIDs, b.ID)
			for _, p := range e.Prices {
				if p.BranchID == b.ID {
					bc.Price = priceInput(p.Price, b.Currency)
				}
			}
		}
		for _, r := range cat.rooms {
			if r.BranchID == b.ID {
				bc.Rooms = append(bc.Rooms, examChoice{ID: r.ID, Name: r.Name, Checked: e != nil && slices.Contains(e.RoomIDs, r.ID)})
			}
		}
		f.Branches = append(f.Branches, bc)
	}
	for _, d := range cat.doctors {
		f.Doctors = append(f.Doctors, examChoice{ID: d.ID, Name: d.Name, Checked: e != nil && slices.Contains(e.DoctorIDs, d.ID)})
	}
	return f
}

// examDefaultCurrency is the currency the default price is typed in: the one the branches that offer
// the examination share, or else the first branch's.
func examDefaultCurrency(branches []scheduling.Branch, offered func(scheduling.Branch) bool) string {
	code := ""
	for _, b := range branches {
		if !offered(b) {
			continue
		}
		if code == "" {
			code = b.Currency
		}
	}
	if code == "" && len(branches) > 0 {
		code = branches[0].Currency
	}
	return code
}

// finish completes the form for showing: blank window rows, placeholders, the CSRF token.
func (f *examForm) finish(csrf string) {
	f.CSRF = csrf
	for range examBlankWindows {
		f.Windows = append(f.Windows, examWindowRow{})
	}
	for i := range f.Windows {
		f.Windows[i].Index = i + 1
	}
	f.Weekdays = nil
	for d := 1; d <= 7; d++ {
		f.Weekdays = append(f.Weekdays, examChoice{ID: scheduling.ID(d), Name: examWeekdays[d]})
	}
	for i, b := range f.Branches {
		if p, ok := parsePrice(f.Price, f.PriceCurrency); ok {
			digits, _ := scheduling.CurrencyDigits(f.PriceCurrency)
			if d, _ := scheduling.CurrencyDigits(b.Currency); d == digits {
				f.Branches[i].Default = priceText(p, b.Currency)
			}
		}
	}
}

// read takes the typed values into the form and turns them into the service's input; a value that
// cannot be read is an error at its field, and ok is false.
func (f *examForm) read(c *gin.Context) (in scheduling.ExaminationInput, ok bool) {
	f.Code, f.Name = strings.TrimSpace(c.PostForm("code")), strings.TrimSpace(c.PostForm("name"))
	f.Duration, f.Price = strings.TrimSpace(c.PostForm("duration")), strings.TrimSpace(c.PostForm("price"))
	f.Taxable, f.NeedsRoom = c.PostForm("taxable") == "on", c.PostForm("needs_room") == "on"
	in = scheduling.ExaminationInput{Code: f.Code, Name: f.Name, Taxable: &f.Taxable, NeedsRoom: f.NeedsRoom,
		BranchIDs: []scheduling.ID{}, DoctorIDs: []scheduling.ID{}}
	offered, rooms, doctors := c.PostFormArray("branch"), c.PostFormArray("room"), c.PostFormArray("doctor")
	var branches []scheduling.Branch
	for i := range f.Branches {
		b := &f.Branches[i]
		b.Offered = slices.Contains(offered, b.ID.String())
		b.Price = strings.TrimSpace(c.PostForm("price_" + b.ID.String()))
		branches = append(branches, scheduling.Branch{ID: b.ID, Currency: b.Currency})
		if b.Offered {
			in.BranchIDs = append(in.BranchIDs, b.ID)
		}
		for j := range b.Rooms {
			r := &b.Rooms[j]
			if r.Checked = slices.Contains(rooms, r.ID.String()); r.Checked {
				in.RoomIDs = append(in.RoomIDs, r.ID)
			}
		}
		if b.Price == "" {
			continue
		}
		p, okPrice := parsePrice(b.Price, b.Currency)
		switch {
		case !okPrice:
			f.Errors["price_"+b.ID.String()] = examPriceHint(b.Currency)
		case !b.Offered:
			f.Errors["price_"+b.ID.String()] = "Tick " + b.Name + " to offer it there, or clear this price."
		default:
			in.Prices = append(in.Prices, scheduling.PriceInput{BranchID: b.ID, Price: &p})
		}
	}
	f.PriceCurrency = examDefaultCurrency(branches, func(b scheduling.Branch) bool { return slices.Contains(offered, b.ID.String()) })
	for i := range f.Doctors {
		d := &f.Doctors[i]
		if d.Checked = slices.Contains(doctors, d.ID.String()); d.Checked {
			in.DoctorIDs = append(in.DoctorIDs, d.ID)
		}
	}
	// What the form can tell at once is told all together; the service's rules then come one at a time.
	if f.Name == "" {
		f.Errors["name"] = "Enter the examination's name."
	}
	if f.Code == "" {
		f.Errors["code"] = "Enter a short code, such as ECG."
	}
	n, err := strconv.Atoi(f.Duration)
	switch {
	case f.Duration == "":
		f.Errors["duration"] = "Enter the duration in minutes."
	case err != nil:
		f.Errors["duration"] = "Enter the duration in whole minutes, such as 30."
	case n < 1 || n > 1440:
		f.Errors["duration"] = "Enter a duration from 1 to 1440 minutes."
	default:
		in.DurationMinutes = &n
	}
	if p, okPrice := parsePrice(f.Price, f.PriceCurrency); okPrice {
		in.Price = &p
	} else if f.Price == "" {
		f.Errors["price"] = "Enter the price."
	} else {
		f.Errors["price"] = examPriceHint(f.PriceCurrency)
	}
	if len(in.BranchIDs) == 0 {
		f.Errors["branches"] = "Tick at least one branch that offers it."
	}
	f.Windows = nil
	days, starts, ends := c.PostFormArray("window_day"), c.PostFormArray("window_start"), c.PostFormArray("window_end")
	for i := range min(len(days), len(starts), len(ends), scheduling.MaxScheduleEntries+examBlankWindows) {
		day, _ := strconv.Atoi(days[i])
		row := examWindowRow{Weekday: day, Start: strings.TrimSpace(starts[i]), End: strings.TrimSpace(ends[i])}
		if row.Weekday == 0 && row.Start == "" && row.End == "" {
			continue
		}
		f.Windows = append(f.Windows, row)
		if row.Weekday < 1 || row.Weekday > 7 || row.Start == "" || row.End == "" {
			f.Errors["windows"] = "Give each service window a day, a start and an end."
			continue
		}
		in.Windows = append(in.Windows, scheduling.WeeklyHours{Weekday: row.Weekday, Start: row.Start, End: row.End})
	}
	return in, len(f.Errors) == 0
}

// examPriceHint says how to type a price in a currency.
func examPriceHint(code string) string {
	example := priceInput(8500, code)
	if d, _ := scheduling.CurrencyDigits(code); d == 0 {
		example = "8500"
	}
	return "Enter an amount in " + code + ", such as " + example + "."
}

// examNew shows the form for a new examination.
func (con *Console) examNew(c *gin.Context) {
	cat, err := con.examCatalog(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	f := examFormOf(nil, cat)
	f.Taxable = true
	f.finish(signedIn(c).CSRF)
	con.render(c, http.StatusOK, "settings_exam", "New examination", f)
}

// examEdit shows the form with the examination's settings.
func (con *Console) examEdit(c *gin.Context) {
	id, ok := con.examID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	e, err := con.sched.GetExamination(ctx, id)
	if err != nil {
		con.fail(c, err)
		return
	}
	cat, err := con.examCatalog(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	f := examFormOf(e, cat)
	f.finish(signedIn(c).CSRF)
	con.render(c, http.StatusOK, "settings_exam", e.Name, f)
}

// examCreate adds an examination from the form.
func (con *Console) examCreate(c *gin.Context) { con.examWrite(c, 0) }

// examSave replaces the examination with what the form holds: all of it is saved, or none.
func (con *Console) examSave(c *gin.Context) {
	if id, ok := con.examID(c); ok {
		con.examWrite(c, id)
	}
}

func (con *Console) examWrite(c *gin.Context, id scheduling.ID) {
	ctx := c.Request.Context()
	cat, err := con.examCatalog(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	var stored *scheduling.Examination
	if id != 0 {
		if stored, err = con.sched.GetExamination(ctx, id); err != nil {
			con.fail(c, err)
			return
		}
	}
	f := examFormOf(stored, cat)
	in, ok := f.read(c)
	status := http.StatusUnprocessableEntity
	if ok {
		var e *scheduling.Examination
		if id == 0 {
			e, err = con.sched.CreateExamination(ctx, in)
		} else {
			e, err = con.sched.UpdateExamination(ctx, id, in)
		}
		var de *scheduling.Error
		switch {
		case err == nil:
			verb := "saved"
			if id == 0 {
				verb = "added"
			}
			con.flash(c, flashSuccess, e.Name+" is "+verb+".")
			c.Redirect(http.StatusSeeOther, Prefix+"/settings/examinations")
			return
		case !errors.As(err, &de) || de.Kind == scheduling.KindForbidden:
			con.fail(c, err)
			return
		}
		field, msg := examFieldError(de, in)
		f.Errors[field] = msg
		status = kindStatus[de.Kind]
	}
	f.finish(signedIn(c).CSRF)
	title := "New examination"
	if stored != nil {
		title = stored.Name
	}
	con.render(c, status, "settings_exam", title, f)
}

// examID reads the examination's id from the path; an id that is none answers the not-found page.
func (con *Console) examID(c *gin.Context) (scheduling.ID, bool) {
	id, ok := scheduling.ParseID(c.Param("id"))
	if !ok {
		con.errorPage(c, http.StatusNotFound, "Not found", "There is no such examination.")
	}
	return id, ok
}

// examFieldError names the form field a refused save is about and says what to do, in a manager's
// words.
func examFieldError(de *scheduling.Error, in scheduling.ExaminationInput) (field, message string) {
	switch de.Code {
	case "missing_code":
		return "code", "Enter a short code, such as ECG."
	case "duplicate_code":
		return "code", "Another examination already has this code."
	case "missing_name":
		return "name", "Enter the examination's name."
	case "missing_price":
		return "price", "Enter the price."
	case "negative_price":
		return "price", "The price cannot be below zero."
	case "missing_duration", "invalid_duration":
		return "duration", "Enter a duration from 1 to 1440 minutes."
	case "missing_branches":
		return "branches", "Tick at least one branch that offers it."
	case "rooms_without_need":
		return "rooms", "Tick “Needs a room” to limit the rooms, or clear the rooms."
	case "room_outside_branches":
		return "rooms", "A ticked room is in a branch that does not offer it."
	case "invalid_time":
		return "windows", "Write the times of the service windows as HH:MM, such as 07:30."
	case "end_before_start":
		return "windows", "Each service window must end after it starts."
	case "overlapping_hours":
		return "windows", "Two service windows on the same day overlap: join them or change one."
	case "invalid_weekday":
		return "windows", "Choose a day for each service window."
	case "too_long":
		if strings.HasPrefix(de.Message, "code") {
			return "code", "The code is too long: at most 50 characters."
		}
		return "name", "The name is too long: at most 200 characters."
	case "list_too_long":
		return "windows", sentence(de.Message)
	case scheduling.CodeNotFound:
		return "form", "Something on this form was removed meanwhile (" + de.Message + "). Reload the page and try again."
	}
	return "form", sentence(de.Message)
}
