package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"clinic/docs"
)

// The API's description is openapi.json plus one part per area under openapi/ (the queue, billing,
// the inbox…), each holding its own paths and component schemas; they are merged once, at start.
//
//go:embed openapi.json openapi
var openAPIFiles embed.FS

var openAPI = mustMergeOpenAPI(openAPIFiles)

// mustMergeOpenAPI merges the parts into the base document. A part that repeats a path or a schema
// another already defines is a mistake in the source, found by every test.
func mustMergeOpenAPI(fsys fs.FS) []byte {
	merged, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err)
	}
	return merged
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	type part struct {
		Paths      map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	raw, err := fs.ReadFile(fsys, "openapi.json")
	if err != nil {
		return nil, err
	}
	var base map[string]json.RawMessage
	var into part
	if err := json.Unmarshal(raw, &base); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	if err := json.Unmarshal(raw, &into); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var p part
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, k := range slices.Sorted(maps.Keys(p.Paths)) {
			if into.Paths[k], err = mergePath(into.Paths[k], p.Paths[k]); err != nil {
				return nil, fmt.Errorf("%s: path %s: %w", name, k, err)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(p.Components.Schemas)) {
			if _, dup := into.Components.Schemas[k]; dup {
				return nil, fmt.Errorf("%s: schema %s is already described", name, k)
			}
			into.Components.Schemas[k] = p.Components.Schemas[k]
		}
	}
	var components map[string]json.RawMessage
	if err := json.Unmarshal(base["components"], &components); err != nil {
		return nil, fmt.Errorf("openapi.json components: %w", err)
	}
	if components["schemas"], err = json.Marshal(into.Components.Schemas); err != nil {
		return nil, err
	}
	if base["components"], err = json.Marshal(components); err != nil {
		return nil, err
	}
	if base["paths"], err = json.Marshal(into.Paths); err != nil {
		return nil, err
	}
	return json.Marshal(base)
}

// mergePath adds a part's operations to a path another part already describes (a PUT beside its
// GET); an operation described twice is a mistake. The path's parameters are the first part's.
func mergePath(into, add json.RawMessage) (json.RawMessage, error) {
	if into == nil {
		return add, nil
	}
	var base, more map[string]json.RawMessage
	if err := json.Unmarshal(into, &base); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(add, &more); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(more)) {
		if _, dup := base[k]; dup && k != "parameters" {
			return nil, fmt.Errorf("%s is already described", k)
		} else if !dup {
			base[k] = more[k]
		}
	}
	return json.Marshal(base)
}

func serveOpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", openAPI)
}

// serveDocs answers the API guide, docs/api.md, as Markdown.
func serveDocs(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "text/markdown; charset=utf-8", docs.API)
}
