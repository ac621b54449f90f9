package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/web/access"
)

const consumablesPath = "/console/settings/consumables"

func TestConsumablesItemsStockUsesAndCommissionAreSavedOrRefusedAtTheField(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	store := billing.NewStore(tb.Pool, tb.clock.Now)
	br := tb.signedIn(t, access.Manager)
	require.Contains(t, br.get("/console/settings").body, `href="/console/settings/consumables"`, "the settings index links the page")
	token := csrf(t, br.get(consumablesPath))

	// A price in words and no code: both fields say why, nothing is saved.
	p := br.post(consumablesPath+"/items", url.Values{"csrf": {token}, "name": {"Electrode"}, "unit": {"piece"}, "price": {"cheap"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Regexp(t, `id="item-new-code"[^>]*aria-invalid="true">\s*<span class="field-error">This is required.`, p.body)
	require.Regexp(t, `id="item-new-price"[^>]*aria-invalid="true">\s*<span class="field-error">Write the price as an amount, such as 2.50.`, p.body)
	require.Contains(t, p.body, `value="Electrode"`, "the form keeps what was typed")
	items, err := store.Items(ctx)
	require.NoError(t, err)
	require.Empty(t, items)

	p = br.post(consumablesPath+"/items", url.Values{"csrf": {token}, "code": {"EL"}, "name": {"Electrode"}, "unit": {"piece"},
		"price": {"2,50"}, "billable": {"1"}, "taxable": {"1"}})
	require.Contains(t, br.follow(p).body, "Electrode is saved.")
	items, err = store.Items(ctx)
	require.NoError(t, err)
	require.Len(t, items, 1)
	item := items[0]
	require.Equal(t, int64(250), item.UnitPrice)

	// A second item with the same code is refused at the code.
	p = br.post(consumablesPath+"/items", url.Values{"csrf": {token}, "code": {"EL"}, "name": {"Gel"}, "price": {"1"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Another item already has the code &#34;EL&#34;.")

	// Stock: a negative count is refused and nothing saved; then a count is kept.
	stockPath := fmt.Sprintf("%s/items/%d/stock", consumablesPath, item.ID)
	branch := fmt.Sprintf("stock_%d", tb.clinic.Branch.ID)
	p = br.post(stockPath, url.Values{"csrf": {token}, branch: {"-3"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Write the count as a whole number, 0 or more.")
	p = br.post(stockPath, url.Values{"csrf": {token}, branch: {"40"}})
	require.Contains(t, br.follow(p).body, "The stock is saved.")
	stock, err := store.Stock(ctx)
	require.NoError(t, err)
	require.Equal(t, []billing.StockLevel{{ItemID: item.ID, BranchID: tb.clinic.Branch.ID, Quantity: 40}}, stock)

	// The ECG uses three electrodes, billed on their own line: the invoice preview has them.
	ecg := tb.clinic.ECG.ID
	usePath := fmt.Sprintf("%s/examinations/%d/uses", consumablesPath, ecg)
	p = br.post(usePath, url.Values{"csrf": {token}, "item": {fmt.Sprint(item.ID)}, "quantity": {"2000"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Write how many the examination uses")
	p = br.post(usePath, url.Values{"csrf": {token}, "item": {fmt.Sprint(item.ID)}, "quantity": {"3"}, "billing": {"own"}})
	require.Contains(t, br.follow(p).body, "The examination&#39;s consumables are saved.")
	require.Contains(t, br.get(consumablesPath).body, "3 × Electrode <span class=\"muted\">(billed on its own line)</span>")
	preview := tb.signedIn(t, access.Receptionist).get(tb.previewPath(int64(tb.clinic.Patient.ID), int64(ecg)))
	require.Contains(t, preview.body, "3 × €2.50 = €7.50")
	require.Contains(t, preview.body, "<dt>Patient pays</dt><dd>€67.50</dd>")

	// Commission: both rules are checked before either is saved.
	commissionPath := fmt.Sprintf("%s/examinations/%d/commission", consumablesPath, ecg)
	p = br.post(commissionPath, url.Values{"csrf": {token}, "doctor": {"30"}, "doctor_kind": {"percent"}, "manager": {"abc"}, "manager_kind": {"fixed"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Regexp(t, fmt.Sprintf(`id="exam-%d-manager"[^>]*aria-invalid="true"`, ecg), p.body)
	rules, err := store.CommissionRules(ctx)
	require.NoError(t, err)
	require.Empty(t, rules)
	p = br.post(commissionPath, url.Values{"csrf": {token}, "doctor": {"30"}, "doctor_kind": {"percent"}, "manager": {"5"}, "manager_kind": {"fixed"}})
	require.Contains(t, br.follow(p).body, "The commission is saved.")
	rules, err = store.CommissionRules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, 2)
	require.Equal(t, int64(3000), *rules[0].PercentBP)
	require.Equal(t, "manager", rules[1].Beneficiary)
	require.Equal(t, int64(500), *rules[1].Fixed)
}

func TestConsumablesAreForManagersWithTheFormsToken(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		br := tb.signedIn(t, role)
		require.Equal(t, http.StatusForbidden, br.get(consumablesPath).status, role)
		token := csrf(t, br.get("/console/"))
		require.Equal(t, http.StatusForbidden, br.post(consumablesPath+"/items", url.Values{"csrf": {token}, "code": {"X"},
			"name": {"X"}, "price": {"1"}}).status, role)
	}
	require.Equal(t, http.StatusOK, tb.signedIn(t, access.Owner).get(consumablesPath).status)
	p := tb.signedIn(t, access.Manager).post(consumablesPath+"/items", url.Values{"code": {"X"}, "name": {"X"}, "price": {"1"}})
	require.Equal(t, http.StatusForbidden, p.status)
	require.Contains(t, p.body, "This form has expired")
	items, err := billing.NewStore(tb.Pool, tb.clock.Now).Items(context.Background())
	require.NoError(t, err)
	require.Empty(t, items)
}
