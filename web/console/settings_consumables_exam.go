package console

import (
	"fmt"
	"strconv"

	"github.com/gin-gonic/gin"

	"clinic/billing"
)

// saveUse sets how many of an item an examination uses, and whether it is billed; 0 stops using it.
func (con *Console) saveUse(c *gin.Context) {
	exam, ok := con.pathID(c, "id", "examination", "Go back to the consumables.")
	if !ok {
		return
	}
	key := fmt.Sprintf("exam-%d", exam)
	f, ok := con.consumablesForm(c, key)
	if !ok {
		return
	}
	use := billing.ExaminationConsumable{ExaminationID: exam, ItemID: idOf(c.PostForm("item"))}
	if use.ItemID == 0 {
		f.errs[key+"-quantity"] = "Choose the item."
	}
	n, err := strconv.ParseInt(f.field("quantity", key+"-quantity"), 10, 64)
	if err != nil || n < 0 || n > billing.MaxQuantity {
		f.errs[key+"-quantity"] = "Write how many the examination uses: a whole number from 0 (none) to 1000."
	}
	use.Quantity = n
	switch c.PostForm("billing") {
	case "own":
		use.Billable = new(bool)
		*use.Billable = true
	case "included":
		use.Billable = new(bool)
	}
	err = nil
	if len(f.errs) == 0 {
		err = f.store.SetExaminationConsumable(c.Request.Context(), use)
	}
	f.done(err, key+"-quantity", "The examination's consumables are saved.")
}

// saveCommission sets the doctor's and the manager's commission on an examination: a percentage of
// the net before tax or a fixed amount; an empty value removes the rule.
func (con *Console) saveCommission(c *gin.Context) {
	exam, ok := con.pathID(c, "id", "examination", "Go back to the consumables.")
	if !ok {
		return
	}
	key := fmt.Sprintf("exam-%d", exam)
	f, ok := con.consumablesForm(c, key)
	if !ok {
		return
	}
	var rules []billing.CommissionRule
	for _, who := range []string{billing.BeneficiaryDoctor, billing.BeneficiaryManager} {
		id := key + "-" + who
		kind, value := f.field(who+"_kind", id+"_kind"), f.field(who, id)
		r := billing.CommissionRule{ExaminationID: exam, Beneficiary: who}
		switch {
		case value == "":
		case kind == "fixed":
			if r.Fixed = readAmount(value, f.cur, id, f.errs); r.Fixed != nil && *r.Fixed > billing.MaxUnitPrice {
				f.errs[id] = "That amount is too large."
			}
		default:
			r.PercentBP = readPercent(value, id, f.errs)
		}
		rules = append(rules, r)
	}
	var err error
	for _, r := range rules {
		if len(f.errs) > 0 {
			break // both are checked before either is saved
		}
		if err = f.store.SetCommissionRule(c.Request.Context(), r); err != nil {
			break
		}
	}
	f.done(err, key+"-doctor", "The commission is saved.")
}
