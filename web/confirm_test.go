package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
	"clinic/scheduling"
)

// converted sends a form request for the consultation at start and converts it as the front desk
// does, answering the confirm link's path.
func (f *bookingFixture) converted(t *testing.T, start time.Time, lang string) string {
	t.Helper()
	ctx := context.Background()
	c := f.clinic
	req, _, err := f.inbox.SubmitForm(ctx, inbox.FormInput{Name: "Rui Costa", Phone: "+351912000111", Lang: lang,
		ExaminationID: &c.Consultation.ID, BranchID: &c.Branch.ID, PreferredStart: &start,
		Fields: map[string]string{"referral_from": "a_friend"}}, nil)
	require.NoError(t, err)
	conv, err := f.inbox.Convert(ctx, req.ID, inbox.Staff{Name: "Desk", Actor: "desk"}, inbox.ConvertInput{})
	require.NoError(t, err)
	u, err := url.Parse(conv.ConfirmURL)
	require.NoError(t, err)
	return u.Path
}

func TestConfirmPage(t *testing.T) {
	t.Parallel()
	f := setupBooking(t, PublicConfig{})
	c := f.clinic
	path := f.converted(t, c.At(5, 10, 0), "ar")

	status, h, body := f.page(t, http.MethodGet, path, nil)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `<html lang="ar" dir="rtl">`, "in the language of the request")
	require.Contains(t, body, "تم تأكيد زيارتك")
	require.Equal(t, "DENY", h.Get("X-Frame-Options"))
	status, _, body = f.page(t, http.MethodGet, path+"?lang=en", nil)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, "Your visit is confirmed")
	require.Contains(t, body, "Tuesday 5 January · 10:00\u00a0AM")
	require.Contains(t, body, "Consultation")
	require.Contains(t, body, "Ana Ferreira")
	require.Contains(t, body, "You can cancel here until Tuesday 5 January · 8:00\u00a0AM.", "the default cut-off: two hours before")

	var confirmed int
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT count(*) FROM confirm_links WHERE confirmed_at IS NOT NULL`).Scan(&confirmed))
	require.Equal(t, 1, confirmed)

	// On the day the page links the queue tracker.
	*f.Clock = c.At(5, 7, 0)
	_, _, body = f.page(t, http.MethodGet, path+"?lang=en", nil)
	require.Contains(t, body, "Follow your place in the queue")
	require.Contains(t, body, "https://clinic.example/q/")

	// Past the cut-off the patient is told to call.
	*f.Clock = c.At(5, 9, 0)
	status, _, body = f.page(t, http.MethodPost, path+"/cancel", url.Values{"reason": {"Feeling better"}, "lang": {"en"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Contains(t, body, "It is too late to cancel online. Please call the clinic.")
	require.NotContains(t, body, "Cancel the visit")

	*f.Clock = c.At(5, 7, 0)
	status, h, _ = f.page(t, http.MethodPost, path+"/cancel", url.Values{"reason": {"Feeling better"}, "lang": {"en"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, path+"?lang=en&done=cancelled", h.Get("Location"))
	_, _, body = f.page(t, http.MethodGet, h.Get("Location"), nil)
	require.Contains(t, body, "Your visit is cancelled. Thank you for letting us know.")
	require.Contains(t, body, "This visit is cancelled")
	require.NotContains(t, body, "Follow your place in the queue")
	var st string
	require.NoError(t, f.Pool.QueryRow(context.Background(), `SELECT status FROM sessions`).Scan(&st))
	require.Equal(t, string(scheduling.StatusCancelled), st)

	// Unknown, malformed and made-up links all answer the same page, which reveals nothing.
	for _, p := range []string{"/c/" + strings.Repeat("a", 43), "/c/x", path + "x"} {
		status, _, body = f.page(t, http.MethodGet, p+"?lang=en", nil)
		require.Equal(t, http.StatusNotFound, status, p)
		require.Contains(t, body, "This link is unknown or has expired.")
		require.NotContains(t, body, "Ana Ferreira")
	}
}
