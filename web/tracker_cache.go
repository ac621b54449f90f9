package web

import (
	"context"
	"sync"
	"time"

	"clinic/scheduling"
	"clinic/scheduling/queue"
)

// placeTTL bounds how long a computed place is reused when nothing in its branch changed: the ETA
// also moves as time passes (a doctor running late).
const placeTTL = 5 * time.Second

// placeCache computes each session's place once per change of its branch, however many patients'
// pages (and repeated requests) ask for it, and tells the live pages of a branch when it changes. It
// follows each branch on the change feed once, so 1,000 open pages cost one subscription and one
// computation per session per change (DESIGN 6: the tracker's budget with 1,000 viewers).
type placeCache struct {
	t        *tracker
	mu       sync.Mutex
	branches map[scheduling.ID]*branchPlaces
}

// branchPlaces is one branch's cached places and the live pages following it.
type branchPlaces struct {
	places    map[scheduling.ID]*cachedPlace
	followers map[chan struct{}]struct{}
	watching  bool
}

// cachedPlace is one computation: those who ask while it runs wait for it.
type cachedPlace struct {
	at    time.Time
	ready chan struct{}
	place *placeInfo
	err   error
}

// placeInfo is a session's place with its branch's name.
type placeInfo struct {
	*queue.Place
	branch string
}

func newPlaceCache(t *tracker) *placeCache {
	return &placeCache{t: t, branches: map[scheduling.ID]*branchPlaces{}}
}

func (pc *placeCache) branchLocked(id scheduling.ID) *branchPlaces {
	b := pc.branches[id]
	if b == nil {
		b = &branchPlaces{places: map[scheduling.ID]*cachedPlace{}, followers: map[chan struct{}]struct{}{}}
		pc.branches[id] = b
	}
	if !b.watching && pc.t.s.feed != nil {
		b.watching = true
		go pc.watch(id, b)
	}
	return b
}

// get returns the place of the link's session: cached while its branch has not changed (and for at
// most placeTTL), else computed once for every caller. Without a change feed nothing is cached.
func (pc *placeCache) get(ctx context.Context, l link) (*placeInfo, error) {
	if pc.t.s.feed == nil {
		return pc.t.computePlace(ctx, l.session)
	}
	pc.mu.Lock()
	b := pc.branchLocked(l.branch)
	e := b.places[l.session]
	fresh := e != nil
	if fresh {
		select {
		case <-e.ready:
			fresh = e.err == nil && time.Since(e.at) < placeTTL
		default: // being computed: wait for it
		}
	}
	if !fresh {
		e = &cachedPlace{at: time.Now(), ready: make(chan struct{})}
		b.places[l.session] = e
		pc.mu.Unlock()
		// The computation serves every caller waiting for it, so one caller leaving does not end it.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pc.t.s.timeout)
		e.place, e.err = pc.t.computePlace(cctx, l.session)
		cancel()
		close(e.ready)
	} else {
		pc.mu.Unlock()
	}
	select {
	case <-e.ready:
		return e.place, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// follow signals on the returned channel each time the branch's sessions change (or changes may have
// been missed); stop ends it.
func (pc *placeCache) follow(branch scheduling.ID) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	pc.mu.Lock()
	b := pc.branchLocked(branch)
	b.followers[ch] = struct{}{}
	pc.mu.Unlock()
	return ch, func() {
		pc.mu.Lock()
		delete(b.followers, ch)
		pc.mu.Unlock()
	}
}

// changed forgets the branch's places, then wakes its live pages: they read the new places.
func (pc *placeCache) changed(b *branchPlaces) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	b.places = map[scheduling.ID]*cachedPlace{}
	for ch := range b.followers {
		select {
		case ch <- struct{}{}:
		default: // already woken, not yet read
		}
	}
}

// watch follows one branch on the change feed for as long as the server runs. A subscription the feed
// closes (the watcher fell behind, or the feed lost its connection) counts as a change, since
// notices may have been missed, and is taken again.
func (pc *placeCache) watch(id scheduling.ID, b *branchPlaces) {
	for {
		notices, cancel := pc.t.s.feed.Subscribe(id)
		open := true
		for open {
			select {
			case <-pc.t.s.done:
				cancel()
				return
			case _, open = <-notices:
				pc.changed(b)
			}
		}
		cancel()
		select {
		case <-pc.t.s.done:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// computePlace reads a session's place and its branch's name.
func (t *tracker) computePlace(ctx context.Context, session scheduling.ID) (*placeInfo, error) {
	p, err := t.queueService().Place(ctx, session)
	if err != nil {
		return nil, err
	}
	br, err := t.s.sched.GetBranch(ctx, p.BranchID)
	if err != nil {
		return nil, err
	}
	return &placeInfo{Place: p, branch: br.Name}, nil
}
