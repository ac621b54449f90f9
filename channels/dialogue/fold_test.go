package dialogue

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"clinic/inbox"
)

// TestOneMessageFoldsWhatComesBeforeAQuestion: replies that ask nothing head the next reply; a
// question ends its message, so what follows it goes apart; a fold that would be too long is not made.
func TestOneMessageFoldsWhatComesBeforeAQuestion(t *testing.T) {
	pick := []inbox.Choice{{ID: "x:1", Label: "ECG"}}
	long := strings.Repeat("é", maxFolded-3)
	for _, c := range []struct {
		name string
		in   []Reply
		want []Reply
	}{
		{"nothing", nil, nil},
		{"one", []Reply{{Text: "Hi"}}, []Reply{{Text: "Hi"}}},
		{"greeting and question", []Reply{{Text: "Hi"}, {Text: "Which?", Choices: pick}},
			[]Reply{{Text: "Hi\n\nWhich?", Choices: pick}}},
		{"two texts and the phone button", []Reply{{Text: "Sorry"}, {Text: "Again"}, {Text: "Phone?", AskPhone: true}},
			[]Reply{{Text: "Sorry\n\nAgain\n\nPhone?", AskPhone: true}}},
		{"a question ends its message", []Reply{{Text: "Which?", Choices: pick}, {Text: "Thanks"}},
			[]Reply{{Text: "Which?", Choices: pick}, {Text: "Thanks"}}},
		{"too long to fold", []Reply{{Text: long}, {Text: "Which?", Choices: pick}},
			[]Reply{{Text: long}, {Text: "Which?", Choices: pick}}},
		{"just short enough", []Reply{{Text: long}, {Text: "a"}},
			[]Reply{{Text: long + "\n\na"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, oneMessage(c.in))
		})
	}
}
