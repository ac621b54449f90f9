package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

func TestReasonSettingsAddRemoveReorderAndEdit(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	schedtest.Must(tb.Svc.SetCancelReasons(ctx, []string{"Illness", "Travel", "Feels better"}))(t)
	const path = "/console/settings/cancel-reasons"
	br := tb.signedIn(t, access.Manager)
	p := br.get(path)
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, `value="Illness"`)
	token := csrf(t, p)
	reasons := func() []string { return schedtest.Must(tb.Svc.CancelReasons(ctx))(t) }
	send := func(action, added string, list ...string) page {
		t.Helper()
		return br.post(path, url.Values{"csrf": {token}, "reason": list, "new": {added}, "action": {action}})
	}

	p = send("add", "Booked elsewhere", "Illness", "Travel", "Feels better")
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, []string{"Illness", "Travel", "Feels better", "Booked elsewhere"}, reasons())
	require.Contains(t, br.get(path).body, "“Booked elsewhere” is added.")

	require.Equal(t, http.StatusSeeOther, send("up:2", "", reasons()...).status)
	require.Equal(t, []string{"Illness", "Feels better", "Travel", "Booked elsewhere"}, reasons())
	require.Equal(t, http.StatusSeeOther, send("down:0", "", reasons()...).status)
	require.Equal(t, []string{"Feels better", "Illness", "Travel", "Booked elsewhere"}, reasons())
	require.Equal(t, http.StatusSeeOther, send("remove:2", "", reasons()...).status)
	require.Equal(t, []string{"Feels better", "Illness", "Booked elsewhere"}, reasons())
	require.Contains(t, br.get(path).body, "“Travel” is removed.")

	// Editing the wording saves it; Enter in the new reason's field adds it with the edits.
	require.Equal(t, http.StatusSeeOther, send("save", "", "Feels better", "Illness (patient)", "Booked elsewhere").status)
	require.Equal(t, []string{"Feels better", "Illness (patient)", "Booked elsewhere"}, reasons())
	require.Equal(t, http.StatusSeeOther, send("save", "Weather", reasons()...).status)
	require.Equal(t, []string{"Feels better", "Illness (patient)", "Booked elsewhere", "Weather"}, reasons())

	// A move off the list's ends is not offered.
	require.Equal(t, http.StatusBadRequest, send("up:0", "", reasons()...).status)
	require.Equal(t, http.StatusBadRequest, send("down:9", "", reasons()...).status)
}

func TestReasonSettingsRefusals(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	before := []string{"Illness", "Travel"}
	schedtest.Must(tb.Svc.SetCancelReasons(ctx, before))(t)
	const path = "/console/settings/cancel-reasons"
	br := tb.signedIn(t, access.Manager)
	token := csrf(t, br.get(path))
	send := func(action, added string, list ...string) page {
		t.Helper()
		return br.post(path, url.Values{"csrf": {token}, "reason": list, "new": {added}, "action": {action}})
	}
	for name, tc := range map[string]struct {
		p     page
		field string
		want  string
		kept  string
	}{
		"a reason added twice": {send("add", "travel", before...), "new", "already in the list", `value="travel"`},
		"nothing to add":       {send("add", "  ", before...), "new", "Type the reason to add.", ""},
		"a reason emptied":     {send("save", "", "Illness", " "), "reason_1", "Type a reason, or remove this one.", `value="Illness"`},
		"two alike":            {send("save", "", "Illness", "Travel", "ILLNESS"), "reason_2", "already in the list", `value="ILLNESS"`},
		"a reason too long":    {send("save", "", "Illness", strings.Repeat("x", 201)), "reason_1", "too long", `value="Illness"`},
	} {
		require.Equal(t, http.StatusUnprocessableEntity, tc.p.status, name)
		require.Contains(t, tc.p.body, `id="`+tc.field+`-error">`, name)
		require.Contains(t, tc.p.body, tc.want, name)
		require.Contains(t, tc.p.body, tc.kept, name)
		require.Equal(t, before, schedtest.Must(tb.Svc.CancelReasons(ctx))(t), name)
	}

	f := url.Values{"reason": before, "new": {"Weather"}, "action": {"add"}}
	require.Equal(t, http.StatusForbidden, br.post(path, f).status, "without the CSRF token")
	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		other := tb.signedIn(t, role)
		require.Equal(t, http.StatusForbidden, other.get(path).status)
		f.Set("csrf", csrf(t, other.get("/console/")))
		require.Equal(t, http.StatusForbidden, other.post(path, f).status)
	}
	require.Equal(t, before, schedtest.Must(tb.Svc.CancelReasons(ctx))(t))
}
