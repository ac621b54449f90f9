package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// link matches the target of a Markdown link or image: [text](target).
var link = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestLinksStayInTheRepository: the README and the guides link only files that a clone has, or
// web addresses; nothing beside the repository.
func TestLinksStayInTheRepository(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	parts, err := filepath.Glob("api/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, parts...)
	files = append(files, filepath.Join(root, "README.md"))
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			abs, err := filepath.Abs(filepath.Join(filepath.Dir(f), target))
			if err != nil {
				t.Fatal(err)
			}
			if rel, err := filepath.Rel(root, abs); err != nil || strings.HasPrefix(rel, "..") {
				t.Errorf("%s links %s, outside the repository", f, m[1])
				continue
			}
			if _, err := os.Stat(abs); err != nil {
				t.Errorf("%s links %s, which does not exist", f, m[1])
			}
		}
	}
}

// TestGuideJoinsTheAreaParts: each part under api/ follows api.md, one heading level down, and a
// heading inside a fenced block is left alone.
func TestGuideJoinsTheAreaParts(t *testing.T) {
	got, err := join(fstest.MapFS{
		"api.md":       {Data: []byte("# Guide\n\n## Conventions\n")},
		"api/queue.md": {Data: []byte("# The queue\n\n## Sorting\n\n```\n# a comment\n```\n")},
		"api/b.md":     {Data: []byte("# Billing\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "# Guide\n\n## Conventions\n\n## Billing\n\n## The queue\n\n### Sorting\n\n```\n# a comment\n```\n"
	if string(got) != want {
		t.Fatalf("joined guide:\n%s\nwant:\n%s", got, want)
	}
	parts, _ := filepath.Glob("api/*.md")
	for _, p := range parts {
		first, _, _ := strings.Cut(string(mustRead(t, p)), "\n")
		if !strings.Contains(string(API), "#"+first+"\n") {
			t.Errorf("the served guide lacks %s", p)
		}
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
