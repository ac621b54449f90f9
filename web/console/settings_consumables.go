package console

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

func init() { pageNames = append(pageNames, "settings_consumables") }

// consumablesRoutes serves the managers' page of consumable items, their stock at each branch, what
// each examination uses of them and the commission each examination earns (DESIGN 3.4).
func (con *Console) consumablesRoutes(in *gin.RouterGroup) {
	g := in.Group("/settings/consumables", con.allow(settingsRoles...))
	g.GET("", con.consumables)
	g.POST("/items", con.saveItem)
	g.POST("/items/:id", con.saveItem)
	g.POST("/items/:id/stock", con.saveStock)
	g.POST("/examinations/:id/uses", con.saveUse)
	g.POST("/examinations/:id/commission", con.saveCommission)
}

// consumablesPage is the page; Typed holds a refused form's values by input id, Errors its messages.
type consumablesPage struct {
	CSRF     string
	Currency string
	Items    []itemRow
	New      itemRow
	Exams    []examMoneyRow
	// ItemChoices are the items an examination may use.
	ItemChoices []option
	Typed       map[string]string
	Errors      map[string]string
}

// itemRow is an item's form; Key prefixes its inputs' ids ("item-4", "item-new").
type itemRow struct {
	ID                       scheduling.ID
	Key                      string
	Code, Name, Unit, Price  string
	Billable, Taxable, Fresh bool
	Stock                    []stockCell
	Currency                 string
	// Err holds the form's errors by field: code, name, unit, price, stock.
	Err map[string]string
}

// stockCell is the count of an item at a branch, and the level under which to order it again.
type stockCell struct {
	Branch, Input, Value, Error string
	ReorderInput, Reorder       string
	ReorderError                string
	// Shown is the count as the item's summary says it.
	Shown string
}

// examMoneyRow is an examination with the consumables it uses and its commission rules.
type examMoneyRow struct {
	ID               scheduling.ID
	Name             string
	Uses             []useRow
	Doctor, Manager  commissionCell
	UseQty, UseError string
}

type useRow struct {
	ItemID   scheduling.ID
	Item     string
	Quantity int64
	Billing  string
}

// commissionCell is one beneficiary's rule as the form shows it: Kind "percent", "fixed" or "".
type commissionCell struct {
	Kind, Value string
	// ID, Name, Label, Error and Currency are the form field's.
	ID, Name, Label, Error, Currency string
}

// consumables shows the page.
func (con *Console) consumables(c *gin.Context) {
	p, err := con.consumablesPage(c.Request.Context(), signedIn(c), nil, nil)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "settings_consumables", "Consumables and commission", p)
}

// consumablesPage loads everything the page shows; typed and errs are a refused form's.
func (con *Console) consumablesPage(ctx context.Context, a account, typed, errs map[string]string) (*consumablesPage, error) {
	store, err := con.billingStore()
	if err != nil {
		return nil, err
	}
	p := &consumablesPage{CSRF: a.CSRF, Typed: typed, Errors: errs}
	if p.Typed == nil {
		p.Typed = map[string]string{}
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	if p.Currency, err = con.clinicCurrency(ctx); err != nil {
		return nil, err
	}
	branches, err := con.sched.ListBranches(ctx)
	if err != nil {
		return nil, err
	}
	items, err := store.Items(ctx)
	if err != nil {
		return nil, err
	}
	stock, err := store.Stock(ctx)
	if err != nil {
		return nil, err
	}
	counts := map[[2]scheduling.ID]int64{}
	for _, l := range stock {
		counts[[2]scheduling.ID{l.ItemID, l.BranchID}] = l.Quantity
	}
	levels, err := store.StockLevels(ctx, nil)
	if err != nil {
		return nil, err
	}
	reorder := map[[2]scheduling.ID]int64{}
	for _, l := range levels.Items {
		reorder[[2]scheduling.ID{l.ItemID, l.BranchID}] = l.ReorderLevel
	}
	names := map[scheduling.ID]string{}
	for _, it := range items {
		names[it.ID] = it.Name
		p.ItemChoices = append(p.ItemChoices, option{ID: it.ID, Name: it.Name})
		row := itemRow{ID: it.ID, Key: fmt.Sprintf("item-%d", it.ID), Code: it.Code, Name: it.Name, Unit: it.Unit,
			Price: priceInput(it.UnitPrice, p.Currency), Billable: it.Billable, Taxable: it.Taxable}
		for _, b := range branches {
			cell := stockCell{Branch: b.Name, Input: fmt.Sprintf("stock_%d", b.ID), Shown: "not counted"}
			if n, ok := counts[[2]scheduling.ID{it.ID, b.ID}]; ok {
				cell.Value = strconv.FormatInt(n, 10)
				cell.Shown = cell.Value
			}
			if v, ok := p.Typed[row.Key+"-"+cell.Input]; ok {
				cell.Value = v
			}
			cell.ReorderInput = fmt.Sprintf("reorder_%d", b.ID)
			if n := reorder[[2]scheduling.ID{it.ID, b.ID}]; n > 0 {
				cell.Reorder = strconv.FormatInt(n, 10)
			}
			if v, ok := p.Typed[row.Key+"-"+cell.ReorderInput]; ok {
				cell.Reorder = v
			}
			cell.ReorderError = p.Errors[row.Key+"-"+cell.ReorderInput]
			cell.Error = p.Errors[row.Key+"-"+cell.Input]
			row.Stock = append(row.Stock, cell)
		}
		p.Items = append(p.Items, p.typedItem(row))
	}
	p.New = p.typedItem(itemRow{Key: "item-new", Unit: "unit", Billable: true, Taxable: true, Fresh: true})
	return p, con.examMoneyRows(ctx, store, p, names)
}

// typedItem shows a refused item form as it was sent.
func (p *consumablesPage) typedItem(row itemRow) itemRow {
	row.Currency, row.Err = p.Currency, map[string]string{}
	for _, field := range []string{"code", "name", "unit", "price", "stock"} {
		if msg, ok := p.Errors[row.Key+"-"+field]; ok {
			row.Err[field] = msg
		}
	}
	if _, ok := p.Typed[row.Key+"-name"]; !ok {
		return row
	}
	row.Code, row.Name, row.Unit, row.Price = p.Typed[row.Key+"-code"], p.Typed[row.Key+"-name"], p.Typed[row.Key+"-unit"], p.Typed[row.Key+"-price"]
	row.Billable, row.Taxable = p.Typed[row.Key+"-billable"] != "", p.Typed[row.Key+"-taxable"] != ""
	return row
}

// examMoneyRows lists each examination's consumables and commission rules.
func (con *Console) examMoneyRows(ctx context.Context, store *billing.Store, p *consumablesPage, items map[scheduling.ID]string) error {
	exams, err := con.sched.ListExaminations(ctx, 0)
	if err != nil {
		return err
	}
	uses, err := store.ExaminationConsumables(ctx)
	if err != nil {
		return err
	}
	rules, err := store.CommissionRules(ctx)
	if err != nil {
		return err
	}
	for _, e := range exams {
		row := examMoneyRow{ID: e.ID, Name: e.Name}
		for _, u := range uses {
			if u.ExaminationID == e.ID {
				billing := "billed as the item says"
				if u.Billable != nil && *u.Billable {
					billing = "billed on its own line"
				} else if u.Billable != nil {
					billing = "included in the price"
				}
				row.Uses = append(row.Uses, useRow{ItemID: u.ItemID, Item: items[u.ItemID], Quantity: u.Quantity, Billing: billing})
			}
		}
		for _, r := range rules {
			if r.ExaminationID != e.ID {
				continue
			}
			cell := commissionCell{Kind: "percent"}
			if r.PercentBP != nil {
				cell.Value = percentInput(*r.PercentBP)
			} else if r.Fixed != nil {
				cell = commissionCell{Kind: "fixed", Value: priceInput(*r.Fixed, p.Currency)}
			}
			if r.Beneficiary == billing.BeneficiaryDoctor {
				row.Doctor = cell
			} else {
				row.Manager = cell
			}
		}
		key := fmt.Sprintf("exam-%d", e.ID)
		for _, who := range []struct {
			name, label string
			cell        *commissionCell
		}{{"doctor", "Doctor's commission", &row.Doctor}, {"manager", "Manager's commission", &row.Manager}} {
			id := key + "-" + who.name
			if v, ok := p.Typed[id]; ok {
				*who.cell = commissionCell{Kind: p.Typed[id+"_kind"], Value: v}
			}
			who.cell.ID, who.cell.Name, who.cell.Label, who.cell.Error, who.cell.Currency = id, who.name, who.label, p.Errors[id], p.Currency
		}
		row.UseQty, row.UseError = p.Typed[key+"-quantity"], p.Errors[key+"-quantity"]
		p.Exams = append(p.Exams, row)
	}
	return nil
}

// percentInput writes basis points for a percentage field: 1250 → "12.5".
func percentInput(bp int64) string {
	s := percent(bp)
	return s[:len(s)-1]
}
