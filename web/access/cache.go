package access

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"clinic/scheduling/changefeed"
)

// Every API request checks its token. A server that runs WatchRevocations keeps the tokens it has
// checked in memory, so a request costs no round trip for that; a revoked, changed or deleted token
// empties the memory on every server (migration 00009 notifies revocationChannel), and a revocation
// through this Store empties its own before RevokeToken returns.

// revocationChannel is the channel the api_tokens trigger notifies.
const revocationChannel = "api_tokens_changed"

// tokenTTL bounds how long a checked token is trusted without asking the database again: the backstop
// should a notice ever be missed while the listening connection looks healthy.
const tokenTTL = 30 * time.Second

// maxCachedTokens bounds the memory; past it the cache starts again empty.
const maxCachedTokens = 10000

// tokenCache remembers principals by token hash while revocations are being watched.
type tokenCache struct {
	mu sync.Mutex
	// live is set while the revocation listener is in place; only then is anything remembered.
	live bool
	// generation counts the times the cache was emptied, so that a lookup that raced with a
	// revocation does not store what it read before it.
	generation uint64
	entries    map[[32]byte]cachedPrincipal
	// clock times the entries: not a record's timestamp, only how long an entry is trusted.
	clock func() time.Time
}

type cachedPrincipal struct {
	p       Principal
	expires time.Time
}

func newTokenCache() *tokenCache {
	return &tokenCache{entries: map[[32]byte]cachedPrincipal{}, clock: time.Now}
}

// get returns the remembered principal of a token hash, if it is still trusted.
func (c *tokenCache) get(sum [32]byte) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sum]
	if !ok || !c.live || c.clock().After(e.expires) {
		return Principal{}, false
	}
	return e.p, true
}

// begin is called before a token is looked up in the database; its result goes to put.
func (c *tokenCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// put remembers a principal read from the database, unless the cache was emptied since begin.
func (c *tokenCache) put(generation uint64, sum [32]byte, p Principal) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || generation != c.generation {
		return
	}
	if len(c.entries) >= maxCachedTokens {
		clear(c.entries)
	}
	c.entries[sum] = cachedPrincipal{p: p, expires: c.clock().Add(tokenTTL)}
}

// forget empties the cache.
func (c *tokenCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.generation++
}

// watching empties the cache and says whether revocations are watched from now on.
func (c *tokenCache) watching(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.generation++
	c.live = live
}

// WatchRevocations lets Authenticate remember the tokens it has checked, for as long as it runs: it
// listens for changes to tokens on a connection of its own and forgets every token at each. Until it
// listens, and whenever its connection is lost, every token is checked in the database. It returns
// when ctx ends.
func (s *Store) WatchRevocations(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) {
	changefeed.Listen(ctx, pool, logger, revocationChannel, changefeed.Listener{
		// Anything remembered before now may have been revoked unnoticed.
		Listening: func() { s.cache.watching(true) },
		Notice:    func(string) { s.cache.forget() },
		Lost:      func() { s.cache.watching(false) },
	})
	s.cache.watching(false)
}

// Watching reports whether WatchRevocations is listening, and so whether checked tokens are remembered.
func (s *Store) Watching() bool {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	return s.cache.live
}
