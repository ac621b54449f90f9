package access

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTokenCacheRules: nothing is remembered unless revocations are watched; a lookup that raced
// with a revocation does not store what it read before it; an entry is trusted for tokenTTL only; the
// memory is bounded.
func TestTokenCacheRules(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	c := newTokenCache()
	c.clock = func() time.Time { return now }
	sum := sha256.Sum256([]byte("clk_a"))
	p := Principal{Kind: "token", ID: 1, Role: Owner}

	c.put(c.begin(), sum, p)
	_, ok := c.get(sum)
	require.False(t, ok, "not remembered while revocations are not watched")

	c.watching(true)
	c.put(c.begin(), sum, p)
	got, ok := c.get(sum)
	require.True(t, ok)
	require.Equal(t, p, got)

	c.forget()
	_, ok = c.get(sum)
	require.False(t, ok, "a revocation forgets every token")

	generation := c.begin()
	c.forget() // a revocation while the database was being asked
	c.put(generation, sum, p)
	_, ok = c.get(sum)
	require.False(t, ok, "what was read before a revocation is not stored after it")

	c.put(c.begin(), sum, p)
	now = now.Add(tokenTTL - time.Second)
	_, ok = c.get(sum)
	require.True(t, ok)
	now = now.Add(2 * time.Second)
	_, ok = c.get(sum)
	require.False(t, ok, "an entry is trusted for tokenTTL only")

	c.put(c.begin(), sum, p)
	c.watching(false)
	_, ok = c.get(sum)
	require.False(t, ok, "a lost watch forgets every token")

	c.watching(true)
	for i := range maxCachedTokens + 1 {
		c.put(c.begin(), sha256.Sum256([]byte{byte(i), byte(i >> 8), byte(i >> 16)}), p)
	}
	require.LessOrEqual(t, len(c.entries), maxCachedTokens)
}
