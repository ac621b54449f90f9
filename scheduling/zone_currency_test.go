package scheduling

import (
	"archive/zip"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCanonicalZonesLoadWithoutTheSystemDatabase loads every canonical name from the zone data Go
// embeds through time/tzdata (built from GOROOT's lib/time/zoneinfo.zip), which is what a machine
// without /usr/share/zoneinfo falls back on.
func TestCanonicalZonesLoadWithoutTheSystemDatabase(t *testing.T) {
	t.Parallel()
	require.Greater(t, len(canonicalZones), 400)
	out, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	zr, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(out)), "lib", "time", "zoneinfo.zip"))
	require.NoError(t, err)
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	for name := range canonicalZones {
		f, ok := files[name]
		require.True(t, ok, "%s is not in Go's embedded zone data", name)
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		_, err = time.LoadLocationFromTZData(name, data)
		require.NoError(t, err, name)
	}
}

func TestParseZonesSkipsCommentsAndBlanks(t *testing.T) {
	t.Parallel()
	require.Equal(t, map[string]bool{"Europe/Lisbon": true, "UTC": true},
		parseZones("# a comment\n\nEurope/Lisbon\n  UTC  \n"))
}
