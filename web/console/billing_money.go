package console

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"clinic/billing"
	"clinic/scheduling"
)

func init() { pageNames = append(pageNames, "billing_patient") }

// moneyView is the Money section of a patient's page: prepaid packages, the insurance policy and the
// loyalty account, with the forms that change them. Errors are keyed "form.field".
type moneyView struct {
	PatientID  scheduling.ID
	CSRF       string
	Currency   string
	CanLoyalty bool
	Packages   []packageRow
	Policy     *policyRow
	Points     int64
	Tier       string
	// The examinations each form offers, ticked as sent.
	PackageExams, InsuranceExams []option
	Package                      packageForm
	Insurance                    insuranceForm
	Loyalty                      loyaltyForm
	Errors                       map[string]string
}

type packageRow struct {
	Name, Examinations, Expires, State string
	Uses, UsesLeft                     int64
}

type policyRow struct {
	Insurer, Coverage, Valid, Examinations string
	Deductible, DeductibleLeft             string
	// Limit and LimitLeft are empty for a policy without an annual limit.
	Limit, LimitLeft string
}

// Forms as typed, shown again with the errors when they are refused.
type packageForm struct {
	Name, Uses, Expires string
	Exams               []scheduling.ID
}

type insuranceForm struct {
	Insurer, Coverage, Deductible, Limit, From, To string
	Exams                                          []scheduling.ID
}

type loyaltyForm struct{ Points, Tier string }

// moneySection renders the patient's Money section for the signed-in user; doctors see none of it.
// mv, when given, carries the forms as sent and their errors.
func (con *Console) moneySection(ctx context.Context, a account, id scheduling.ID, mv *moneyView) (template.HTML, error) {
	if !slices.Contains(deskRoles, a.Role) {
		return "", nil
	}
	if mv == nil {
		mv = &moneyView{}
	}
	if err := con.loadMoney(ctx, a, id, mv); err != nil {
		return "", err
	}
	return con.fragment("money", mv)
}

// loadMoney fills the patient's records and the choices of the forms.
func (con *Console) loadMoney(ctx context.Context, a account, id scheduling.ID, mv *moneyView) error {
	store, err := con.billingStore()
	if err != nil {
		return err
	}
	mv.PatientID, mv.CSRF, mv.CanLoyalty = id, a.CSRF, slices.Contains(managerRoles, a.Role)
	if mv.Errors == nil {
		mv.Errors = map[string]string{}
	}
	if mv.Currency, err = con.clinicCurrency(ctx); err != nil {
		return err
	}
	exams, err := con.sched.ListExaminations(ctx, 0)
	if err != nil {
		return err
	}
	names := map[scheduling.ID]string{}
	for _, e := range exams {
		names[e.ID] = e.Name
		mv.PackageExams = append(mv.PackageExams, option{ID: e.ID, Name: e.Name, Selected: slices.Contains(mv.Package.Exams, e.ID)})
		mv.InsuranceExams = append(mv.InsuranceExams, option{ID: e.ID, Name: e.Name, Selected: slices.Contains(mv.Insurance.Exams, e.ID)})
	}
	packages, err := store.Packages(ctx, id)
	if err != nil {
		return err
	}
	today := con.now().Format("2006-01-02")
	for _, p := range packages {
		row := packageRow{Name: p.Name, Examinations: examNames(p.ExaminationIDs, names), Expires: "never",
			Uses: p.Uses, UsesLeft: p.UsesLeft}
		if p.ExpiresOn != nil {
			row.Expires = *p.ExpiresOn
			if *p.ExpiresOn < today {
				row.State = "expired"
			}
		}
		if p.UsesLeft == 0 {
			row.State = "used up"
		}
		mv.Packages = append(mv.Packages, row)
	}
	if mv.Policy, err = con.policyRow(ctx, store, id, names, mv.Currency); err != nil {
		return err
	}
	acc, err := store.Loyalty(ctx, id)
	if err != nil {
		return err
	}
	mv.Points, mv.Tier = acc.Points, percent(acc.TierDiscountBP)
	return nil
}

// policyRow shows the patient's policy with what is left of its deductible and limit this year.
func (con *Console) policyRow(ctx context.Context, store *billing.Store, id scheduling.ID, names map[scheduling.ID]string, currency string) (*policyRow, error) {
	p, err := store.Insurance(ctx, id)
	if de, ok := asDomain(err); ok && de.Kind == scheduling.KindNotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if p.Currency != nil {
		currency = *p.Currency
	}
	var deductibleUsed, insurerPaid int64
	err = con.db.QueryRow(ctx, `SELECT deductible_used, insurer_paid FROM policy_usage WHERE policy_id = $1 AND year = $2`,
		p.ID, con.now().Year()).Scan(&deductibleUsed, &insurerPaid)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("load policy usage: %w", err)
	}
	row := &policyRow{Insurer: p.Insurer, Coverage: percent(p.CoverageBP), Valid: p.ValidFrom + " to " + p.ValidTo,
		Examinations: examNames(p.ExaminationIDs, names), Deductible: priceText(p.AnnualDeductible, currency),
		DeductibleLeft: priceText(max(p.AnnualDeductible-deductibleUsed, 0), currency)}
	if row.Examinations == "" {
		row.Examinations = "all examinations"
	}
	if p.AnnualLimit != nil {
		row.Limit, row.LimitLeft = priceText(*p.AnnualLimit, currency), priceText(max(*p.AnnualLimit-insurerPaid, 0), currency)
	}
	return row, nil
}

// clinicCurrency is the currency amounts of packages and policies are typed in: a policy's amounts
// are read in the currency of the branch that bills, and the first branch stands for the clinic.
func (con *Console) clinicCurrency(ctx context.Context) (string, error) {
	branches, err := con.sched.ListBranches(ctx)
	if err != nil || len(branches) == 0 {
		return "EUR", err
	}
	return branches[0].Currency, nil
}

func examNames(ids []scheduling.ID, names map[scheduling.ID]string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := names[id]; ok {
			out = append(out, n)
		} else {
			out = append(out, "examination "+strconv.FormatInt(int64(id), 10))
		}
	}
	return strings.Join(out, ", ")
}
