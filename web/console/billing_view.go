package console

import (
	"strconv"

	"clinic/billing"
)

// invoiceView is an invoice as the desk reads it: each line with what shaped its price and what the
// patient pays of it, then the totals. Message replaces it when there is nothing to price yet.
type invoiceView struct {
	Message string
	Lines   []invoiceLineView
	Totals  []invoiceTotal
	// Due is what the patient pays with money, written as money.
	Due string
	// After says what the patient's records hold after the visit (packages, deductible, limit).
	After []string
	Notes []string
}

// invoiceLineView is one line: its parts ("€60.00", "discount 10% −€6.00") and the trace of its price.
type invoiceLineView struct {
	Description string
	Quantity    int64
	Parts       []string
	// Pays is the patient's share of the line.
	Pays  string
	Trace []string
}

// invoiceTotal is one row of the totals; Strong marks those the patient acts on.
type invoiceTotal struct {
	Label, Amount string
	Strong        bool
}

func invoiceViewOf(inv billing.Invoice) invoiceView {
	money := func(v int64) string { return priceText(v, inv.Currency) }
	minus := func(v int64) string { return "−" + money(v) }
	v := invoiceView{Due: money(inv.AmountDue), Notes: inv.Notes}
	for _, l := range inv.Lines {
		lv := invoiceLineView{Description: l.Description, Quantity: l.Quantity, Pays: money(l.PatientShare), Trace: l.Trace}
		price := money(l.Subtotal)
		if l.Quantity > 1 {
			price = strconv.FormatInt(l.Quantity, 10) + " × " + money(l.UnitPrice) + " = " + price
		}
		lv.Parts = append(lv.Parts, price)
		if l.PackageCovered > 0 {
			lv.Parts = append(lv.Parts, "package "+minus(l.PackageCovered))
		}
		if l.Discount > 0 {
			lv.Parts = append(lv.Parts, "discount "+percent(l.DiscountBP)+" "+minus(l.Discount))
		}
		if l.Tax > 0 {
			lv.Parts = append(lv.Parts, "tax "+percent(l.TaxRateBP)+" +"+money(l.Tax))
		}
		if l.InsuranceCovered > 0 {
			lv.Parts = append(lv.Parts, "insurance "+minus(l.InsuranceCovered))
		}
		v.Lines = append(v.Lines, lv)
	}
	v.Totals = append(v.Totals, invoiceTotal{Label: "Subtotal", Amount: money(inv.Subtotal)})
	for _, t := range []struct {
		label  string
		amount int64
	}{{"Packages cover", inv.PackageCovered}, {"Discount", inv.Discount}} {
		if t.amount > 0 {
			v.Totals = append(v.Totals, invoiceTotal{Label: t.label, Amount: minus(t.amount)})
		}
	}
	if inv.Tax > 0 {
		v.Totals = append(v.Totals, invoiceTotal{Label: "Tax", Amount: money(inv.Tax)})
	}
	v.Totals = append(v.Totals, invoiceTotal{Label: "Total", Amount: money(inv.Total)})
	if inv.InsuranceCovered > 0 {
		v.Totals = append(v.Totals, invoiceTotal{Label: "Insurance pays", Amount: minus(inv.InsuranceCovered)})
	}
	v.Totals = append(v.Totals, invoiceTotal{Label: "Patient pays", Amount: money(inv.PatientTotal), Strong: inv.PointsRedeemed == 0})
	if inv.PointsRedeemed > 0 {
		v.Totals = append(v.Totals, invoiceTotal{Label: "Loyalty points", Amount: minus(inv.PointsRedeemed)},
			invoiceTotal{Label: "Amount due", Amount: v.Due, Strong: true})
	}
	r := inv.Remaining
	for _, p := range r.Packages {
		if p.Used > 0 {
			v.After = append(v.After, usesLeft(p.UsesLeft)+" on a package")
		}
	}
	if r.Deductible != nil {
		v.After = append(v.After, money(*r.Deductible)+" of the deductible left this year")
	}
	if r.AnnualLimit != nil {
		v.After = append(v.After, money(*r.AnnualLimit)+" of the insurance limit left this year")
	}
	return v
}

func usesLeft(n int64) string {
	if n == 1 {
		return "1 use left"
	}
	return strconv.FormatInt(n, 10) + " uses left"
}

// percent writes basis points as a percentage: 1000 → "10%", 2350 → "23.5%".
func percent(bp int64) string {
	s := priceInput(bp, "EUR") // two decimals: basis points are hundredths of a percent
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s + "%"
}
