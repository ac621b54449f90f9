package dialogue

import "fmt"

// lostPlace reports whether a conversation without state in Redis was under way all the same: the
// patient wrote before this message, more recently than the time-out, so the state should still be
// there and was lost (Redis restarted or evicted it). The message being answered is already stored;
// it is the one with the channel's id, or the newest when the channel gives none.
func (t *turn) lostPlace() (bool, error) {
	var lost bool
	err := t.tx.QueryRow(t.ctx, `
		SELECT EXISTS (
			SELECT 1 FROM messages m
			WHERE m.conversation_id = $1 AND m.direction = 'in' AND m.at > $2
				AND m.id <> (SELECT c.id FROM messages c
					WHERE c.conversation_id = $1 AND c.direction = 'in' AND ($3 = '' OR c.external_id = $3)
					ORDER BY c.id DESC LIMIT 1))`,
		t.conv.ID, t.now.Add(-t.e.cfg.Timeout), t.in.ExternalID).Scan(&lost)
	if err != nil {
		return false, fmt.Errorf("look for earlier messages of conversation %d: %w", t.conv.ID, err)
	}
	return lost, nil
}
