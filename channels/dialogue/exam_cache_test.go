package dialogue_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
)

// TestTheFirstQuestionFollowsTheCatalog: the examination list is kept between turns, and a change to
// the catalog shows in the next conversation's first question.
func TestTheFirstQuestionFollowsTheCatalog(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	ctx := context.Background()
	tb.chat(inbox.Chatbot, "web-1").play(t, []turn{{"Hi", []string{enWelcome, enAskExam}}})
	// A rename behind the catalog version's back (the version put back) does not show: the list is kept.
	var version int64
	require.NoError(t, tb.Pool.QueryRow(ctx, `SELECT version FROM catalog_version`).Scan(&version))
	_, err := tb.Pool.Exec(ctx, `UPDATE examinations SET name = 'Heart trace' WHERE id = $1`, tb.Clinic.ECG.ID)
	require.NoError(t, err)
	_, err = tb.Pool.Exec(ctx, `UPDATE catalog_version SET version = $1`, version)
	require.NoError(t, err)
	tb.chat(inbox.Chatbot, "web-kept").play(t, []turn{{"Hi", []string{enWelcome, enAskExam}}})
	_, err = tb.Pool.Exec(ctx, `UPDATE examinations SET name = 'Electrocardiogram' WHERE id = $1`, tb.Clinic.ECG.ID)
	require.NoError(t, err)
	tb.chat(inbox.Chatbot, "web-2").play(t, []turn{{"Hi", []string{enWelcome,
		strings.Replace(enAskExam, "=ECG]", "=Electrocardiogram]", 1)}}})
}
