package console

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"clinic/channels/whatsapp"
	"clinic/inbox"
	"clinic/scheduling"
	"clinic/scheduling/schedtest"
	"clinic/web/access"
)

// whatsappFormRequest is a booking-form request whose patient ticked the WhatsApp consent.
func (ib *inboxBundle) whatsappFormRequest(t *testing.T, key, phone string) *inbox.Request {
	t.Helper()
	start := ib.clinic.At(5, 9, 0)
	r, _, err := ib.store.SubmitForm(context.Background(), inbox.FormInput{Name: "Layla Haddad", Phone: phone, Lang: "en", Key: key,
		ExaminationID: &ib.clinic.Consultation.ID, BranchID: &ib.clinic.Branch.ID, PreferredStart: &start,
		WhatsApp: true, Via: inbox.ConsentViaForm}, nil)
	require.NoError(t, err)
	return r
}

func TestARequestPageShowsTheWhatsAppConsentAndTheConfirmationsDelivery(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	ctx := context.Background()
	r := ib.whatsappFormRequest(t, "wa-1", "+971501234567")
	plain := ib.webRequest(t, "w-102", "Ana Lopes", nil)
	br := ib.signedIn(t, access.Receptionist)

	p := br.get(requestLink(plain.ID))
	require.Equal(t, http.StatusOK, p.status)
	require.NotContains(t, p.body, `id="whatsapp"`, "no consent, nothing about WhatsApp")

	p = br.get(requestLink(r.ID))
	require.Equal(t, http.StatusOK, p.status, p.body)
	body := html.UnescapeString(p.body)
	require.Contains(t, body, `<section class="card ir-whatsapp" id="whatsapp">`)
	require.Regexp(t, `<dt>Agreed</dt><dd>Today \d\d:\d\d, on the booking form</dd>`, body, "when and how")
	require.Contains(t, body, "+971501234567")
	require.Contains(t, body, inbox.FormText("en", "form.whatsapp_consent"), "the words the patient ticked")
	require.Contains(t, body, "once the request is booked")

	m := suggestedRe.FindStringSubmatch(p.body)
	require.NotNil(t, m)
	done := br.post(m[1], fields(m[2]))
	require.Equal(t, http.StatusOK, done.status, done.body)
	require.Contains(t, done.body, "on its way to the patient on WhatsApp")
	require.NotContains(t, done.body, "Pass the confirmation below")
	require.Contains(t, done.body, `class="ir-delivery ir-delivery-queued">queued</span>`, "the confirmation's delivery, as in a conversation")

	// The outbox gives up on it: staff read why.
	got := schedtest.Must(ib.store.WhatsAppConsentOf(ctx, r.ID))(t)
	require.NoError(t, ib.store.SetDelivery(ctx, got.Confirmation.ID, inbox.DeliveryFailed, "this number is not on WhatsApp"))
	p = br.get(requestLink(r.ID))
	require.Contains(t, p.body, `class="ir-delivery ir-delivery-failed">failed</span> <span class="ir-error">this number is not on WhatsApp</span>`)

	// Staff send it again from the card, once the number is sorted out; it belongs to this request only.
	resend := requestLink(r.ID) + "/messages/" + got.Confirmation.ID.String() + "/resend"
	require.Contains(t, p.body, `action="`+resend+`"`)
	token := csrf(t, p)
	other := requestLink(plain.ID) + "/messages/" + got.Confirmation.ID.String() + "/resend"
	require.Equal(t, http.StatusNotFound, br.post(other, url.Values{"csrf": {token}}).status, "not another request's")
	require.Empty(t, ib.resent.retried())
	sent := br.post(resend, url.Values{"csrf": {token}})
	require.Equal(t, http.StatusSeeOther, sent.status, sent.body)
	require.Equal(t, []scheduling.ID{got.Confirmation.ID}, ib.resent.retried())
	p = br.get(requestLink(r.ID))
	require.NotContains(t, p.body, `action="`+resend+`"`, "a queued confirmation is not offered again")
	require.Contains(t, p.body, "The message is queued to be sent again.")

	// Sent again from a page drawn before (a double tap): refused, and the card says why.
	again := br.post(resend, url.Values{"csrf": {token}})
	require.Equal(t, http.StatusUnprocessableEntity, again.status, again.body)
	card := regexp.MustCompile(`(?s)id="whatsapp">(.*?)</section>`).FindStringSubmatch(again.body)
	require.NotNil(t, card, again.body)
	require.Contains(t, card[1], `<p class="form-error" role="alert">Only a message that failed can be sent again; this one is queued.</p>`)
	require.Equal(t, []scheduling.ID{got.Confirmation.ID}, ib.resent.retried(), "nothing queued twice")
}

func TestARequestPageShowsAStopAndLeavesTheConfirmationToStaff(t *testing.T) {
	t.Parallel()
	ib := setupInbox(t, false)
	ctx := context.Background()
	r := ib.whatsappFormRequest(t, "wa-2", "+971501234568")
	wa := whatsapp.NewStore(ib.Pool, ib.Svc.Now)
	require.NoError(t, pgx.BeginFunc(ctx, ib.Pool, func(tx pgx.Tx) error {
		return wa.OptOut(ctx, tx, whatsapp.Contact{Address: inbox.WhatsAppAddress("+971501234568"), Phone: "+971501234568"}, "3EB0STOP", "STOP", "en")
	}))
	br := ib.signedIn(t, access.Receptionist)
	p := br.get(requestLink(r.ID))
	require.Equal(t, http.StatusOK, p.status, p.body)
	require.Contains(t, p.body, "<dt>Opted out</dt>")
	require.Contains(t, p.body, "Wrote STOP on WhatsApp Today")

	m := suggestedRe.FindStringSubmatch(p.body)
	require.NotNil(t, m)
	done := br.post(m[1], fields(m[2]))
	require.Equal(t, http.StatusOK, done.status, done.body)
	require.Contains(t, done.body, "Pass the confirmation below to the patient")
	require.Contains(t, done.body, "The confirmation is not sent on WhatsApp: pass it on yourself.")
	require.Contains(t, done.body, `id="confirmation"`)
	require.Empty(t, ib.sent.Sent())
}
