package outbox

import (
	"context"
	"fmt"
	"slices"

	"clinic/scheduling"
)

// Settings are the clinic's choices for messages the outbox sends by itself.
type Settings struct {
	// ReminderOffsets are how many minutes before a visit reminders go out (24 h and 2 h by default).
	ReminderOffsets []int `json:"reminder_offsets_minutes"`
	// TurnNearPosition is the place in the doctor's line (1 is next) at which a checked-in patient
	// hears that their turn is near; 0 turns the message off.
	TurnNearPosition int `json:"turn_near_position"`
}

// Bounds of the settings.
const (
	maxOffsets       = 6
	minOffsetMinutes = 5
	maxOffsetMinutes = 30 * 24 * 60
	maxTurnNear      = 50
)

// Settings reads the clinic's outbox settings.
func (o *Outbox) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := o.pool.QueryRow(ctx, `SELECT reminder_offsets_minutes, turn_near_position FROM outbox_settings`).
		Scan(&s.ReminderOffsets, &s.TurnNearPosition)
	if err != nil {
		return s, fmt.Errorf("outbox: read settings: %w", err)
	}
	return s, nil
}

// SaveSettings checks and stores the clinic's outbox settings; offsets are kept largest first,
// without repeats.
func (o *Outbox) SaveSettings(ctx context.Context, in Settings) (Settings, error) {
	offsets := slices.Clone(in.ReminderOffsets)
	slices.Sort(offsets)
	offsets = slices.Compact(offsets)
	slices.Reverse(offsets)
	switch {
	case len(offsets) > maxOffsets:
		return in, scheduling.Invalid("invalid_reminder_offsets", "at most %d reminder times can be set", maxOffsets)
	case len(offsets) > 0 && (offsets[len(offsets)-1] < minOffsetMinutes || offsets[0] > maxOffsetMinutes):
		return in, scheduling.Invalid("invalid_reminder_offsets",
			"reminders go out between %d minutes and %d days before a visit", minOffsetMinutes, maxOffsetMinutes/(24*60))
	case in.TurnNearPosition < 0 || in.TurnNearPosition > maxTurnNear:
		return in, scheduling.Invalid("invalid_turn_near_position",
			"the place at which a patient hears their turn is near is between 1 and %d, or 0 for never", maxTurnNear)
	}
	if offsets == nil {
		offsets = []int{}
	}
	out := Settings{ReminderOffsets: offsets, TurnNearPosition: in.TurnNearPosition}
	if _, err := o.pool.Exec(ctx, `UPDATE outbox_settings SET reminder_offsets_minutes = $1, turn_near_position = $2`,
		out.ReminderOffsets, out.TurnNearPosition); err != nil {
		return in, fmt.Errorf("outbox: save settings: %w", err)
	}
	return out, nil
}
