package migrations

import (
	"os"
	"strings"
	"testing"
)

// The job queue's schema version named in the template's fingerprint must be the one go.mod builds
// in, so a test template is rebuilt when River is upgraded.
func TestRiverVersionMatchesGoMod(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatalf("read go.mod: %v", err)
	}
	want := "github.com/riverqueue/river " + RiverVersion
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(strings.TrimSpace(line), want) {
			return
		}
	}
	t.Fatalf("go.mod does not require %q: update RiverVersion with the module", want)
}
