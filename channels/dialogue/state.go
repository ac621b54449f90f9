package dialogue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"

	"clinic/inbox"
	"clinic/inbox/texts"
	"clinic/scheduling"
)

// stateTTL is how long Redis keeps a conversation's state. It outlives Config.Timeout, so that the
// next message after a long pause finds the state and can say the conversation starts again, rather
// than greeting the patient as a stranger.
const stateTTL = 24 * time.Hour

// The steps of the booking path, and the steps of the commands.
const (
	stepIdle        = ""
	stepExam        = "exam"
	stepBranch      = "branch"
	stepDoctor      = "doctor"
	stepDay         = "day"
	stepSlot        = "slot"
	stepName        = "name"
	stepPhone       = "phone"
	stepBookings    = "bookings"
	stepConfirm     = "confirm_cancel"
	stepLanguage    = "language"
	pendingStatus   = "status"
	pendingBookings = "bookings"
)

// picked is the slot the patient chose, held for them.
type picked struct {
	Start    time.Time     `json:"start"`
	DoctorID scheduling.ID `json:"doctor_id"`
}

// state is one conversation's place in the dialogue, stored as JSON in Redis.
type state struct {
	Step     string         `json:"step"`
	Lang     string         `json:"lang"`
	ExamID   scheduling.ID  `json:"exam_id,omitempty"`
	BranchID scheduling.ID  `json:"branch_id,omitempty"`
	DoctorID scheduling.ID  `json:"doctor_id,omitempty"` // 0: any doctor
	Day      string         `json:"day,omitempty"`       // YYYY-MM-DD at the branch
	Slot     *picked        `json:"slot,omitempty"`
	Name     string         `json:"name,omitempty"`
	Phone    string         `json:"phone,omitempty"`
	Verified bool           `json:"verified,omitempty"` // the channel vouched for Phone
	Offered  []inbox.Choice `json:"offered,omitempty"`  // the last question's choices
	// Pending is the command that waits for the patient's phone number.
	Pending string `json:"pending,omitempty"`
	// Cancel is the session the patient asked to cancel, awaiting their yes.
	Cancel scheduling.ID `json:"cancel,omitempty"`
	// Resume is the step to return to after the language question.
	Resume  string    `json:"resume,omitempty"`
	Updated time.Time `json:"updated"`
	// LastID is the channel's id of the last message answered, and Replies that answer.
	LastID  string  `json:"last_id,omitempty"`
	Replies []Reply `json:"replies,omitempty"`
}

// load reads the state at key: nil when there is none, an error when Redis does not answer.
func (e *Engine) load(ctx context.Context, key string) ([]byte, *state, error) {
	raw, err := e.rdb.Get(ctx, key).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("read dialogue state: %w", err)
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil {
		// A state this version cannot read is a fresh start, not a broken chat.
		e.log.WarnContext(ctx, "dialogue state unreadable; starting afresh", "key", key, "err", err)
		return raw, nil, nil
	}
	return raw, &st, nil
}

func (e *Engine) save(ctx context.Context, key string, st *state) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode dialogue state: %w", err)
	}
	if err := e.rdb.Set(ctx, key, raw, stateTTL).Err(); err != nil {
		return fmt.Errorf("save dialogue state: %w", err)
	}
	return nil
}

// firstLang is the language of a conversation's first message: the channel's hint when it gives a
// language there are texts for, else the language the text is written in, else the clinic's default.
func (e *Engine) firstLang(in inbox.Inbound) string {
	if lang := knownLang(in.Lang); lang != "" {
		return lang
	}
	if strings.IndexFunc(in.Text, unicode.IsLetter) >= 0 {
		return texts.Detect(in.Text)
	}
	if lang := knownLang(e.current().DefaultLang); lang != "" {
		return lang
	}
	return "en"
}

// knownLang maps a channel's language code (en-GB, ar_EG) to a language there are texts for, or "".
func knownLang(code string) string {
	if !texts.Supported(code) {
		return ""
	}
	return texts.Lang(code)
}
