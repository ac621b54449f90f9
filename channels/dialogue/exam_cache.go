package dialogue

import (
	"context"
	"sync"

	"clinic/scheduling"
)

// examCache keeps the examination list the first question offers, for as long as the catalog version
// is the one it was read at: the version is one small read, the list a join over the catalog.
type examCache struct {
	mu      sync.Mutex
	version int64
	exams   []scheduling.Examination
}

// examinations returns every examination as sched reads them, from the cache when the catalog has not
// changed since. version is the catalog version the caller read before. The list is shared: callers
// do not change it.
func (c *examCache) examinations(ctx context.Context, sched *scheduling.Service, version int64) ([]scheduling.Examination, error) {
	c.mu.Lock()
	if c.exams != nil && c.version == version {
		exams := c.exams
		c.mu.Unlock()
		return exams, nil
	}
	c.mu.Unlock()
	exams, err := sched.ListExaminations(ctx, 0)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	// A change committed between the two reads leaves a list newer than its version: it costs a read
	// later, never a stale answer.
	c.version, c.exams = version, exams
	c.mu.Unlock()
	return exams, nil
}
