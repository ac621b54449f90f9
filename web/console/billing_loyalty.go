package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"clinic/billing"
)

func init() { pageNames = append(pageNames, "billing_loyalty") }

// loyaltyPath is the managers' page of the clinic's loyalty rules (Settings › Loyalty).
const loyaltyPath = Prefix + "/settings/loyalty"

// loyaltyRulesPage is the rules' form: the points rate, what tiers count, and a row per tier plus
// empty rows to add some. Errors are by field ("rate", "basis", "tier-2-name", "form").
type loyaltyRulesPage struct {
	CSRF   string
	Rate   string
	Basis  string
	Tiers  []tierRow
	Errors map[string]string
}

// tierRow is one tier's inputs as typed.
type tierRow struct {
	Index, Pos                int
	Name, Threshold, Discount string
}

// blankTierRows are the empty rows offered to add tiers.
const blankTierRows = 2

// loyaltyRules shows the rules as saved.
func (con *Console) loyaltyRules(c *gin.Context) {
	store, err := con.billingStore()
	if err != nil {
		con.fail(c, err)
		return
	}
	r, err := store.LoyaltyRules(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	p := loyaltyRulesPage{CSRF: signedIn(c).CSRF, Rate: percent(r.PointsRateBP), Basis: r.TierBasis, Errors: map[string]string{}}
	for _, t := range r.Tiers {
		p.Tiers = append(p.Tiers, tierRow{Name: t.Name, Threshold: strconv.FormatInt(t.Threshold, 10), Discount: percent(t.DiscountBP)})
	}
	con.renderLoyalty(c, http.StatusOK, p)
}

// renderLoyalty numbers the rows, adds the blank ones and renders the page.
func (con *Console) renderLoyalty(c *gin.Context, status int, p loyaltyRulesPage) {
	for range blankTierRows {
		p.Tiers = append(p.Tiers, tierRow{})
	}
	for i := range p.Tiers {
		p.Tiers[i].Index, p.Tiers[i].Pos = i, i+1
	}
	con.render(c, status, "billing_loyalty", "Loyalty", p)
}

// saveLoyaltyRules replaces the rules with the form's: the rate, the basis and every row with a name
// (a row left empty is no tier). A refused form is shown again as typed, nothing saved.
func (con *Console) saveLoyaltyRules(c *gin.Context) {
	store, err := con.billingStore()
	if err != nil {
		con.fail(c, err)
		return
	}
	names, thresholds, discounts := c.PostFormArray("tier_name"), c.PostFormArray("tier_threshold"), c.PostFormArray("tier_discount")
	p := loyaltyRulesPage{CSRF: signedIn(c).CSRF, Rate: strings.TrimSpace(c.PostForm("rate")), Basis: c.PostForm("basis"),
		Errors: map[string]string{}}
	in := billing.LoyaltyRulesInput{Tiers: &[]billing.LoyaltyTier{}}
	if in.PointsRateBP = readPercent(p.Rate, "rate", p.Errors); in.PointsRateBP == nil && p.Errors["rate"] == "" {
		p.Errors["rate"] = "Write the share of what patients pay that they earn in points, such as 1 (one point per 100)."
	}
	basis := p.Basis
	in.TierBasis = &basis
	rows := 0
	for i := range names {
		row := tierRow{Name: strings.TrimSpace(names[i]), Threshold: strings.TrimSpace(at(thresholds, i)),
			Discount: strings.TrimSpace(at(discounts, i))}
		if row.Name == "" && row.Threshold == "" && row.Discount == "" {
			continue
		}
		key := fmt.Sprintf("tier-%d-", rows)
		p.Tiers = append(p.Tiers, row)
		rows++
		t := billing.LoyaltyTier{Name: row.Name}
		if row.Name == "" {
			p.Errors[key+"name"] = "Give the tier a name, such as Gold."
		}
		if n, err := strconv.ParseInt(row.Threshold, 10, 64); err == nil {
			t.Threshold = n
		} else {
			p.Errors[key+"threshold"] = "Write the threshold as a whole number, such as 1000."
		}
		if bp := readPercent(row.Discount, key+"discount", p.Errors); bp != nil {
			t.DiscountBP = *bp
		} else if p.Errors[key+"discount"] == "" {
			p.Errors[key+"discount"] = "Write the tier's discount, such as 5."
		}
		*in.Tiers = append(*in.Tiers, t)
	}
	if len(p.Errors) == 0 {
		_, err = store.PutLoyaltyRules(c.Request.Context(), in)
		if err == nil {
			con.flash(c, flashSuccess, "The loyalty rules are saved.")
			c.Redirect(http.StatusSeeOther, loyaltyPath)
			return
		}
		de, ok := asDomain(err)
		if !ok {
			con.fail(c, err)
			return
		}
		p.Errors[loyaltyField(de.Code, de.Message)] = loyaltyMessage(de.Code, de.Message)
	}
	con.renderLoyalty(c, http.StatusUnprocessableEntity, p)
}

// loyaltyField is the input a refusal of the rules is about: the tier it names, or the form.
func loyaltyField(code, message string) string {
	var i int
	if _, err := fmt.Sscanf(message, "tiers[%d]", &i); err == nil {
		switch code {
		case "duplicate_tier", "missing_name", "name_too_long":
			return fmt.Sprintf("tier-%d-name", i)
		case "duplicate_threshold":
			return fmt.Sprintf("tier-%d-threshold", i)
		case "out_of_range":
			if strings.Contains(message, "threshold") {
				return fmt.Sprintf("tier-%d-threshold", i)
			}
			return fmt.Sprintf("tier-%d-discount", i)
		}
	}
	switch code {
	case "invalid_tier_basis":
		return "basis"
	case "out_of_range":
		return "rate"
	}
	return "form"
}

// loyaltyMessage says a refusal in the page's words.
func loyaltyMessage(code, message string) string {
	switch code {
	case "duplicate_tier":
		return "Another tier has this name."
	case "duplicate_threshold":
		return "Another tier starts at this threshold."
	case "too_many_tiers":
		return fmt.Sprintf("The clinic may have at most %d tiers.", billing.MaxTiers)
	case "invalid_tier_basis":
		return "Pick what the tiers count."
	case "name_too_long":
		return fmt.Sprintf("A tier's name has at most %d characters.", billing.MaxTierName)
	case "out_of_range":
		if strings.Contains(message, "threshold") {
			return "Write a threshold of 0 or more."
		}
		return "Write a percentage between 0 and 100."
	}
	return message
}

// at is s[i], or "" past its end.
func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}
