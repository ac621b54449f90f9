package console

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

func init() {
	pageNames = append(pageNames, "reports")
	navigation = append(navigation, navItem{Name: "Reports", Path: Prefix + "/reports", Roles: managerRoles})
}

// reportRoutes serves the money reports page (SCENARIOS 8) and its CSV downloads, for managers and
// the owner.
func (con *Console) reportRoutes(in *gin.RouterGroup) {
	g := in.Group("/reports", con.allow(managerRoles...))
	g.GET("", con.reports)
	g.GET("/:file", con.reportCSV)
}

// reportsPage is the page: the range and branch chosen, the three reports and their download links.
type reportsPage struct {
	From, To string
	Branches []option
	// Error says why the range was refused; the reports are then empty.
	Error      string
	Revenue    []revenueRow
	RevenueSum []revenueRow
	Commission []commissionRow
	CommSum    []string
	Stock      []stockRow
	Below      int
	// Query is the range and branch as an encoded query string, for the download links.
	Query template.URL
}

type revenueRow struct {
	Date, Branch, Currency                 string
	Invoices, CreditNotes                  int64
	PatientShare, InsurerShare, Tax, Total string
	Negative                               bool
}

type commissionRow struct {
	Branch, Who, Amount string
	Entries             int64
}

type stockRow struct {
	Branch, Item, Code, Unit string
	Quantity, ReorderLevel   int64
	Below                    bool
}

// reportRange reads the page's query: from and to default to the month so far at the first branch.
func (con *Console) reportRange(c *gin.Context, branches []scheduling.Branch) billing.ReportQuery {
	q := billing.ReportQuery{From: c.Query("from"), To: c.Query("to")}
	if q.From == "" && q.To == "" {
		loc := time.UTC
		if len(branches) > 0 {
			if l, err := scheduling.LoadLocation(branches[0].Timezone); err == nil {
				loc = l
			}
		}
		now := con.now().In(loc)
		q.From = now.AddDate(0, 0, 1-now.Day()).Format(time.DateOnly)
		q.To = now.Format(time.DateOnly)
	}
	if id, err := strconv.ParseInt(c.Query("branch_id"), 10, 64); err == nil && id > 0 {
		bid := scheduling.ID(id)
		q.BranchID = &bid
	}
	return q
}

// reports shows the page. A refused range is said above the empty reports with the store's words.
func (con *Console) reports(c *gin.Context) {
	ctx := c.Request.Context()
	store, err := con.billingStore()
	if err != nil {
		con.fail(c, err)
		return
	}
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	q := con.reportRange(c, branches)
	p := &reportsPage{From: q.From, To: q.To, Query: reportQueryString(q)}
	for _, b := range branches {
		p.Branches = append(p.Branches, option{ID: b.ID, Name: b.Name, Selected: q.BranchID != nil && *q.BranchID == b.ID})
	}
	status := http.StatusOK
	if err := con.fillReports(c, store, q, p); err != nil {
		var de *scheduling.Error
		if !errors.As(err, &de) {
			con.fail(c, err)
			return
		}
		status, p.Error = kindStatus[de.Kind], de.Message
	}
	con.render(c, status, "reports", "Reports", p)
}

func (con *Console) fillReports(c *gin.Context, store *billing.Store, q billing.ReportQuery, p *reportsPage) error {
	ctx := c.Request.Context()
	rev, err := store.Revenue(ctx, q)
	if err != nil {
		return err
	}
	for _, d := range rev.Days {
		p.Revenue = append(p.Revenue, revenueRow{Date: d.Date, Branch: d.BranchName, Currency: d.Currency, Invoices: d.Invoices,
			CreditNotes: d.CreditNotes, PatientShare: priceText(d.PatientShare, d.Currency), InsurerShare: priceText(d.InsurerShare, d.Currency),
			Tax: priceText(d.Tax, d.Currency), Total: priceText(d.Total, d.Currency), Negative: d.Total < 0})
	}
	for _, t := range rev.Totals {
		p.RevenueSum = append(p.RevenueSum, revenueRow{Currency: t.Currency, Invoices: t.Invoices, CreditNotes: t.CreditNotes,
			PatientShare: priceText(t.PatientShare, t.Currency), InsurerShare: priceText(t.InsurerShare, t.Currency),
			Tax: priceText(t.Tax, t.Currency), Total: priceText(t.Total, t.Currency), Negative: t.Total < 0})
	}
	com, err := store.Commission(ctx, q)
	if err != nil {
		return err
	}
	for _, l := range com.Items {
		who := "Manager"
		if l.DoctorName != nil {
			who = *l.DoctorName
		}
		p.Commission = append(p.Commission, commissionRow{Branch: l.BranchName, Who: who, Amount: priceText(l.Amount, l.Currency), Entries: l.Entries})
	}
	for _, t := range com.Totals {
		p.CommSum = append(p.CommSum, priceText(t.Amount, t.Currency))
	}
	stock, err := store.StockLevels(ctx, q.BranchID)
	if err != nil {
		return err
	}
	for _, l := range stock.Items {
		p.Stock = append(p.Stock, stockRow{Branch: l.BranchName, Item: l.Name, Code: l.Code, Unit: l.Unit, Quantity: l.Quantity,
			ReorderLevel: l.ReorderLevel, Below: l.Below})
	}
	p.Below = stock.Below
	return nil
}

// reportCSV answers revenue.csv, commission.csv or stock.csv for the page's range and branch.
func (con *Console) reportCSV(c *gin.Context) {
	ctx := c.Request.Context()
	store, err := con.billingStore()
	if err != nil {
		con.fail(c, err)
		return
	}
	q := billing.ReportQuery{From: c.Query("from"), To: c.Query("to")}
	if v := c.Query("branch_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			con.errorPage(c, http.StatusBadRequest, "No such branch", "The branch in this address is not a branch. Go back to Reports and choose one.")
			return
		}
		bid := scheduling.ID(id)
		q.BranchID = &bid
	}
	var r interface{ WriteCSV(io.Writer) error }
	name := c.Param("file")
	switch name {
	case "revenue.csv":
		r, err = store.Revenue(ctx, q)
	case "commission.csv":
		r, err = store.Commission(ctx, q)
	case "stock.csv":
		r, err = store.StockLevels(ctx, q.BranchID)
	default:
		con.errorPage(c, http.StatusNotFound, "No such report", "There is no report at this address. Go back to Reports.")
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		con.fail(c, err)
		return
	}
	if name != "stock.csv" {
		name = name[:len(name)-4] + "-" + q.From + "-" + q.To + ".csv"
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// reportQueryString is the range and branch for a download link.
func reportQueryString(q billing.ReportQuery) template.URL {
	v := url.Values{"from": {q.From}, "to": {q.To}}
	if q.BranchID != nil {
		v.Set("branch_id", q.BranchID.String())
	}
	return template.URL(v.Encode()) // url.Values.Encode escapes every value
}
