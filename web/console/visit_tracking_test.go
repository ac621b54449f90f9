package console

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/web/access"
)

var trackingURL = regexp.MustCompile(`id="tracking-url" value="(http://[^"]+/q/([A-Za-z0-9_-]{32}))"`)

// TestVisitMakesTheQueueLinkForThePatient: the front desk makes a patient's queue link on the session
// page; it is shown once, stored only as its fingerprint, and each press makes a new one.
func TestVisitMakesTheQueueLinkForThePatient(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	id, path := tb.book(t)
	ctx := context.Background()

	br := tb.signedIn(t, access.Receptionist)
	p := br.get(path)
	require.Contains(t, p.body, `action="`+path+`/tracking"`)
	require.Equal(t, http.StatusForbidden, br.post(path+"/tracking", url.Values{}).status, "no CSRF token")

	p = br.move(path, "tracking")
	require.Equal(t, http.StatusOK, p.status, p.body)
	m := trackingURL.FindStringSubmatch(p.body)
	require.NotNil(t, m, p.body)
	require.Contains(t, p.body, "valid until 23:59 on Monday 4 January")
	var stored int
	sum := sha256.Sum256([]byte(m[2]))
	require.NoError(t, tb.Pool.QueryRow(ctx, `SELECT count(*) FROM tracking_links WHERE session_id = $1 AND token_hash = $2`,
		id, sum[:]).Scan(&stored))
	require.Equal(t, 1, stored, "the link's fingerprint is kept, for the session")
	require.NotContains(t, br.get(path).body, m[2], "the link is shown once")
	again := trackingURL.FindStringSubmatch(br.move(path, "tracking").body)
	require.NotEqual(t, m[2], again[2])

	// A doctor does not hand out links; a finished session has none to offer.
	doc := tb.signedIn(t, access.Doctor)
	require.NotContains(t, doc.get(path).body, path+"/tracking")
	require.Equal(t, http.StatusForbidden, doc.move(path, "tracking").status)
	_, err := tb.Svc.Cancel(ctx, "test", id, "Feels better")
	require.NoError(t, err)
	require.NotContains(t, br.get(path).body, path+"/tracking")
}
