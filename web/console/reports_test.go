package console

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/scheduling"
	"clinic/web/access"
)

// reportsSetup issues two ECGs on 4 January 2027 at a branch with 23% tax, credits the second, pays
// the doctor 3.00 per ECG and leaves the gloves below their reorder level.
func reportsSetup(t *testing.T) *testBundle {
	t.Helper()
	tb := invoiceSetup(t)
	ctx := context.Background()
	c := tb.clinic
	for _, sql := range []string{`UPDATE branches SET tax_rate_bp = 2300`, `UPDATE examinations SET taxable = true`,
		`INSERT INTO commission_rules (examination_id, beneficiary, fixed) SELECT id, 'doctor', 300 FROM examinations`} {
		_, err := tb.Pool.Exec(ctx, sql)
		require.NoError(t, err)
	}
	at := c.At(4, 18, 0)
	*tb.Clock = at
	tb.clock.mu.Lock()
	tb.clock.now = at
	tb.clock.mu.Unlock()
	var second scheduling.ID
	for _, hour := range []int{8, 9} {
		sess, err := tb.Svc.Book(ctx, "desk", c.Booking(c.At(4, hour, 0), c.ECG.ID))
		require.NoError(t, err)
		second = sess.ID
	}
	store := billing.NewStore(tb.Pool, tb.clock.Now)
	inv, err := store.InvoiceOfSession(ctx, second)
	require.NoError(t, err)
	_, err = store.Credit(ctx, "owner", inv.ID, billing.CreditNoteInput{Reason: "booked twice"})
	require.NoError(t, err)
	_, err = tb.Pool.Exec(ctx, `WITH it AS (INSERT INTO inventory_items (code, name, unit, unit_price, created_at)
			VALUES ('=GL', 'Gloves', 'pair', 50, $2) RETURNING id)
		INSERT INTO inventory_stock (item_id, branch_id, quantity, reorder_level, updated_at) SELECT id, $1, 4, 10, $2 FROM it`,
		c.Branch.ID, at)
	require.NoError(t, err)
	return tb
}

func TestReportsPageShowsRevenueCommissionAndStockToManagers(t *testing.T) {
	t.Parallel()
	tb := reportsSetup(t)
	for _, role := range []access.Role{access.Owner, access.Manager} {
		br := tb.signedIn(t, role)
		require.Contains(t, br.get("/console/").body, `href="/console/reports"`, "%s: the top bar links Reports", role)
		p := br.get("/console/reports?from=2027-01-01&to=2027-01-31")
		require.Equal(t, http.StatusOK, p.status, p.body)
		require.Contains(t, p.body, "<td>2027-01-04</td><td>Lisbon</td>")
		require.Contains(t, p.body, `<td class="num">2</td><td class="num">1</td>`, "two invoices, one credit note")
		require.Contains(t, p.body, "<td>"+tb.clinic.Doctor.Name+`</td><td class="num">3</td><td class="num">€3.00</td>`)
		require.Contains(t, p.body, "1 below reorder level")
		require.Contains(t, p.body, `4 pair <strong>order more</strong>`)
		require.Contains(t, p.body, `href="/console/reports/revenue.csv?from=2027-01-01&amp;to=2027-01-31"`)
	}
	// The month so far is the default range: the clock is on 4 January.
	p := tb.signedIn(t, access.Owner).get("/console/reports")
	require.Contains(t, p.body, `value="2027-01-01"`)
	require.Contains(t, p.body, `value="2027-01-04"`)
	require.Contains(t, p.body, "<td>2027-01-04</td>")

	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		br := tb.signedIn(t, role)
		require.NotContains(t, br.get("/console/").body, `href="/console/reports"`, role)
		require.Equal(t, http.StatusForbidden, br.get("/console/reports").status, role)
		require.Equal(t, http.StatusForbidden, br.get("/console/reports/revenue.csv?from=2027-01-01&to=2027-01-31").status, role)
	}
}

func TestReportsPageSaysWhyARangeIsRefused(t *testing.T) {
	t.Parallel()
	tb := reportsSetup(t)
	br := tb.signedIn(t, access.Manager)
	p := br.get("/console/reports?from=2027-02-01&to=2027-01-01")
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Contains(t, p.body, "before it starts")
	require.NotContains(t, p.body, "Download CSV")
	p = br.get("/console/reports?from=2027-01-01&to=2028-06-01")
	require.Equal(t, http.StatusBadRequest, p.status)
	require.Contains(t, p.body, "at most 366 days")
	require.Equal(t, http.StatusNotFound, br.get("/console/reports?from=2027-01-01&to=2027-01-31&branch_id=99999").status)
	require.Equal(t, http.StatusNotFound, br.get("/console/reports/nothing.csv").status)
	require.Equal(t, http.StatusBadRequest, br.get("/console/reports/revenue.csv?from=2027-01-31&to=2027-01-01").status)
}

func TestReportsDownloadCSV(t *testing.T) {
	t.Parallel()
	tb := reportsSetup(t)
	br := tb.signedIn(t, access.Owner)
	p := br.get("/console/reports/revenue.csv?from=2027-01-01&to=2027-01-31&branch_id=" + tb.clinic.Branch.ID.String())
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Equal(t, "text/csv; charset=utf-8", p.resp.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="revenue-2027-01-01-2027-01-31.csv"`, p.resp.Header.Get("Content-Disposition"))
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, "date", rows[0][0])
	require.Equal(t, []string{"2027-01-04", tb.clinic.Branch.ID.String(), "Lisbon", "EUR", "2", "1"}, rows[1][:6])

	p = br.get("/console/reports/commission.csv?from=2027-01-01&to=2027-01-31")
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, ",doctor,"+tb.clinic.Doctor.ID.String()+","+tb.clinic.Doctor.Name+",EUR,3.00,3\r\n")

	p = br.get("/console/reports/stock.csv")
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, ",'=GL,Gloves,pair,4,10,yes\r\n", "a code that starts like a formula is neutralised")
}

func TestReorderLevelIsEditedWithTheStock(t *testing.T) {
	t.Parallel()
	tb := reportsSetup(t)
	ctx := context.Background()
	var gloves scheduling.ID
	require.NoError(t, tb.Pool.QueryRow(ctx, `SELECT id FROM inventory_items WHERE name = 'Gloves'`).Scan(&gloves))
	br := tb.signedIn(t, access.Manager)
	page := br.get("/console/settings/consumables")
	token := csrf(t, page)
	reorder := "reorder_" + tb.clinic.Branch.ID.String()
	stock := "stock_" + tb.clinic.Branch.ID.String()
	require.Regexp(t, `name="`+reorder+`" value="10"`, page.body)
	path := "/console/settings/consumables/items/" + gloves.String() + "/stock"

	p := br.post(path, url.Values{"csrf": {token}, stock: {"4"}, reorder: {"some"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Write the reorder level as a whole number, 0 or more.")

	p = br.post(path, url.Values{"csrf": {token}, stock: {"12"}, reorder: {"3"}})
	require.Contains(t, br.follow(p).body, "The stock is saved.")
	levels, err := billing.NewStore(tb.Pool, tb.clock.Now).StockLevels(ctx, nil)
	require.NoError(t, err)
	require.Equal(t, int64(12), levels.Items[0].Quantity)
	require.Equal(t, int64(3), levels.Items[0].ReorderLevel)
	require.False(t, levels.Items[0].Below)

	p = br.post(path, url.Values{"csrf": {token}, stock: {"2"}, reorder: {""}})
	require.Contains(t, br.follow(p).body, "The stock is saved.")
	levels, err = billing.NewStore(tb.Pool, tb.clock.Now).StockLevels(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, levels.Items[0].ReorderLevel, "an empty level removes it")
}
