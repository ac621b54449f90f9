package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/channels"
	"clinic/channels/whatsapp"
	"clinic/scheduling/schedtest"
)

// whatsappBooking is the booking fixture with the clinic's WhatsApp set up on its own store.
func whatsappBooking(t *testing.T) (*bookingFixture, *whatsapp.Store) {
	t.Helper()
	var store *whatsapp.Store
	f := setupBookingWith(t, PublicConfig{}, func(b *schedtest.Bundle) []channels.HealthSource {
		store = whatsapp.NewStore(b.Pool, nil)
		return []channels.HealthSource{whatsapp.NewHealth(store)}
	})
	return f, store
}

func linkWhatsApp(t *testing.T, store *whatsapp.Store) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, store.SetAccount(ctx, "+971500000001"))
	require.NoError(t, store.SetState(ctx, whatsapp.Connected, ""))
}

// consentsOf are the ways consent was recorded for the WhatsApp of phone (E.164), oldest first.
func (f *bookingFixture) consentsOf(t *testing.T, phone string) []string {
	t.Helper()
	rows, err := f.Pool.Query(context.Background(), `SELECT via FROM whatsapp_consents WHERE phone = $1 ORDER BY id`, phone)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var via string
		require.NoError(t, rows.Scan(&via))
		out = append(out, via)
	}
	require.NoError(t, rows.Err())
	return out
}

const optInEN = "Send me my confirmation and reminders on WhatsApp at this number"

func TestTheFormOffersWhatsAppOnlyWhileAPhoneIsLinked(t *testing.T) {
	t.Parallel()
	f, store := whatsappBooking(t)
	ctx := context.Background()

	_, _, body := f.page(t, http.MethodGet, "/book?lang=en", nil)
	require.NotContains(t, body, optInEN, "set up but never linked: nothing could be sent")

	linkWhatsApp(t, store)
	_, _, body = f.page(t, http.MethodGet, "/book?lang=en", nil)
	require.Contains(t, body, `<input type="checkbox" name="whatsapp" value="yes"> `+optInEN, "offered, unticked")
	_, _, body = f.page(t, http.MethodGet, "/book?lang=ar", nil)
	require.Contains(t, body, "أرسلوا لي تأكيد الموعد والتذكيرات على واتساب على هذا الرقم")

	// Only disconnected for a while: still offered, the outbox sends once it is back.
	require.NoError(t, store.SetState(ctx, whatsapp.Disconnected, "the connection dropped; reconnecting"))
	_, _, body = f.page(t, http.MethodGet, "/book?lang=en", nil)
	require.Contains(t, body, optInEN)

	require.NoError(t, store.SetState(ctx, whatsapp.LoggedOut, "the phone ended the link; link it again"))
	_, _, body = f.page(t, http.MethodGet, "/book?lang=en", nil)
	require.NotContains(t, body, optInEN)

	// Without the WhatsApp channel on the server, never.
	plain := setupBooking(t, PublicConfig{})
	_, _, body = plain.page(t, http.MethodGet, "/book?lang=en", nil)
	require.NotContains(t, body, optInEN)
}

func TestTheFormRecordsWhatsAppConsentOnlyWhenTicked(t *testing.T) {
	t.Parallel()
	f, store := whatsappBooking(t)
	linkWhatsApp(t, store)
	_, _, body := f.page(t, http.MethodGet, "/book?lang=en", nil)
	form := url.Values{"form_token": {between(body, `name="form_token" value="`, `"`)}, "lang": {"en"}, "action": {"send"},
		"name": {"Rui Costa"}, "phone": {"+351 912 000 111"}, "field_referral_from": {"a_friend"}}

	status, _, _ := f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusSeeOther, status)
	require.Empty(t, f.consentsOf(t, "+351912000111"), "unticked records nothing")

	// A refused submission keeps the box ticked, and records nothing.
	form.Set("form_token", "second-page")
	form.Set("whatsapp", "yes")
	form.Set("phone", "+971 50 123 4567")
	form.Del("field_referral_from")
	status, _, body = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Contains(t, body, `<input type="checkbox" name="whatsapp" value="yes" checked> `+optInEN)
	require.Empty(t, f.consentsOf(t, "+971501234567"))

	form.Set("field_referral_from", "a_friend")
	status, _, _ = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, []string{"booking_form"}, f.consentsOf(t, "+971501234567"))

	// Ticked while the phone is not linked (the page was drawn before it was unlinked): not kept.
	require.NoError(t, store.SetAccount(context.Background(), ""))
	require.NoError(t, store.SetState(context.Background(), whatsapp.NotLinked, "unlinked from the console"))
	form.Set("form_token", "third-page")
	form.Set("phone", "+971 50 765 4321")
	status, _, _ = f.page(t, http.MethodPost, "/book", form)
	require.Equal(t, http.StatusSeeOther, status, "the request itself is taken")
	require.Empty(t, f.consentsOf(t, "+971507654321"))
}

func TestTheBookingAPITakesWhatsAppConsentAsABoolean(t *testing.T) {
	t.Parallel()
	f, store := whatsappBooking(t)
	linkWhatsApp(t, store)
	const path = "/api/v1/public/booking-requests"
	req := func(phone string, consent any) map[string]any {
		return map[string]any{"name": "Rui Costa", "phone": phone, "fields": map[string]any{"referral_from": "a_friend"},
			"whatsapp_consent": consent}
	}

	status, body := f.call(t, "", http.MethodPost, path, req("+971501234567", "yes"), malformed)
	require.Equal(t, http.StatusBadRequest, status, body)
	require.Equal(t, "invalid_field", errCode(body))
	require.Equal(t, "whatsapp_consent must be true or false", body["error"].(map[string]any)["message"])
	status, body = f.call(t, "", http.MethodPost, path, req("+971501234567", 1), malformed)
	require.Equal(t, http.StatusBadRequest, status, body)
	require.Zero(t, f.requests(t), "nothing recorded for a refused body")

	status, body = f.call(t, "", http.MethodPost, path, req("+971501234567", true))
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, true, body["whatsapp_consent"])
	require.Equal(t, []string{"booking_api"}, f.consentsOf(t, "+971501234567"))

	status, body = f.call(t, "", http.MethodPost, path, req("+971507654321", false))
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, false, body["whatsapp_consent"])
	status, body = f.call(t, "", http.MethodPost, path, map[string]any{"name": "Rui Costa", "phone": "+971507654321",
		"fields": map[string]any{"referral_from": "a_friend"}})
	require.Equal(t, http.StatusCreated, status, body)
	require.Empty(t, f.consentsOf(t, "+971507654321"), "left out or false records nothing")

	// The clinic's WhatsApp unlinked: the request is taken, the consent is not kept, and the answer says so.
	require.NoError(t, store.SetState(context.Background(), whatsapp.LoggedOut, "the phone ended the link; link it again"))
	status, body = f.call(t, "", http.MethodPost, path, req("+971509999999", true))
	require.Equal(t, http.StatusCreated, status, body)
	require.Equal(t, false, body["whatsapp_consent"])
	require.Empty(t, f.consentsOf(t, "+971509999999"))
}
