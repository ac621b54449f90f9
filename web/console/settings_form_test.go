package console

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/web/access"
)

// withInbox serves the bundle's console again with an inbox store, as the server wires it.
func withInbox(t *testing.T, tb *testBundle) *inbox.Store {
	t.Helper()
	store := inbox.NewStore(tb.Pool, slog.New(slog.DiscardHandler), tb.Svc.Now, tb.Svc, nil, inbox.Config{})
	deps := tb.deps
	deps.Inbox = store
	tb.url = tb.serve(t, deps)
	return store
}

// bookingFormValues is the settings page's form as posted: the standard fields' visibilities, the custom
// fields in order (required ones by index) and the row for a new field.
func bookingFormValues(token, action string, rows [][4]string, required ...string) url.Values {
	v := url.Values{"csrf": {token}, "action": {action}, "vis_examination": {"optional"}, "vis_branch": {"optional"},
		"vis_doctor": {"optional"}, "vis_preferred_time": {"optional"}, "vis_message": {"optional"}, "vis_email": {"hidden"},
		"required": required}
	for _, r := range rows {
		v.Add("key", "")
		v.Add("label_en", r[0])
		v.Add("label_ar", r[1])
		v.Add("kind", r[2])
		v.Add("options", r[3])
	}
	return v
}

func TestBookingFormSettingsPage(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	store := withInbox(t, tb)
	ctx := context.Background()
	settings := func() *inbox.FormSettings {
		f, err := store.FormSettings(ctx)
		require.NoError(t, err)
		return f
	}
	br := tb.signedIn(t, access.Manager)
	p := br.get(formSettingsPath)
	require.Equal(t, http.StatusOK, p.status)
	require.Contains(t, p.body, "Preferred time")
	token := csrf(t, p)

	v := bookingFormValues(token, "add", nil)
	v.Set("new_label_en", "Referral from")
	v.Set("new_label_ar", "الإحالة من")
	v.Set("new_kind", "choice")
	v.Set("new_options", "A friend | صديق\nAnother doctor | طبيب آخر")
	v.Set("new_required", "1")
	p = br.post(formSettingsPath, v)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	f := settings()
	require.Len(t, f.Fields, 1)
	require.Equal(t, "referral_from", f.Fields[0].Key)
	require.True(t, f.Fields[0].Required)
	require.Equal(t, "طبيب آخر", f.Fields[0].Options[1].Label.AR)
	require.Contains(t, br.get(formSettingsPath).body, "“Referral from” is added to the form.")

	rows := [][4]string{{"Referral from", "الإحالة من", "choice", "A friend | صديق\nAnother doctor | طبيب آخر"},
		{"First visit?", "أول زيارة؟", "yes_no", ""}}
	v = bookingFormValues(token, "save", rows, "0")
	v.Set("vis_email", "required")
	require.Equal(t, http.StatusSeeOther, br.post(formSettingsPath, v).status)
	f = settings()
	require.Equal(t, inbox.Required, f.Email)
	require.Equal(t, []string{"referral_from", "first_visit"}, []string{f.Fields[0].Key, f.Fields[1].Key})

	require.Equal(t, http.StatusSeeOther, br.post(formSettingsPath, bookingFormValues(token, "down:0", rows, "0")).status)
	f = settings()
	require.Equal(t, "first_visit", f.Fields[0].Key)
	require.True(t, f.Fields[1].Required, "required moves with its field")
	require.Equal(t, inbox.Hidden, f.Email)

	require.Equal(t, http.StatusSeeOther, br.post(formSettingsPath, bookingFormValues(token, "remove:0", rows[:1])).status)
	require.Empty(t, settings().Fields)
}

func TestBookingFormSettingsRefusals(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	store := withInbox(t, tb)
	ctx := context.Background()
	before, err := store.SetFormSettings(ctx, inbox.FormSettings{Examination: inbox.Optional, Branch: inbox.Optional,
		Doctor: inbox.Optional, PreferredTime: inbox.Optional, Message: inbox.Optional, Email: inbox.Hidden,
		Fields: []inbox.CustomField{{Kind: inbox.FieldText, Label: inbox.Label{EN: "Insurer", AR: "شركة التأمين"}}}}, "m")
	require.NoError(t, err)

	for _, role := range []access.Role{access.Doctor, access.Receptionist} {
		br := tb.signedIn(t, role)
		require.Equal(t, http.StatusForbidden, br.get(formSettingsPath).status, role)
	}
	br := tb.signedIn(t, access.Manager)
	token := csrf(t, br.get(formSettingsPath))
	insurer := [4]string{"Insurer", "شركة التأمين", "text", ""}

	for name, tc := range map[string]struct {
		values url.Values
		status int
		want   string
	}{
		"no CSRF token": {bookingFormValues("", "save", [][4]string{insurer}), http.StatusForbidden, "This form has expired"},
		"an option without Arabic": {bookingFormValues(token, "save", [][4]string{insurer, {"Referral", "إحالة", "choice", "A friend"}}),
			http.StatusUnprocessableEntity, "Write each option on its own line as English | Arabic"},
		"a label without Arabic": {bookingFormValues(token, "save", [][4]string{{"Insurer", " ", "text", ""}}),
			http.StatusUnprocessableEntity, "A label is required in English and in Arabic"},
		"a time without a branch": {func() url.Values {
			v := bookingFormValues(token, "save", [][4]string{insurer})
			v.Set("vis_branch", "hidden")
			return v
		}(), http.StatusUnprocessableEntity, "A time can be picked only when the examination and the branch show"},
		"a new field without labels": {bookingFormValues(token, "add", [][4]string{insurer}), http.StatusUnprocessableEntity,
			"Type the new field&#39;s label"},
		"a move it does not offer": {bookingFormValues(token, "up:0", [][4]string{insurer}), http.StatusBadRequest, "does not offer"},
	} {
		t.Run(name, func(t *testing.T) {
			p := br.post(formSettingsPath, tc.values)
			require.Equal(t, tc.status, p.status, p.body)
			require.Contains(t, p.body, tc.want)
			now, err := store.FormSettings(ctx)
			require.NoError(t, err)
			require.Equal(t, before, now, "nothing saved")
		})
	}
}
