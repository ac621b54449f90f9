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
	tb.chat(inbox.Chatbot, "web-1").play(t, []turn{{"Hi", []string{enWelcome, enAskExam}}})
	_, err := tb.Pool.Exec(context.Background(), `UPDATE examinations SET name = 'Electrocardiogram' WHERE id = $1`, tb.Clinic.ECG.ID)
	require.NoError(t, err)
	tb.chat(inbox.Chatbot, "web-2").play(t, []turn{{"Hi", []string{enWelcome,
		strings.Replace(enAskExam, "=ECG]", "=Electrocardiogram]", 1)}}})
}
