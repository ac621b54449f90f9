package scheduling

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// setup is a branch's configuration for a session of some examinations, as availability reads it: the
// branch, its zone, the examinations in running order and the doctors who perform all of them.
type setup struct {
	// version is the catalog version read before the rest (migration 00009): the setup is at least as
	// new as that version, so it may answer any request that reads the same version.
	version int64
	branch  *Branch
	loc     *time.Location
	exams   []Examination
	doctors []ID
}

// catalogVersionSQL reads the catalog version, which every change to the catalog's tables moves on.
const catalogVersionSQL = `SELECT version FROM catalog_version`

// maxCachedSetups bounds the setups kept; past it the cache starts again empty.
const maxCachedSetups = 4096

// setupCache keeps setups between requests, so that a request whose catalog version is unchanged
// reads only its calendar. Entries are never changed once stored; readers share them.
type setupCache struct {
	mu      sync.Mutex
	entries map[string]*setup
}

func newSetupCache() *setupCache { return &setupCache{entries: map[string]*setup{}} }

// setupKey names the setup of a branch and examinations in running order.
func setupKey(branch ID, exams []ID) string {
	b := strconv.AppendInt(make([]byte, 0, 8*(len(exams)+1)), int64(branch), 10)
	for _, id := range exams {
		b = strconv.AppendInt(append(b, ':'), int64(id), 10)
	}
	return string(b)
}

func (c *setupCache) get(key string) *setup {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[key]
}

// put stores st unless a setup of a later version is already there.
func (c *setupCache) put(key string, st *setup) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil && old.version > st.version {
		return
	}
	if len(c.entries) >= maxCachedSetups {
		clear(c.entries)
	}
	c.entries[key] = st
}

// setups is the service's cache, or nil inside a caller's transaction: what that transaction reads may
// never be committed, so it must neither fill the cache nor be answered from it.
func (s *Service) setups() *setupCache {
	if _, inTx := s.db.(pgx.Tx); inTx {
		return nil
	}
	return s.cachedSetups
}

// loadVersionedSetup reads the catalog version, then the branch and the examinations, in one round
// trip. The version comes first: a change committed between the reads leaves a setup newer than its
// version, which costs a reload later, never a stale answer.
func (s *Service) loadVersionedSetup(ctx context.Context, branchID ID, examIDs []ID) (*setup, error) {
	if err := checkExaminationIDs(examIDs); err != nil {
		return nil, err
	}
	batch := &pgx.Batch{}
	var version int64
	QueueCatalogVersion(batch, &version)
	st := queueSetup(batch, branchID, examIDs)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, err
	}
	if err := st.check(branchID, examIDs); err != nil {
		return nil, err
	}
	st.version, st.doctors = version, qualifiedDoctors(st.exams)
	st.branch.catalogVersion = version
	return st, nil
}

// cachedCalendar answers from a cached setup: it reads the catalog version and the calendar of the
// setup's doctors (or of doctor alone, when one is asked for) in one round trip, and returns nil when
// there is no setup for the request, or the catalog has changed since it was read.
func (s *Service) cachedCalendar(ctx context.Context, key string, doctor ID, from, to Date) (*calendar, error) {
	st := s.setups().get(key)
	if st == nil {
		return nil, nil
	}
	doctors, ok := st.doctorsFor(doctor)
	if !ok || len(doctors) == 0 {
		return nil, nil // an answer without a calendar: worked out from fresh data
	}
	batch := &pgx.Batch{}
	var version int64
	QueueCatalogVersion(batch, &version)
	cal := queueCalendar(batch, st.branch, st.loc, st.exams, doctors, nil, 0, from, to, nil)
	if err := s.db.SendBatch(ctx, batch).Close(); err != nil {
		return nil, err
	}
	if version != st.version {
		return nil, nil
	}
	return cal, nil
}

// doctorsFor narrows the setup's doctors to doctor when one is asked for; false when that doctor does
// not perform every examination.
func (st *setup) doctorsFor(doctor ID) ([]ID, bool) {
	if doctor == 0 {
		return st.doctors, true
	}
	for _, d := range st.doctors {
		if d == doctor {
			return []ID{doctor}, true
		}
	}
	return nil, false
}
