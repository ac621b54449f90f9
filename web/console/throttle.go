package console

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Lockout is the policy against guessing passwords (DESIGN 7). Failures are counted per account (the
// email tried, whether or not it exists, so the answers never tell which do) and per client address.
// After the second failure in a row each further attempt must wait, the wait doubling with every
// failure; at the limit the account or client is locked for LockFor.
type Lockout struct {
	// AccountFailures within Window lock the email tried (default 5).
	AccountFailures int
	// ClientFailures within Window lock the client address, whatever emails it tries (default 20).
	ClientFailures int
	// Window is how long failures are remembered (default 15 minutes).
	Window time.Duration
	// LockFor is how long a lock lasts (default 15 minutes).
	LockFor time.Duration
	// Delay is the wait after the second failure; it doubles with each failure after (default 1 s).
	Delay time.Duration
	// MaxDelay caps the wait (default 30 s).
	MaxDelay time.Duration
}

func (l Lockout) withDefaults() Lockout {
	l.AccountFailures = cmp.Or(l.AccountFailures, 5)
	l.ClientFailures = cmp.Or(l.ClientFailures, 20)
	l.Window = cmp.Or(l.Window, 15*time.Minute)
	l.LockFor = cmp.Or(l.LockFor, 15*time.Minute)
	l.Delay = cmp.Or(l.Delay, time.Second)
	l.MaxDelay = cmp.Or(l.MaxDelay, 30*time.Second)
	return l
}

// failures is what one key remembers: how many failures since the first, and when the last was.
type failures struct {
	n           int
	first, last time.Time
}

// hold says how long the next attempt must wait, and whether that is a lock rather than a delay.
func (l Lockout) hold(f failures, limit int, now time.Time) (wait time.Duration, locked bool) {
	switch {
	case f.n >= limit:
		if until := f.last.Add(l.LockFor); now.Before(until) {
			return until.Sub(now), true
		}
	case f.n >= 2 && now.Sub(f.first) < l.Window:
		d := min(l.Delay<<min(f.n-2, 20), l.MaxDelay)
		if until := f.last.Add(d); now.Before(until) {
			return until.Sub(now), false
		}
	}
	return 0, false
}

// throttle keeps the failure counts in Redis, shared by every server instance.
type throttle struct {
	rdb    *redis.Client
	prefix string
	policy Lockout
}

func (t *throttle) accountKey(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return t.prefix + "signin:account:" + hex.EncodeToString(h[:16])
}

func (t *throttle) clientKey(ip string) string { return t.prefix + "signin:client:" + ip }

// check answers how long a sign-in for email from ip must wait (0: it may go ahead now), and whether
// that is a lock.
func (t *throttle) check(ctx context.Context, email, ip string, now time.Time) (time.Duration, bool, error) {
	keys := []string{t.accountKey(email), t.clientKey(ip)}
	limits := []int{t.policy.AccountFailures, t.policy.ClientFailures}
	pipe := t.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(keys))
	for i, k := range keys {
		cmds[i] = pipe.HMGet(ctx, k, "n", "first", "last")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, false, fmt.Errorf("read sign-in failures: %w", err)
	}
	var wait time.Duration
	var locked bool
	for i, cmd := range cmds {
		var f struct {
			N     int   `redis:"n"`
			First int64 `redis:"first"`
			Last  int64 `redis:"last"`
		}
		if err := cmd.Scan(&f); err != nil {
			return 0, false, fmt.Errorf("read sign-in failures: %w", err)
		}
		w, l := t.policy.hold(failures{n: f.N, first: time.UnixMilli(f.First), last: time.UnixMilli(f.Last)}, limits[i], now)
		if l && !locked || l == locked && w > wait {
			wait, locked = w, l
		}
	}
	return wait, locked, nil
}

// recordFailure is one atomic step per key: a count whose window has passed, or whose lock is over,
// starts again at one.
var recordFailure = redis.NewScript(`
local now, window, lock, limit, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local v = redis.call('HMGET', KEYS[1], 'n', 'first', 'last')
local n, first, last = tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or 0
if n == 0 or (n < limit and now - first >= window) or (n >= limit and now - last >= lock) then
  n, first = 0, now
end
n = n + 1
redis.call('HSET', KEYS[1], 'n', n, 'first', first, 'last', now)
redis.call('PEXPIRE', KEYS[1], ttl)
return n`)

// fail counts a wrong password for email from ip.
func (t *throttle) fail(ctx context.Context, email, ip string, now time.Time) error {
	p := t.policy
	ttl := (p.Window + p.LockFor).Milliseconds()
	for key, limit := range map[string]int{t.accountKey(email): p.AccountFailures, t.clientKey(ip): p.ClientFailures} {
		err := recordFailure.Run(ctx, t.rdb, []string{key}, now.UnixMilli(), p.Window.Milliseconds(),
			p.LockFor.Milliseconds(), limit, ttl).Err()
		if err != nil {
			return fmt.Errorf("count sign-in failure: %w", err)
		}
	}
	return nil
}

// succeed forgets the account's failures after a right password. The client's stay: one account
// that an attacker knows must not reset the count of guesses at the others.
func (t *throttle) succeed(ctx context.Context, email string) error {
	if err := t.rdb.Del(ctx, t.accountKey(email)).Err(); err != nil {
		return fmt.Errorf("reset sign-in failures: %w", err)
	}
	return nil
}
