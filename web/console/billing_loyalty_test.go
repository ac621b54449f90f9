package console

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/billing"
	"clinic/web/access"
)

// TestLoyaltySettingsPage: a manager sets the points rate, what tiers count and two tiers from
// Settings › Loyalty; the page shows them back, and an emptied row removes its tier.
func TestLoyaltySettingsPage(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	store := billing.NewStore(tb.Pool, nil)
	br := tb.signedIn(t, access.Manager)
	require.Contains(t, br.get("/console/settings").body, `href="/console/settings/loyalty"`)
	p := br.get(loyaltyPath)
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, `value="1%"`, "the default rate: one point per 100")
	token := csrf(t, p)

	p = br.post(loyaltyPath, url.Values{"csrf": {token}, "rate": {"2"}, "basis": {"spent"},
		"tier_name": {"Gold", "Silver", ""}, "tier_threshold": {"100000", "20000", ""}, "tier_discount": {"10", "5 %", ""}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	rules, err := store.LoyaltyRules(ctx)
	require.NoError(t, err)
	require.Equal(t, &billing.LoyaltyRules{PointsRateBP: 200, TierBasis: billing.TierBySpent, Tiers: []billing.LoyaltyTier{
		{Name: "Silver", Threshold: 20000, DiscountBP: 500}, {Name: "Gold", Threshold: 100000, DiscountBP: 1000}}}, rules)
	p = br.get(loyaltyPath)
	require.Contains(t, p.body, "The loyalty rules are saved.")
	require.Contains(t, p.body, `value="Silver"`)
	require.Contains(t, p.body, `value="spent" checked`)

	p = br.post(loyaltyPath, url.Values{"csrf": {token}, "rate": {"2"}, "basis": {"spent"},
		"tier_name": {"Silver", ""}, "tier_threshold": {"20000", ""}, "tier_discount": {"5", ""}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	rules, err = store.LoyaltyRules(ctx)
	require.NoError(t, err)
	require.Len(t, rules.Tiers, 1)
}

// TestLoyaltySettingsRefusals: the page is the managers' and the owner's; a refused form is shown
// again as typed with the message at its field, and nothing of it is saved.
func TestLoyaltySettingsRefusals(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	store := billing.NewStore(tb.Pool, nil)
	for _, role := range []access.Role{access.Receptionist, access.Doctor} {
		br := tb.signedIn(t, role)
		require.Equal(t, http.StatusForbidden, br.get(loyaltyPath).status, role)
		require.NotContains(t, br.get("/console/settings").body, "/console/settings/loyalty", role)
	}
	br := tb.signedIn(t, access.Owner)
	token := csrf(t, br.get(loyaltyPath))
	before, err := store.LoyaltyRules(ctx)
	require.NoError(t, err)
	form := func(rate string, names, thresholds, discounts []string) url.Values {
		return url.Values{"csrf": {token}, "rate": {rate}, "basis": {"points"}, "tier_name": names,
			"tier_threshold": thresholds, "tier_discount": discounts}
	}
	for name, tc := range map[string]struct {
		form  url.Values
		field string
		want  string
		kept  string
	}{
		"rate over 100%":      {form("150", nil, nil, nil), "rate", "between 0 and 100", `value="150"`},
		"rate missing":        {form("", nil, nil, nil), "rate", "share of what patients pay", ""},
		"same threshold":      {form("1", []string{"A", "B"}, []string{"10", "10"}, []string{"1", "2"}), "tier-1-threshold", "Another tier starts at this threshold.", `value="B"`},
		"same name":           {form("1", []string{"Gold", "gold"}, []string{"10", "20"}, []string{"1", "2"}), "tier-1-name", "Another tier has this name.", `value="gold"`},
		"threshold not whole": {form("1", []string{"A"}, []string{"ten"}, []string{"1"}), "tier-0-threshold", "whole number", `value="ten"`},
		"no name":             {form("1", []string{""}, []string{"10"}, []string{"1"}), "tier-0-name", "Give the tier a name", `value="10"`},
		"discount over 100%":  {form("1", []string{"A"}, []string{"10"}, []string{"101"}), "tier-0-discount", "between 0 and 100", `value="101"`},
		"unknown basis":       {url.Values{"csrf": {token}, "rate": {"1"}, "basis": {"visits"}}, "basis", "Pick what the tiers count.", ""},
	} {
		p := br.post(loyaltyPath, tc.form)
		require.Equal(t, http.StatusUnprocessableEntity, p.status, name)
		require.Contains(t, p.body, tc.want, name)
		if tc.field != "rate" && tc.field != "basis" {
			require.Contains(t, p.body, `id="`+tc.field+`" name=`, name)
			require.Regexp(t, `id="`+tc.field+`"[^>]*aria-invalid="true"`, p.body, name)
		}
		require.Contains(t, p.body, tc.kept, name)
		after, err := store.LoyaltyRules(ctx)
		require.NoError(t, err)
		require.Equal(t, before, after, "%s: nothing saved", name)
	}
}
