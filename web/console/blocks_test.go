package console

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// blockValues is a filled-in add-a-block form for the clinic's doctor on 5 January.
func blockValues(tb *testBundle, csrf, from, until string) url.Values {
	return url.Values{"csrf": {csrf}, "target": {"doctor:" + tb.clinic.Doctor.ID.String()}, "date": {"2027-01-05"},
		"from": {from}, "until_date": {"2027-01-05"}, "until": {until}, "reason": {"Conference"}}
}

func (tb *testBundle) blocks(t *testing.T) []scheduling.Block {
	t.Helper()
	d := scheduling.Date{Year: 2027, Month: 1, Day: 5}
	return schedtest.Must(tb.Svc.ListBlocks(context.Background(), tb.clinic.Branch.ID, d, d))(t)
}

func TestAddBlockShowsTheSessionsItCollidesWith(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	c := tb.clinic
	s := schedtest.Must(tb.Svc.Book(context.Background(), "test", c.Booking(c.At(5, 9, 0))))(t)
	br := tb.signedIn(t, access.Manager)
	page := br.get("/console/calendar?date=2027-01-05")
	require.Contains(t, page.body, "Add block")
	query := "?branch=" + c.Branch.ID.String() + "&date=2027-01-05&view=day"

	p := br.post("/console/blocks"+query, blockValues(tb, csrf(t, page), "08:30", "10:00"))
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Contains(t, p.location(), "collides="+s.ID.String())
	blocks := tb.blocks(t)
	require.Len(t, blocks, 1)
	require.True(t, c.At(5, 8, 30).Equal(blocks[0].Start), "the times are the branch's")
	require.Equal(t, c.Doctor.ID, *blocks[0].DoctorID)

	shown := br.get(p.location())
	require.Equal(t, http.StatusOK, shown.status)
	require.Contains(t, shown.body, "It overlaps 1 session that still stand")
	require.Regexp(t, `<a href="/console/sessions/`+s.ID.String()+`">Tue 5 Jan 09:00–09:30 · Maria Silva</a>`, shown.body)
	require.Contains(t, shown.body, "08:30–10:00 Conference")

	// A block over no session says so.
	p = br.post("/console/blocks"+query, blockValues(tb, csrf(t, shown), "16:00", "17:00"))
	require.Equal(t, http.StatusSeeOther, p.status)
	require.NotContains(t, p.location(), "collides")
	require.Contains(t, br.get(p.location()).body, "No booked session falls in it.")

	// Removing a block opens its time again.
	page = br.get("/console/calendar" + query)
	p = br.post("/console/blocks/"+blocks[0].ID.String()+"/delete"+query, url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Len(t, tb.blocks(t), 1)
	require.Contains(t, br.get(p.location()).body, "Block removed")
	p = br.post("/console/blocks/"+blocks[0].ID.String()+"/delete"+query, url.Values{"csrf": {csrf(t, page)}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, br.get(p.location()).body, "That block was already removed.")
}

func TestAddBlockRefusalsShowAtTheFieldAndSaveNothing(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	br := tb.signedIn(t, access.Owner)
	page := br.get("/console/calendar?date=2027-01-05")
	token := csrf(t, page)
	cases := []struct {
		name  string
		edit  func(url.Values)
		field string
		msg   string
	}{
		{"ends first", func(v url.Values) { v.Set("until", "08:00") }, "until", "The block must end after it starts."},
		{"no time", func(v url.Values) { v.Set("from", "nine") }, "from", "Enter a time of day, like 09:30."},
		{"bad date", func(v url.Values) { v.Set("date", "5/1/2027") }, "date", "Enter a date, like 2027-01-04."},
		{"bad target", func(v url.Values) { v.Set("target", "doctor:x") }, "target", "Choose what the block closes"},
		{"long reason", func(v url.Values) { v.Set("reason", strings.Repeat("r", 2000)) }, "reason", "reason"},
		// In Lisbon the clocks go from 01:00 to 02:00 on 28 March 2027: 01:30 never happens.
		{"time the clocks skip", func(v url.Values) {
			v.Set("date", "2027-03-28")
			v.Set("until_date", "2027-03-28")
			v.Set("from", "01:30")
			v.Set("until", "03:00")
		}, "from", "01:30 does not exist on that day: the clocks go forward then."},
	}
	for _, tc := range cases {
		v := blockValues(tb, token, "09:00", "10:00")
		tc.edit(v)
		p := br.post("/console/blocks?date=2027-01-05", v)
		require.Equal(t, http.StatusUnprocessableEntity, p.status, tc.name)
		require.Regexp(t, `(?s)field-bad">[^<]*<label for="block-`+strings.ReplaceAll(tc.field, "_", "-")+`".*?<p class="field-error">[^<]*`+
			regexp.QuoteMeta(tc.msg), p.body, tc.name)
		if tc.field != "reason" {
			require.Contains(t, p.body, `name="reason" value="Conference"`, "the form keeps what was typed")
		}
	}
	require.Empty(t, tb.blocks(t))
}

func TestBlocksAreForManagersAndNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		br := tb.signedIn(t, role)
		page := br.get("/console/calendar?date=2027-01-05")
		require.Equal(t, http.StatusOK, page.status)
		require.NotContains(t, page.body, "Add block")
		p := br.post("/console/blocks?date=2027-01-05", blockValues(tb, csrf(t, page), "09:00", "10:00"))
		require.Equal(t, http.StatusForbidden, p.status, role)
		require.Contains(t, p.body, "may not open this page")
	}
	br := tb.signedIn(t, access.Manager)
	v := blockValues(tb, "", "09:00", "10:00")
	v.Del("csrf")
	p := br.post("/console/blocks?date=2027-01-05", v)
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "This form has expired")
	require.Empty(t, tb.blocks(t))
}
