package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// examFormValues is the edit form of the clinic's ECG as a browser would send it unchanged.
func examFormValues(tb *testBundle, token string) url.Values {
	c := tb.clinic
	return url.Values{"csrf": {token}, "code": {"ECG"}, "name": {"ECG"}, "duration": {"20"}, "price": {"60.00"},
		"needs_room": {"on"}, "branch": {c.Branch.ID.String()}, "doctor": {c.Doctor.ID.String()},
		"price_" + c.Branch.ID.String(): {""}, "window_day": {"", "", ""}, "window_start": {"", "", ""}, "window_end": {"", "", ""}}
}

func TestExamSettingsListShowsPricesAsMoney(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	p := tb.signedIn(t, access.Manager).get("/console/settings/examinations")
	require.Equal(t, http.StatusOK, p.status, p.body)
	for _, want := range []string{"<h1>Examinations</h1>", "Consultation", "€60.00", "30 min", "Ana Ferreira", "needs a room",
		"Whenever the doctor is free", fmt.Sprintf(`href="/console/settings/examinations/%d"`, tb.clinic.ECG.ID)} {
		require.Contains(t, p.body, want)
	}
	require.NotContains(t, p.body, "6000")

	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		br := tb.signedIn(t, role)
		for _, path := range []string{"/console/settings/examinations", "/console/settings/examinations/new",
			fmt.Sprintf("/console/settings/examinations/%d", tb.clinic.ECG.ID)} {
			require.Equal(t, http.StatusForbidden, br.get(path).status, "%s %s", role, path)
		}
	}
	require.Equal(t, http.StatusOK, tb.signedIn(t, access.Owner).get("/console/settings/examinations").status)
}

func TestExamSettingsEditSavesEveryPart(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	tax := 0
	porto := schedtest.Must(tb.Svc.CreateBranch(ctx, scheduling.BranchInput{Name: "Porto", Timezone: "Europe/Lisbon",
		Currency: "EUR", TaxRateBP: &tax, Hours: schedtest.Hours()}))(t)
	rui := c.AddDoctor(t, tb.Svc, "Rui Costa")
	path := fmt.Sprintf("/console/settings/examinations/%d", c.ECG.ID)
	br := tb.signedIn(t, access.Manager)

	p := br.get(path)
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `name="price" inputmode="decimal" value="60.00"`, "the price as money, not minor units")
	require.Contains(t, p.body, `placeholder="€60.00"`, "a branch without its own price shows the default")
	require.Contains(t, p.body, "Porto")
	require.Contains(t, p.body, "Rui Costa")

	f := examFormValues(tb, csrf(t, p))
	f.Set("name", "Resting ECG")
	f.Set("duration", "25")
	f.Set("price", "62,50")
	f["branch"] = []string{c.Branch.ID.String(), porto.ID.String()}
	f.Set("price_"+porto.ID.String(), "75")
	f["doctor"] = []string{c.Doctor.ID.String(), rui.ID.String()}
	f["room"] = []string{c.Rooms[1].String()}
	f["window_day"] = []string{"2", "4", ""}
	f["window_start"] = []string{"08:00", "14:00", ""}
	f["window_end"] = []string{"12:00", "18:00", ""}
	p = br.post(path, f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, "/console/settings/examinations", p.location())

	e := schedtest.Must(tb.Svc.GetExamination(ctx, c.ECG.ID))(t)
	require.Equal(t, "Resting ECG", e.Name)
	require.Equal(t, 25, e.DurationMinutes)
	require.Equal(t, int64(6250), e.Price)
	require.Equal(t, int64(7500), e.PriceAt(porto.ID))
	require.Equal(t, int64(6250), e.PriceAt(c.Branch.ID))
	require.Equal(t, []scheduling.ID{c.Doctor.ID, rui.ID}, e.DoctorIDs)
	require.Equal(t, []scheduling.ID{c.Rooms[1]}, e.RoomIDs)
	require.Equal(t, []scheduling.WeeklyHours{{Weekday: 2, Start: "08:00", End: "12:00"}, {Weekday: 4, Start: "14:00", End: "18:00"}}, e.Windows)
	require.False(t, e.Taxable, "an unticked box is a no")

	p = br.get("/console/settings/examinations")
	require.Contains(t, p.body, "Resting ECG is saved.")
	require.Contains(t, p.body, "€75.00")
	require.Contains(t, p.body, "own price")
	require.Contains(t, p.body, "Tue 08:00–12:00; Thu 14:00–18:00")
}

func TestExamSettingsCreate(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Owner)
	p := br.get("/console/settings/examinations/new")
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "New examination")
	f := examFormValues(tb, csrf(t, p))
	f.Set("code", "BLOOD")
	f.Set("name", "Blood draw")
	f.Set("price", "15")
	f.Del("needs_room")
	f.Set("taxable", "on")
	f["window_day"] = []string{"1", "", ""}
	f["window_start"] = []string{"07:00", "", ""}
	f["window_end"] = []string{"10:00", "", ""}
	p = br.post("/console/settings/examinations", f)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	list := schedtest.Must(tb.Svc.ListExaminations(context.Background(), 0))(t)
	last := list[len(list)-1]
	require.Equal(t, "Blood draw", last.Name)
	require.Equal(t, int64(1500), last.Price)
	require.True(t, last.Taxable)
	require.Contains(t, br.get("/console/settings/examinations").body, "Blood draw is added.")
}

// TestExamSettingsRefusalsAtTheField: a refused save shows the message at its field, keeps what was
// typed, and changes nothing.
func TestExamSettingsRefusalsAtTheField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	c := tb.clinic
	path := fmt.Sprintf("/console/settings/examinations/%d", c.ECG.ID)
	br := tb.signedIn(t, access.Manager)
	token := csrf(t, br.get(path))
	before := schedtest.Must(tb.Svc.GetExamination(ctx, c.ECG.ID))(t)
	priceKey := "price_" + c.Branch.ID.String()

	for name, tc := range map[string]struct {
		change func(url.Values)
		field  string
		want   string
	}{
		"no name":                             {func(f url.Values) { f.Set("name", " ") }, "name", "Enter the examination&#39;s name."},
		"a code in use":                       {func(f url.Values) { f.Set("code", "GP") }, "code", "Another examination already has this code."},
		"a duration in words":                 {func(f url.Values) { f.Set("duration", "half an hour") }, "duration", "whole minutes"},
		"a negative duration":                 {func(f url.Values) { f.Set("duration", "-20") }, "duration", "from 1 to 1440 minutes"},
		"a price in words":                    {func(f url.Values) { f.Set("price", "sixty") }, "price", "Enter an amount in EUR, such as 85.00."},
		"a price with 3 decimals":             {func(f url.Values) { f.Set("price", "60.005") }, "price", "Enter an amount in EUR"},
		"a negative price":                    {func(f url.Values) { f.Set("price", "-5") }, "price", "Enter an amount in EUR"},
		"no price":                            {func(f url.Values) { f.Set("price", "") }, "price", "Enter the price."},
		"a bad branch price":                  {func(f url.Values) { f.Set(priceKey, "12.3.4") }, priceKey, "Enter an amount in EUR"},
		"no branch":                           {func(f url.Values) { f.Del("branch") }, "", "Tick at least one branch that offers it."},
		"a price at a branch not offering it": {func(f url.Values) { f.Del("branch"); f.Set(priceKey, "70") }, priceKey, "to offer it there, or clear this price."},
		"rooms without needing one":           {func(f url.Values) { f.Del("needs_room"); f.Set("room", c.Rooms[0].String()) }, "", "Tick “Needs a room”"},
		"a window without a day": {func(f url.Values) {
			f["window_start"] = []string{"08:00", "", ""}
			f["window_end"] = []string{"09:00", "", ""}
		}, "windows", "Give each service window a day"},
		"a window ending first": {func(f url.Values) {
			f["window_day"] = []string{"1", "", ""}
			f["window_start"] = []string{"12:00", "", ""}
			f["window_end"] = []string{"08:00", "", ""}
		}, "windows", "must end after it starts"},
		"overlapping windows": {func(f url.Values) {
			f["window_day"] = []string{"1", "1", ""}
			f["window_start"] = []string{"08:00", "09:00", ""}
			f["window_end"] = []string{"10:00", "11:00", ""}
		}, "windows", "overlap"},
	} {
		f := examFormValues(tb, token)
		f.Set("name", "Typed name")
		tc.change(f)
		p := br.post(path, f)
		require.GreaterOrEqual(t, p.status, 400, name)
		require.Less(t, p.status, 500, name)
		require.Contains(t, p.body, tc.want, name)
		if tc.field != "" {
			require.Contains(t, p.body, `id="`+tc.field+`-error"`, name)
		}
		if name != "no name" {
			require.Contains(t, p.body, `value="Typed name"`, "%s: what was typed stays", name)
		}
		require.Equal(t, before, schedtest.Must(tb.Svc.GetExamination(ctx, c.ECG.ID))(t), "%s: nothing saved", name)
	}

	// Without the CSRF token nothing is saved.
	f := examFormValues(tb, token)
	f.Set("name", "Mallory")
	f.Del("csrf")
	require.Equal(t, http.StatusForbidden, br.post(path, f).status)
	require.Equal(t, http.StatusForbidden, br.post("/console/settings/examinations", f).status)
	require.Equal(t, before, schedtest.Must(tb.Svc.GetExamination(ctx, c.ECG.ID))(t))

	// A receptionist may not save, even with a valid token.
	rec := tb.signedIn(t, access.Receptionist)
	recToken := csrf(t, rec.get("/console/"))
	require.Equal(t, http.StatusForbidden, rec.post(path, examFormValues(tb, recToken)).status)
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/examinations/99999").status)
	require.Equal(t, http.StatusNotFound, br.get("/console/settings/examinations/abc").status)
}

func TestExamWindowsText(t *testing.T) {
	t.Parallel()
	w := func(day int, start, end string) scheduling.WeeklyHours {
		return scheduling.WeeklyHours{Weekday: day, Start: start, End: end}
	}
	require.Equal(t, "", examWindowsText(nil))
	require.Equal(t, "Mon–Sat 07:00–10:00", examWindowsText([]scheduling.WeeklyHours{w(1, "07:00", "10:00"), w(2, "07:00", "10:00"),
		w(3, "07:00", "10:00"), w(4, "07:00", "10:00"), w(5, "07:00", "10:00"), w(6, "07:00", "10:00")}))
	require.Equal(t, "Mon, Tue, Thu 08:00–12:00, 14:00–16:00; Fri 09:00–10:00", examWindowsText([]scheduling.WeeklyHours{
		w(1, "08:00", "12:00"), w(1, "14:00", "16:00"), w(2, "08:00", "12:00"), w(2, "14:00", "16:00"),
		w(4, "08:00", "12:00"), w(4, "14:00", "16:00"), w(5, "09:00", "10:00")}))
}

func TestPriceTextAndParsing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		minor int64
		code  string
		text  string
		input string
	}{
		{8500, "EUR", "€85.00", "85.00"}, {12000, "USD", "$120.00", "120.00"}, {3000, "JPY", "¥3,000", "3000"},
		{15000, "KWD", "KWD 15.000", "15.000"}, {5, "EUR", "€0.05", "0.05"},
	} {
		require.Equal(t, tc.text, strings.ReplaceAll(priceText(tc.minor, tc.code), "\u00a0", " "), tc.code)
		require.Equal(t, tc.input, priceInput(tc.minor, tc.code), tc.code)
		got, ok := parsePrice(tc.input, tc.code)
		require.True(t, ok, tc.input)
		require.Equal(t, tc.minor, got, tc.input)
	}
	for in, want := range map[string]int64{"85": 8500, "85.5": 8550, "85,50": 8550, "1,234.50": 123450, "€ 85": 8500, "1 234,5": 123450} {
		got, ok := parsePrice(in, "EUR")
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "abc", "-5", "1.234.5", "85.505", "1e3", "99999999999999"} {
		_, ok := parsePrice(in, "EUR")
		require.False(t, ok, in)
	}
	_, ok := parsePrice("30.5", "JPY")
	require.False(t, ok, "yen have no decimals")
}
