package billing

import (
	"fmt"
	"slices"

	"clinic/scheduling"
)

// Price turns a visit into invoice lines and totals, following DESIGN 3.4 line by line, in the
// order of in.Items:
//
//  1. Package: the first package (in in.Packages order) with uses left that covers the line's
//     examination and has not expired covers the line, using one use; a covered line costs nothing
//     and skips the steps below. Consumables are never covered by a package.
//  2. Discount: the larger of the loyalty tier's and the manual discount, on the subtotal.
//  3. Tax: on taxable lines, the branch rate on the discounted net.
//  4. Insurance: of the taxed total, what is left of the deductible is the patient's first; the
//     coverage share of the rest is the insurer's, capped by what is left of the annual limit; the
//     rest is the patient's. A consumable is covered when the examination it is used in is.
//  5. Points: after every line is split, the points redeemed pay the patients' shares line by line.
//
// Every rate is applied by scale, which rounds half away from zero to the minor unit, so each line
// is exact in itself and the totals are plain sums of lines. Price is pure: the preview and the
// saved invoice call it with the same input and get the same invoice.
func Price(in Input) (Invoice, error) {
	digits, err := in.validate()
	if err != nil {
		return Invoice{}, err
	}
	p := pricer{in: in, digits: digits, usesLeft: make([]int64, len(in.Packages)),
		t: tracer{buf: make([]byte, 0, 512), ends: make([]int, 0, 8), currency: in.Currency, digits: digits}}
	for i, pk := range in.Packages {
		p.usesLeft[i] = pk.UsesLeft
	}
	inv := Invoice{Currency: in.Currency, Lines: make([]Line, 0, len(in.Items)), Notes: []string{}}
	p.policyUsable = p.checkPolicy(&inv)
	if p.policyUsable {
		p.deductibleLeft = in.Policy.DeductibleLeft
		if in.Policy.LimitLeft != nil {
			left := *in.Policy.LimitLeft
			p.limitLeft = &left
		}
	}
	for _, it := range in.Items {
		if it.Kind == KindConsumable && !it.Billable {
			continue // included in its examination's price: no line (DESIGN 3.4)
		}
		inv.Lines = append(inv.Lines, p.line(it))
	}
	p.redeemPoints(&inv)
	inv.total()
	inv.Remaining = p.remaining(inv.PointsRedeemed)
	return inv, nil
}

// pricer carries what one pricing consumes as it goes through the lines.
type pricer struct {
	in             Input
	digits         int
	usesLeft       []int64 // per package, as lines use them
	policyUsable   bool
	deductibleLeft int64
	limitLeft      *int64
	t              tracer
}

func (p *pricer) money(v int64) string { return p.in.Currency + " " + formatMinor(v, p.digits) }

// checkPolicy says whether the policy applies to this visit at all, and notes why not.
func (p *pricer) checkPolicy(inv *Invoice) bool {
	pol := p.in.Policy
	switch {
	case pol == nil:
		return false
	case pol.Currency != "" && pol.Currency != p.in.Currency:
		inv.Notes = append(inv.Notes, fmt.Sprintf("insurance (%s) not applied: the policy is in %s and the branch bills in %s",
			pol.Insurer, pol.Currency, p.in.Currency))
		return false
	case dateKey(p.in.Date) < dateKey(pol.ValidFrom):
		inv.Notes = append(inv.Notes, fmt.Sprintf("insurance (%s) not applied: the policy starts on %s", pol.Insurer, dateString(pol.ValidFrom)))
		return false
	case dateKey(p.in.Date) > dateKey(pol.ValidTo):
		inv.Notes = append(inv.Notes, fmt.Sprintf("insurance (%s) not applied: the policy ended on %s", pol.Insurer, dateString(pol.ValidTo)))
		return false
	}
	return true
}

// line prices one item through steps 1–4.
func (p *pricer) line(it Item) Line {
	l := Line{Kind: it.Kind, ExaminationID: it.ExaminationID, ItemID: it.ItemID, Description: it.Description,
		Quantity: it.Quantity, UnitPrice: it.UnitPrice, Subtotal: it.UnitPrice * it.Quantity, Taxable: it.Taxable,
		Trace: make([]string, 0, 6)}
	p.t.s("price ").m(it.UnitPrice).s(" × ").n(it.Quantity).s(" = ").m(l.Subtotal).end()

	if it.Kind == KindExamination && p.coverByPackage(&l) {
		p.t.flush(&l)
		return l
	}

	// Step 2: discount.
	l.DiscountBP = max(p.in.Loyalty.TierDiscountBP, p.in.ManualDiscountBP)
	l.Net = l.Subtotal
	if l.DiscountBP > 0 {
		source := "loyalty tier"
		if p.in.ManualDiscountBP > p.in.Loyalty.TierDiscountBP {
			source = "manual"
		}
		l.Discount = scale(l.Subtotal, l.DiscountBP)
		l.Net = l.Subtotal - l.Discount
		p.t.s("discount ").bp(l.DiscountBP).s(" (").s(source).s("): −").m(l.Discount).s(", net ").m(l.Net).end()
	}

	// Step 3: tax on the discounted net.
	if it.Taxable && p.in.TaxRateBP > 0 {
		l.TaxRateBP = p.in.TaxRateBP
		l.Tax = scale(l.Net, l.TaxRateBP)
		p.t.s("tax ").bp(l.TaxRateBP).s(" on ").m(l.Net).s(": ").m(l.Tax).end()
	} else if !it.Taxable {
		p.t.s("tax exempt").end()
	}
	l.Total = l.Net + l.Tax

	// Step 4: insurance split.
	l.PatientShare = l.Total
	if p.policyUsable && p.policyCovers(it.ExaminationID) {
		p.split(&l)
	}
	l.AmountDue = l.PatientShare
	p.t.flush(&l)
	return l
}

// coverByPackage applies step 1; it reports whether a package covers the line.
func (p *pricer) coverByPackage(l *Line) bool {
	for i, pk := range p.in.Packages {
		if !slices.Contains(pk.ExaminationIDs, l.ExaminationID) {
			continue
		}
		switch {
		case pk.ExpiresOn != nil && dateKey(p.in.Date) > dateKey(*pk.ExpiresOn):
			p.t.s("package ").q(pk.Name).s(" not applied: it expired on ").s(dateString(*pk.ExpiresOn)).end()
		case p.usesLeft[i] < l.Quantity:
			p.t.s("package ").q(pk.Name).s(" not applied: no uses left").end()
		default:
			p.usesLeft[i] -= l.Quantity
			l.PackageID, l.PackageCovered = pk.ID, l.Subtotal
			p.t.s("covered by package ").q(pk.Name).s(" (uses left after this line: ").n(p.usesLeft[i]).s(")").end()
			return true
		}
	}
	return false
}

func (p *pricer) policyCovers(examinationID scheduling.ID) bool {
	ids := p.in.Policy.ExaminationIDs
	return len(ids) == 0 || (examinationID != 0 && slices.Contains(ids, examinationID))
}

// split applies step 4 to a taxed line: deductible first, then the coverage share capped by the
// limit. The insurer's share is computed and the patient's is the rest, so they add up exactly.
func (p *pricer) split(l *Line) {
	pol := p.in.Policy
	l.Deductible = min(p.deductibleLeft, l.Total)
	p.deductibleLeft -= l.Deductible
	if l.Deductible > 0 {
		p.t.s("deductible: the patient pays ").m(l.Deductible).s(" first (").m(p.deductibleLeft).s(" left this year)").end()
	}
	rest := l.Total - l.Deductible
	l.InsuranceCovered = scale(rest, pol.CoverageBP)
	p.t.s("insurance (").s(pol.Insurer).s(") ").bp(pol.CoverageBP).s(" of ").m(rest).s(": ").m(l.InsuranceCovered)
	if p.limitLeft != nil && l.InsuranceCovered > *p.limitLeft {
		l.InsuranceCovered = *p.limitLeft
		p.t.s(", capped by the annual limit at ").m(l.InsuranceCovered)
	}
	p.t.end()
	if p.limitLeft != nil {
		*p.limitLeft -= l.InsuranceCovered
	}
	l.PatientShare = l.Total - l.InsuranceCovered
	p.t.s("patient's share ").m(l.PatientShare).end()
}

// redeemPoints applies step 5: points pay the patient's shares in line order.
func (p *pricer) redeemPoints(inv *Invoice) {
	want := p.in.RedeemPoints
	if want == 0 {
		return
	}
	var share int64
	for _, l := range inv.Lines {
		share += l.PatientShare
	}
	use := min(want, p.in.Loyalty.Points, share)
	if use < want {
		inv.Notes = append(inv.Notes, fmt.Sprintf("%d points asked for, %d redeemed (balance %d, patient's share %s)",
			want, use, p.in.Loyalty.Points, p.money(share)))
	}
	for i := range inv.Lines {
		l := &inv.Lines[i]
		pay := min(use, l.PatientShare)
		if pay == 0 {
			continue
		}
		use -= pay
		l.PointsRedeemed, l.AmountDue = pay, l.PatientShare-pay
		p.t.n(pay).s(" loyalty points redeemed: ").m(l.AmountDue).s(" due").end()
		p.t.flush(l)
	}
}

// total sums the lines into the invoice's totals.
func (inv *Invoice) total() {
	for _, l := range inv.Lines {
		inv.Subtotal += l.Subtotal
		inv.PackageCovered += l.PackageCovered
		inv.Discount += l.Discount
		inv.Tax += l.Tax
		inv.Total += l.Total
		inv.InsuranceCovered += l.InsuranceCovered
		inv.PatientTotal += l.PatientShare
		inv.PointsRedeemed += l.PointsRedeemed
		inv.AmountDue += l.AmountDue
	}
}

// remaining is what the patient's records hold after the visit.
func (p *pricer) remaining(pointsRedeemed int64) Remaining {
	r := Remaining{Packages: make([]PackageUses, len(p.in.Packages)), Points: p.in.Loyalty.Points - pointsRedeemed}
	for i, pk := range p.in.Packages {
		r.Packages[i] = PackageUses{PackageID: pk.ID, Used: pk.UsesLeft - p.usesLeft[i], UsesLeft: p.usesLeft[i]}
	}
	if p.policyUsable {
		d := p.deductibleLeft
		r.Deductible = &d
		if p.limitLeft != nil {
			l := *p.limitLeft
			r.AnnualLimit = &l
		}
	}
	return r
}
