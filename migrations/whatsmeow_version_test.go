package migrations

import (
	"os"
	"strings"
	"testing"
)

// The WhatsApp library's version named in the template's fingerprint must be the one go.mod builds
// in, so a test template is rebuilt when whatsmeow is upgraded.
func TestWhatsmeowVersionMatchesGoMod(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatalf("read go.mod: %v", err)
	}
	want := "go.mau.fi/whatsmeow " + WhatsmeowVersion
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(strings.TrimSpace(line), want) {
			return
		}
	}
	t.Fatalf("go.mod does not require %q: update WhatsmeowVersion with the module", want)
}
