package dialogue

// lostPlace reports whether a conversation without state in Redis was under way all the same: the
// patient wrote before this message, more recently than the time-out, so the state should still be
// there and was lost (Redis restarted or evicted it). The inbox read when they wrote before as it
// stored this message.
func (t *turn) lostPlace() bool {
	prev := t.conv.PreviousIn
	return prev != nil && prev.After(t.now.Add(-t.e.cfg.Timeout))
}
