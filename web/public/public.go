// Package public holds the templates and static files of the pages patients open without signing in
// (the queue tracker first; the booking form and the confirm page later). Templates are parsed once
// at start; static files are served under names carrying their content hash, so browsers cache each
// for a year and still never run stale code.
package public

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed templates assets
var files embed.FS

// AssetPrefix is the path static files are served under: AssetPrefix + hashed name.
const AssetPrefix = "/assets/"

// pageNames are the pages there are, each templates/NAME.html defining "title" and "content" for
// templates/layout.html.
var pageNames = []string{"tracker", "notfound"}

// Asset is one static file.
type Asset struct {
	Body        []byte
	ContentType string
}

// Site is the parsed pages and hashed static files.
type Site struct {
	pages  map[string]*template.Template
	urls   map[string]string // plain name → hashed URL
	assets map[string]Asset  // hashed name → file
}

// Load hashes the static files and parses every page; a missing page, asset or template error fails
// here, at start, rather than in front of a patient.
func Load() (*Site, error) {
	s := &Site{pages: map[string]*template.Template{}, urls: map[string]string{}, assets: map[string]Asset{}}
	err := fs.WalkDir(files, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		name, ext := path.Base(p), path.Ext(p)
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		s.urls[name] = AssetPrefix + hashed
		s.assets[hashed] = Asset{Body: body, ContentType: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("public assets: %w", err)
	}
	layout, err := template.New("layout.html").Funcs(template.FuncMap{"asset": s.url}).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("public templates: %w", err)
	}
	for _, name := range pageNames {
		t, err := template.Must(layout.Clone()).ParseFS(files, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("public page %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("public page %s defines no \"content\"", name)
		}
		s.pages[name] = t
	}
	return s, nil
}

// MustLoad is Load for start-up, where a broken embedded page is a bug.
func MustLoad() *Site {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

func (s *Site) url(name string) (string, error) {
	u, ok := s.urls[name]
	if !ok {
		return "", fmt.Errorf("public: no asset %q", name)
	}
	return u, nil
}

// Asset returns a static file by its hashed name.
func (s *Site) Asset(hashed string) (Asset, bool) {
	a, ok := s.assets[hashed]
	return a, ok
}

// Page is what the layout shows around a page.
type Page struct {
	Lang, Dir string
	Title     string
	// Languages are links to the same page in each language, for the picker, which LanguageLabel
	// names for screen readers.
	Languages     []LanguageLink
	LanguageLabel string
	Data          any
}

// LanguageLink is one entry of the language picker.
type LanguageLink struct {
	Code, Name, URL string
	Current         bool
}

// Render renders a page into a buffer, so a failing template never sends half a page.
func (s *Site) Render(name string, p Page) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("public: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return nil, fmt.Errorf("public page %s: %w", name, err)
	}
	return buf.Bytes(), nil
}
