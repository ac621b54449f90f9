package scheduling_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"clinic/scheduling"
	"clinic/scheduling/schedtest"
)

// TestLifecycle tries every move from every state of DESIGN 3.2.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	b := schedtest.New(t)
	c := schedtest.NewClinic(t, b.Svc)
	ctx := context.Background()
	svc := b.Svc

	moves := map[string]func(id scheduling.ID) (*scheduling.Session, error){
		"check_in": func(id scheduling.ID) (*scheduling.Session, error) { return svc.CheckIn(ctx, "desk", id) },
		"open":     func(id scheduling.ID) (*scheduling.Session, error) { return svc.Open(ctx, "doctor", id) },
		"complete": func(id scheduling.ID) (*scheduling.Session, error) { return svc.Complete(ctx, "doctor", id) },
		"cancel": func(id scheduling.ID) (*scheduling.Session, error) {
			return svc.Cancel(ctx, "desk", id, "feels better")
		},
	}
	actions := map[string]string{"check_in": scheduling.ActionCheckedIn, "open": scheduling.ActionOpened,
		"complete": scheduling.ActionCompleted, "cancel": scheduling.ActionCancelled}
	// Each state is reached from a fresh booking by these moves.
	states := map[string][]string{
		"waiting":                nil,
		"waiting and checked in": {"check_in"},
		"open":                   {"open"},
		"open after check-in":    {"check_in", "open"},
		"completed":              {"open", "complete"},
		"cancelled":              {"cancel"},
		"cancelled while open":   {"open", "cancel"},
	}
	allowed := map[string]map[string]string{ // state → move → resulting status
		"waiting":                {"check_in": "waiting", "open": "open", "cancel": "cancelled"},
		"waiting and checked in": {"open": "open", "cancel": "cancelled"},
		"open":                   {"complete": "completed", "cancel": "cancelled"},
		"open after check-in":    {"complete": "completed", "cancel": "cancelled"},
		"completed":              {},
		"cancelled":              {},
		"cancelled while open":   {},
	}
	slot := 0
	for state, path := range states {
		for move, do := range moves {
			t.Run(state+"/"+move, func(t *testing.T) {
				// Fresh session each time, one after another in the day.
				start := c.At(5+slot/10, 8, 0).Add(time.Duration(slot%10) * 30 * time.Minute)
				slot++
				*b.Clock = start.Add(-time.Hour) // moves happen on the session's day
				s, err := svc.Book(ctx, "desk", c.Booking(start))
				require.NoError(t, err)
				for _, step := range path {
					_, err := moves[step](s.ID)
					require.NoError(t, err, step)
				}
				got, err := do(s.ID)
				want, ok := allowed[state][move]
				if !ok {
					requireCode(t, err, scheduling.KindConflict, scheduling.CodeInvalidTransition)
					after, err := svc.GetSession(ctx, s.ID)
					require.NoError(t, err)
					require.Len(t, after.History, 1+len(path), "a refused move is not recorded")
					return
				}
				require.NoError(t, err)
				require.Equal(t, want, got.Status)
				last := got.History[len(got.History)-1]
				require.Equal(t, actions[move], last.Action)
				require.Equal(t, want, *last.To)
				switch move {
				case "check_in":
					require.NotNil(t, got.CheckedInAt)
				case "open":
					require.NotNil(t, got.OpenedAt)
					require.NotNil(t, got.CheckedInAt, "opening records arrival too")
				case "complete":
					require.NotNil(t, got.CompletedAt)
				case "cancel":
					require.NotNil(t, got.CancelledAt)
				}
			})
		}
	}
	_, err := svc.CheckIn(ctx, "desk", 999999)
	requireCode(t, err, scheduling.KindNotFound, scheduling.CodeNotFound)
}
