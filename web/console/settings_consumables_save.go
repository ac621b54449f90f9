package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/billing"
	"clinic/scheduling"
)

// consumablesForm is one form of the consumables page as sent: values and errors by input id.
type consumablesForm struct {
	c      *gin.Context
	con    *Console
	store  *billing.Store
	cur    string
	typed  map[string]string
	errs   map[string]string
	anchor string
}

// consumablesForm starts handling a form whose inputs' ids start with key.
func (con *Console) consumablesForm(c *gin.Context, anchor string) (*consumablesForm, bool) {
	store, err := con.billingStore()
	var cur string
	if err == nil {
		cur, err = con.clinicCurrency(c.Request.Context())
	}
	if err != nil {
		con.fail(c, err)
		return nil, false
	}
	return &consumablesForm{c: c, con: con, store: store, cur: cur, typed: map[string]string{}, errs: map[string]string{}, anchor: anchor}, true
}

// field reads a posted field, keeping it under id to show it again.
func (f *consumablesForm) field(name, id string) string {
	v := strings.TrimSpace(f.c.PostForm(name))
	f.typed[id] = v
	return v
}

// done redirects to the page with a message once saved; refused, it shows the page again with the
// message at the field (err a store refusal for field id).
func (f *consumablesForm) done(err error, id, saved string) {
	if de, ok := asDomain(err); ok && de.Kind != scheduling.KindNotFound {
		f.errs[id] = sentence(de.Message)
	} else if err != nil {
		f.con.fail(f.c, err)
		return
	}
	if len(f.errs) == 0 {
		f.con.flash(f.c, flashSuccess, saved)
		f.c.Redirect(http.StatusSeeOther, Prefix+"/settings/consumables#"+f.anchor)
		return
	}
	p, err := f.con.consumablesPage(f.c.Request.Context(), signedIn(f.c), f.typed, f.errs)
	if err != nil {
		f.con.fail(f.c, err)
		return
	}
	f.con.render(f.c, http.StatusUnprocessableEntity, "settings_consumables", "Consumables and commission", p)
}

// saveItem adds an item, or with an id changes it.
func (con *Console) saveItem(c *gin.Context) {
	key := "item-new"
	var id scheduling.ID
	if c.Param("id") != "" {
		var ok bool
		if id, ok = con.pathID(c, "id", "item", "Go back to the consumables."); !ok {
			return
		}
		key = fmt.Sprintf("item-%d", id)
	}
	f, ok := con.consumablesForm(c, key)
	if !ok {
		return
	}
	in := billing.ItemInput{Code: f.field("code", key+"-code"), Name: f.field("name", key+"-name"), Unit: f.field("unit", key+"-unit"),
		Billable: f.field("billable", key+"-billable") != "", Taxable: f.field("taxable", key+"-taxable") != ""}
	price := f.field("price", key+"-price")
	if n, ok := parsePrice(price, f.cur); ok {
		in.UnitPrice = &n
	} else {
		f.errs[key+"-price"] = "Write the price as an amount, such as " + priceInput(250, f.cur) + "."
	}
	for _, field := range []string{"code", "name"} {
		if f.typed[key+"-"+field] == "" {
			f.errs[key+"-"+field] = "This is required."
		}
	}
	var err error
	if len(f.errs) == 0 {
		if id == 0 {
			_, err = f.store.CreateItem(c.Request.Context(), in)
		} else {
			_, err = f.store.UpdateItem(c.Request.Context(), id, in)
		}
	}
	field := "code"
	if de, ok := asDomain(err); ok {
		for _, name := range []string{"price", "unit", "name"} {
			if strings.Contains(de.Code, name) || strings.HasPrefix(de.Message, name) {
				field = name
			}
		}
	}
	f.done(err, key+"-"+field, in.Name+" is saved.")
}

// saveStock records an item's counts at the branches; a count left empty is not changed.
func (con *Console) saveStock(c *gin.Context) {
	id, ok := con.pathID(c, "id", "item", "Go back to the consumables.")
	if !ok {
		return
	}
	key := fmt.Sprintf("item-%d", id)
	f, ok := con.consumablesForm(c, key)
	if !ok {
		return
	}
	branches, err := con.sched.ListBranches(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	var counts []billing.StockLevel
	for _, b := range branches {
		input := fmt.Sprintf("stock_%d", b.ID)
		v := f.field(input, key+"-"+input)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > billing.MaxStock {
			f.errs[key+"-"+input] = "Write the count as a whole number, 0 or more."
			continue
		}
		counts = append(counts, billing.StockLevel{ItemID: id, BranchID: b.ID, Quantity: n})
	}
	type level struct {
		branch scheduling.ID
		n      int64
	}
	var levels []level
	for _, b := range branches {
		input := fmt.Sprintf("reorder_%d", b.ID)
		v := f.field(input, key+"-"+input)
		n, err := strconv.ParseInt(v, 10, 64)
		if v == "" {
			n, err = 0, nil // an empty level is none
		}
		if err != nil || n < 0 || n > billing.MaxStock {
			f.errs[key+"-"+input] = "Write the reorder level as a whole number, 0 or more."
			continue
		}
		levels = append(levels, level{b.ID, n})
	}
	for _, l := range counts {
		if len(f.errs) > 0 {
			break // every count is checked before any is saved
		}
		err = f.store.SetStock(c.Request.Context(), l)
		if err != nil {
			break
		}
	}
	for _, l := range levels {
		if err != nil || len(f.errs) > 0 {
			break
		}
		err = f.store.SetReorderLevel(c.Request.Context(), id, l.branch, l.n)
		if l.n == 0 && scheduling.IsCode(err, "stock_not_counted") {
			err = nil // no level where nothing is counted: nothing to change
		}
	}
	f.done(err, key+"-stock", "The stock is saved.")
}
