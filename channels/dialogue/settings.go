package dialogue

import (
	"context"
	"sync"
	"time"

	"clinic/inbox"
)

// settingsTTL is how long the engine keeps the clinic's inbox settings before reading them again.
const settingsTTL = 5 * time.Second

// settingsCache keeps the inbox settings the turns read (direct booking, the default language). They
// are read on the pool, so they are refreshed before a turn's transaction begins (Engine.Prepare):
// a turn holding a connection never waits for a second one, which would deadlock a busy pool.
type settingsCache struct {
	mu  sync.Mutex
	at  time.Time
	val inbox.Settings
	ok  bool
}

// Prepare readies what the next turn reads outside its transaction: the clinic's inbox settings, at
// most settingsTTL old. A failure keeps the last settings known.
func (e *Engine) Prepare(ctx context.Context) error {
	c := &e.settings
	c.mu.Lock()
	fresh := c.ok && time.Since(c.at) < settingsTTL
	c.mu.Unlock()
	if fresh {
		return nil
	}
	st, err := e.inbox.Settings(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.val, c.at, c.ok = st, time.Now(), true
	c.mu.Unlock()
	return nil
}

// current returns the settings Prepare last read; the zero settings (no direct booking, the
// catalog's default language) until it has read any.
func (e *Engine) current() inbox.Settings {
	c := &e.settings
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.val
}
