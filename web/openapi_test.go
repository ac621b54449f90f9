package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"clinic/docs"
)

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// ginParam matches a Gin path parameter (":id") or catch-all ("*path").
var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(openAPI, &doc), "web/openapi.json is not valid JSON")
	return doc
}

func TestOpenAPIIsVersion31(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	version, ok := doc["openapi"].(string)
	require.True(t, ok, "openapi must be a string")
	require.True(t, strings.HasPrefix(version, "3.1."), "openapi is %q, want 3.1.x", version)
	info, ok := doc["info"].(map[string]any)
	require.True(t, ok, "info is required")
	require.NotEmpty(t, info["title"])
	require.NotEmpty(t, info["version"])
	_, ok = doc["paths"].(map[string]any)
	require.True(t, ok, "paths must be an object")
}

// TestOpenAPIMatchesRoutes checks both ways: every route the router serves is documented with its
// method, and every documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	paths := loadOpenAPI(t)["paths"].(map[string]any)

	routed := map[string]bool{}
	for _, r := range (&Server{}).routes().Routes() {
		p := ginParam.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		routed[key] = true
		item, ok := paths[p].(map[string]any)
		require.True(t, ok, "route %s %s (%s) is missing from openapi.json paths", r.Method, p, r.Path)
		_, ok = item[strings.ToLower(r.Method)].(map[string]any)
		require.True(t, ok, "route %s %s is missing its %s operation in openapi.json", r.Method, p, r.Method)
	}
	require.NotEmpty(t, routed)

	for p, v := range paths {
		item, ok := v.(map[string]any)
		require.True(t, ok, "path %s must be an object", p)
		ops := 0
		for key := range item {
			if !slices.Contains(httpMethods, key) {
				continue
			}
			ops++
			require.True(t, routed[key+" "+p], "openapi.json documents %s %s, which the router does not serve", strings.ToUpper(key), p)
		}
		require.NotZero(t, ops, "path %s documents no operation", p)
	}
}

// TestOpenAPIOperations checks that each operation is complete: a summary, answers, a declared
// parameter for every template variable of its path, and who may call it.
func TestOpenAPIOperations(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	paths := doc["paths"].(map[string]any)
	template := regexp.MustCompile(`\{([^}]+)\}`)
	for p, v := range paths {
		item := v.(map[string]any)
		for _, method := range httpMethods {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			name := strings.ToUpper(method) + " " + p
			require.NotEmpty(t, op["summary"], "%s has no summary", name)
			responses, ok := op["responses"].(map[string]any)
			require.True(t, ok, "%s has no responses", name)
			require.NotEmpty(t, responses, "%s has no responses", name)

			declared := map[string]bool{}
			for _, list := range []any{item["parameters"], op["parameters"]} {
				params, _ := list.([]any)
				for _, prm := range params {
					pm := resolve(t, doc, prm)
					if pm["in"] == "path" {
						declared[pm["name"].(string)] = true
						require.Equal(t, true, pm["required"], "%s: path parameter %v must be required", name, pm["name"])
					}
				}
			}
			for _, m := range template.FindAllStringSubmatch(p, -1) {
				require.True(t, declared[m[1]], "%s: path parameter {%s} is not declared", name, m[1])
			}

			// Any operation may meet a dropped database connection or the time limit; one that needs
			// a token may be refused it, or refused for its role.
			require.Contains(t, responses, "503", "%s: declare 503 (`$ref: #/components/responses/Unavailable`)", name)
			if security, ok := op["security"].([]any); ok && len(security) == 0 {
				require.NotContains(t, op, "x-roles", "%s is public, so it names no roles", name)
				continue
			}
			roles, ok := op["x-roles"].([]any)
			require.True(t, ok && len(roles) > 0, "%s needs an x-roles list, or `security: []` if it is public", name)
			require.Contains(t, responses, "401", "%s needs a token, so it may answer 401", name)
			require.Contains(t, responses, "403", "%s names its roles, so it may answer 403", name)
		}
	}
}

// resolve follows a parameter's $ref, if any.
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	require.True(t, ok, "expected an object, got %T", v)
	if r, ok := m["$ref"].(string); ok {
		target, err := pointer(doc, r)
		require.NoError(t, err)
		m, ok = target.(map[string]any)
		require.True(t, ok, "%s does not point at an object", r)
	}
	return m
}

func TestOpenAPIRefsResolve(t *testing.T) {
	t.Parallel()
	doc := loadOpenAPI(t)
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					refs = append(refs, s)
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	require.NotEmpty(t, refs, "expected shared components to be referenced")
	for _, r := range refs {
		require.True(t, strings.HasPrefix(r, "#/components/"), "$ref %q does not point into components", r)
		_, err := pointer(doc, r)
		require.NoError(t, err, "$ref %q does not resolve", r)
	}
}

// pointer resolves a local JSON pointer reference ("#/a/b") in doc.
func pointer(doc map[string]any, ref string) (any, error) {
	frag, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("%q is not a local reference", ref)
	}
	var cur any = doc
	for _, tok := range strings.Split(frag, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q: %q is not inside an object", ref, tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("%q: no %q", ref, tok)
		}
	}
	return cur, nil
}

// TestDocsAreServed: the API guide is public Markdown at GET /api/v1/docs, and it names every
// operation openapi.json describes, so the guide and the spec cannot drift apart unnoticed.
func TestDocsAreServed(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	resp, err := tb.client.Get(tb.url + "/api/v1/docs")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "public: no token needed")
	require.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/markdown"), resp.Header.Get("Content-Type"))
	require.Equal(t, "public, max-age=300", resp.Header.Get("Cache-Control"))
	require.Equal(t, string(docs.API), string(body))

	for p, v := range loadOpenAPI(t)["paths"].(map[string]any) {
		for method := range v.(map[string]any) {
			if slices.Contains(httpMethods, method) {
				op := "`" + strings.ToUpper(method) + " " + p + "`"
				require.Contains(t, string(body), op, "docs/api.md does not describe %s", op)
			}
		}
	}
}

// TestOpenAPIPartsMerge: a part adds its paths, operations and schemas, and one that repeats an
// operation is refused.
func TestOpenAPIPartsMerge(t *testing.T) {
	t.Parallel()
	base := `{"openapi":"3.1.0","paths":{"/a":{}},"components":{"schemas":{"A":{}},"securitySchemes":{"t":{}}}}`
	merged, err := mergeOpenAPI(fstest.MapFS{
		"openapi.json":   {Data: []byte(base)},
		"openapi/b.json": {Data: []byte(`{"paths":{"/b":{}},"components":{"schemas":{"B":{}}}}`)},
	})
	require.NoError(t, err)
	require.JSONEq(t, `{"openapi":"3.1.0","paths":{"/a":{},"/b":{}},
		"components":{"schemas":{"A":{},"B":{}},"securitySchemes":{"t":{}}}}`, string(merged))
	_, err = mergeOpenAPI(fstest.MapFS{
		"openapi.json":   {Data: []byte(base)},
		"openapi/b.json": {Data: []byte(`{"paths":{"/a":{"get":{}}}}`)},
		"openapi/c.json": {Data: []byte(`{"paths":{"/a":{"get":{}}}}`)},
	})
	require.ErrorContains(t, err, "openapi/c.json: path /a: get is already described")
}
