// Package docs holds the API guide, which the server serves at GET /api/v1/docs.
package docs

import (
	"bytes"
	"embed"
	"io/fs"
)

//go:embed api.md api
var guide embed.FS

// API is the API guide in Markdown: api.md, then each area's part under api/ in name order, its
// headings one level down so that each part is a section of the one guide.
var API = mustJoin(guide)

func mustJoin(fsys fs.FS) []byte {
	b, err := join(fsys)
	if err != nil {
		panic(err)
	}
	return b
}

func join(fsys fs.FS) ([]byte, error) {
	out, err := fs.ReadFile(fsys, "api.md")
	if err != nil {
		return nil, err
	}
	parts, err := fs.Glob(fsys, "api/*.md")
	if err != nil {
		return nil, err
	}
	for _, name := range parts {
		part, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(bytes.TrimRight(out, "\n"), "\n\n"...)
		out = append(out, demote(part)...)
	}
	return out, nil
}

// demote puts every Markdown heading of text one level down, outside indented code.
func demote(text []byte) []byte {
	lines := bytes.SplitAfter(text, []byte("\n"))
	var out bytes.Buffer
	fenced := false
	for _, l := range lines {
		if bytes.HasPrefix(l, []byte("```")) {
			fenced = !fenced
		}
		if !fenced && bytes.HasPrefix(l, []byte("#")) {
			out.WriteByte('#')
		}
		out.Write(l)
	}
	return out.Bytes()
}
