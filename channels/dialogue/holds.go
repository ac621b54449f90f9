package dialogue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"clinic/scheduling"
)

// DefaultHoldTTL is how long a picked slot stays held for the conversation that picked it.
const DefaultHoldTTL = 5 * time.Minute

// Holds keeps the slots that patients picked in a chat, for a few minutes, so that no online channel
// offers one slot to two people at once (DESIGN 3.5). A hold is one Redis key per doctor and start
// whose value names the conversation holding it; it disappears by itself when its time is up.
type Holds struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
}

// NewHolds returns the holds kept in rdb under prefix, each lasting ttl (DefaultHoldTTL when 0).
func NewHolds(rdb *redis.Client, prefix string, ttl time.Duration) *Holds {
	if ttl <= 0 {
		ttl = DefaultHoldTTL
	}
	return &Holds{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (h *Holds) key(doctorID scheduling.ID, start time.Time) string {
	return h.prefix + "hold:" + doctorID.String() + ":" + strconv.FormatInt(start.Unix(), 10)
}

// Hold holds the doctor's slot at start for the conversation by. It reports false, with the holder,
// when someone else holds it; holding a slot one already holds renews it.
func (h *Holds) Hold(ctx context.Context, doctorID scheduling.ID, start time.Time, by string) (bool, error) {
	key := h.key(doctorID, start)
	ok, err := h.rdb.SetNX(ctx, key, by, h.ttl).Result()
	if err != nil {
		return false, fmt.Errorf("hold a slot: %w", err)
	}
	if ok {
		return true, nil
	}
	holder, err := h.rdb.Get(ctx, key).Result()
	switch {
	case errors.Is(err, redis.Nil):
		// It ran out between the two commands: try once more.
		ok, err = h.rdb.SetNX(ctx, key, by, h.ttl).Result()
		if err != nil {
			return false, fmt.Errorf("hold a slot: %w", err)
		}
		return ok, nil
	case err != nil:
		return false, fmt.Errorf("read a slot's hold: %w", err)
	case holder == by:
		if err := h.rdb.Expire(ctx, key, h.ttl).Err(); err != nil {
			return false, fmt.Errorf("renew a slot's hold: %w", err)
		}
		return true, nil
	}
	return false, nil
}

// Held reports who holds the doctor's slot at start, if anyone.
func (h *Holds) Held(ctx context.Context, doctorID scheduling.ID, start time.Time) (by string, ok bool, err error) {
	by, err = h.rdb.Get(ctx, h.key(doctorID, start)).Result()
	switch {
	case errors.Is(err, redis.Nil):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("read a slot's hold: %w", err)
	}
	return by, true, nil
}

// Release lets go of the slot if the conversation by holds it; a slot held by another stays held.
func (h *Holds) Release(ctx context.Context, doctorID scheduling.ID, start time.Time, by string) error {
	err := releaseScript.Run(ctx, h.rdb, []string{h.key(doctorID, start)}, by).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("release a slot's hold: %w", err)
	}
	return nil
}

// releaseScript deletes the key only when its value is the caller's, in one step.
var releaseScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// Filter returns the slots that nobody but the conversation by holds, in their order; by may be
// empty (the public booking form holds nothing, so every held slot is left out). It reads every
// hold in one round trip.
func (h *Holds) Filter(ctx context.Context, slots []scheduling.Slot, by string) ([]scheduling.Slot, error) {
	if len(slots) == 0 {
		return slots, nil
	}
	keys := make([]string, len(slots))
	for i, sl := range slots {
		keys[i] = h.key(sl.DoctorID, sl.Start)
	}
	vals, err := h.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("read the slots' holds: %w", err)
	}
	out := make([]scheduling.Slot, 0, len(slots))
	for i, sl := range slots {
		if holder, held := vals[i].(string); held && holder != by {
			continue
		}
		out = append(out, sl)
	}
	return out, nil
}

// Free is Filter for a channel that holds nothing itself (the public booking form): every held slot
// is left out. It fits inbox.SlotFilter.
func (h *Holds) Free(ctx context.Context, slots []scheduling.Slot) ([]scheduling.Slot, error) {
	return h.Filter(ctx, slots, "")
}
