package web

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

// reportRoutes serves the money reports (SCENARIOS 8): revenue per branch and day, commission per
// doctor and manager, and stock against reorder levels, as JSON or, with format=csv, as a download.
// Owner and managers only.
func (s *Server) reportRoutes(api *gin.RouterGroup) {
	h := reportHandlers{s: s, store: billing.NewStore(s.pool, func() time.Time { return s.sched.Now() })}
	api.GET("/reports/revenue", allow(managers...), h.revenue)
	api.GET("/reports/commission", allow(managers...), h.commission)
	api.GET("/reports/stock", allow(managers...), h.stock)
}

type reportHandlers struct {
	s     *Server
	store *billing.Store
}

// csvReport is a report that exports itself as CSV.
type csvReport interface{ WriteCSV(w io.Writer) error }

// reportQuery reads from, to and branch_id; a malformed branch id has answered 400.
func reportQuery(c *gin.Context) (billing.ReportQuery, bool) {
	q := billing.ReportQuery{From: c.Query("from"), To: c.Query("to")}
	id, ok := queryID(c, "branch_id")
	if ok && id != 0 {
		q.BranchID = &id
	}
	return q, ok
}

// wantsCSV reads format: json (the default) or csv; anything else answers 400.
func wantsCSV(c *gin.Context) (csv, ok bool) {
	switch c.Query("format") {
	case "", "json":
		return false, true
	case "csv":
		return true, true
	}
	abort(c, http.StatusBadRequest, "invalid_format", "format must be json or csv, not "+c.Query("format"))
	return false, false
}

// answer writes the report as JSON, or as a CSV attachment named name.csv.
func (h reportHandlers) answer(c *gin.Context, name string, call func() (csvReport, error)) {
	csv, ok := wantsCSV(c)
	if !ok {
		return
	}
	r, err := call()
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if !csv {
		c.JSON(http.StatusOK, r)
		return
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		h.s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (h reportHandlers) revenue(c *gin.Context) {
	if q, ok := reportQuery(c); ok {
		h.answer(c, reportName("revenue", q), func() (csvReport, error) { return h.store.Revenue(c.Request.Context(), q) })
	}
}

func (h reportHandlers) commission(c *gin.Context) {
	if q, ok := reportQuery(c); ok {
		h.answer(c, reportName("commission", q), func() (csvReport, error) { return h.store.Commission(c.Request.Context(), q) })
	}
}

func (h reportHandlers) stock(c *gin.Context) {
	id, ok := queryID(c, "branch_id")
	if !ok {
		return
	}
	var branch *scheduling.ID
	if id != 0 {
		branch = &id
	}
	h.answer(c, reportName("stock", billing.ReportQuery{BranchID: branch}), func() (csvReport, error) {
		return h.store.StockLevels(c.Request.Context(), branch)
	})
}

// reportName names a download after the report, its range and its branch: revenue-2027-01-01-2027-01-31-branch-3.
// The dates are only used once the store has accepted them.
func reportName(kind string, q billing.ReportQuery) string {
	name := kind
	if q.From != "" {
		name += "-" + q.From + "-" + q.To
	}
	if q.BranchID != nil {
		name += "-branch-" + q.BranchID.String()
	}
	return name
}
