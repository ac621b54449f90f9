package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"clinic/scheduling/privacy"
)

// settingsTTL is how long an instance reuses the privacy settings it read: a change made through
// another instance reaches its public views within this time (one made here, at once).
const settingsTTL = 5 * time.Second

func (t *tracker) privacyStore() *privacy.Store {
	return privacy.NewStore(t.s.pool, t.s.sched.Now)
}

// privacySettings returns the clinic's settings, read at most every settingsTTL.
func (t *tracker) privacySettings(ctx context.Context) (privacy.Settings, error) {
	t.settingsMu.Lock()
	defer t.settingsMu.Unlock()
	if !t.settingsAt.IsZero() && time.Since(t.settingsAt) < settingsTTL {
		return t.settings, nil
	}
	st, err := t.privacyStore().Get(ctx)
	if err != nil {
		return st, err
	}
	t.settings, t.settingsAt = st, time.Now()
	return st, nil
}

// getPrivacy answers the clinic's masking rules: GET /api/v1/settings/privacy.
func (t *tracker) getPrivacy(c *gin.Context) {
	st, err := t.privacyStore().Get(c.Request.Context())
	if err != nil {
		t.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// putPrivacy replaces them: PUT /api/v1/settings/privacy. Public views served here use the new
// rules at once.
func (t *tracker) putPrivacy(c *gin.Context) {
	var in privacy.Settings
	if !decode(c, &in) {
		return
	}
	st, err := t.privacyStore().Put(c.Request.Context(), in, actor(c))
	if err != nil {
		t.s.fail(c, err)
		return
	}
	t.settingsMu.Lock()
	t.settings, t.settingsAt = st, time.Now()
	t.settingsMu.Unlock()
	c.JSON(http.StatusOK, st)
}
